namespace ImagingValue.ClinicalText;

/// <summary>
/// Decides which mention a time expression belongs to.
/// </summary>
/// <remarks>
/// The rule: a time expression attaches to a target in its own clause (clauses end at ",", ";" from the time
/// vocabulary and at TERMINATE triggers such as "but"). It prefers the nearest target that ends before it — the
/// event it follows ("fell 2 weeks ago", "LBP x 3 months", "pain after fall in 2009" → the fall) — and otherwise
/// takes the nearest target after it ("2 weeks ago fell"). If its clause has no target at all (a leading
/// "Since March, LBP"), it attaches to the nearest target after it in the sentence. When two expressions reach the
/// same target, the one closer in tokens wins.
/// </remarks>
internal static class TimeAttachment
{
    public static TimeAnchor?[] Attach(
        SentenceView view,
        List<PhraseMatch<TargetRule>> targets,
        List<TimeExpression> times,
        List<PhraseMatch<ContextRule>> triggers,
        TimeExpressionParser parser)
    {
        var result = new TimeAnchor?[targets.Count];
        if (times.Count == 0 || targets.Count == 0)
        {
            return result;
        }

        var distance = new int[targets.Count];
        var isBreak = new bool[view.Count];
        for (var i = 0; i < view.Count; i++)
        {
            isBreak[i] = parser.IsClauseBreak(view.Tokens[i]);
        }

        foreach (var m in triggers)
        {
            // A terminator limited to some categories ("today" ends only history) is a word of the clause, not a break.
            if (m.Rules.Any(r => r.Direction == ContextDirection.Terminate && r.Terminates is null))
            {
                for (var i = m.Start; i < m.End; i++)
                {
                    isBreak[i] = true;
                }
            }
        }

        foreach (var time in times)
        {
            if (time.Anchor is null)
            {
                continue;
            }

            var clauseStart = time.Start;
            while (clauseStart > 0 && !isBreak[clauseStart - 1])
            {
                clauseStart--;
            }

            var clauseEnd = time.End;
            while (clauseEnd < view.Count && !isBreak[clauseEnd])
            {
                clauseEnd++;
            }

            var chosen = -1;
            for (var t = 0; t < targets.Count; t++)
            {
                if (targets[t].End <= time.Start && targets[t].Start >= clauseStart)
                {
                    chosen = t; // targets are in text order, so the last one wins: the nearest before
                }
            }

            if (chosen < 0)
            {
                var anyInClause = false;
                for (var t = 0; t < targets.Count; t++)
                {
                    anyInClause |= targets[t].Start < clauseEnd && targets[t].End > clauseStart;
                    if (chosen < 0 && targets[t].Start >= time.End)
                    {
                        chosen = t;
                    }
                }

                if (chosen >= 0 && anyInClause && targets[chosen].Start >= clauseEnd)
                {
                    chosen = -1;
                }
            }

            if (chosen < 0)
            {
                continue;
            }

            var d = targets[chosen].End <= time.Start ? time.Start - targets[chosen].End : targets[chosen].Start - time.End;
            if (result[chosen] is null || d < distance[chosen])
            {
                result[chosen] = time.Anchor;
                distance[chosen] = d;
            }
        }

        return result;
    }
}
