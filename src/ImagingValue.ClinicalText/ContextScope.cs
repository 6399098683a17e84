namespace ImagingValue.ClinicalText;

/// <summary>
/// ConText scope rules for the triggers of one sentence. A FORWARD trigger reaches from its end to the first of:
/// the sentence end, a TERMINATE trigger that ends its category ("but", "however", ";"; <c>terminates</c> limits
/// which), a later trigger of the same category that reaches forward too (it restarts the scope), a trigger of a
/// category in its <c>terminated_by</c>, or one in its <c>terminated_by_next_clause</c> after a comma or semicolon,
/// a comma or semicolon when the rule is <c>clause_bound</c>, or <c>max_scope</c> word tokens.
/// BACKWARD mirrors this; BIDIRECTIONAL is both. PSEUDO triggers only hide the triggers inside them.
/// A trigger never modifies a target it overlaps.
/// </summary>
internal static class ContextScope
{
    /// <summary>Each trigger's scope, per rule: [BackwardStart, m.Start) and [m.End, ForwardEnd). Computed once
    /// per sentence so many targets in one long sentence cost no more than one.</summary>
    public static (int BackwardStart, int ForwardEnd)[][] Compute(SentenceView view, List<PhraseMatch<ContextRule>> triggers)
    {
        var scopes = new (int, int)[triggers.Count][];
        for (var t = 0; t < triggers.Count; t++)
        {
            var rules = triggers[t].Rules;
            scopes[t] = new (int, int)[rules.Count];
            for (var r = 0; r < rules.Count; r++)
            {
                var rule = rules[r];
                scopes[t][r] = rule.Direction is ContextDirection.Terminate or ContextDirection.Pseudo
                    ? (triggers[t].Start, triggers[t].End)
                    : (BackwardStart(view, triggers, t, rule), ForwardEnd(view, triggers, t, rule));
            }
        }

        return scopes;
    }

    public static Assertion Resolve(
        SentenceView view,
        List<PhraseMatch<ContextRule>> triggers,
        (int BackwardStart, int ForwardEnd)[][] scopes,
        int targetStart,
        int targetEnd,
        string concept,
        List<ModifierEvidence>? sectionModifiers,
        List<ContextRule>? sectionRules,
        bool clauseBound = false)
    {
        List<ModifierEvidence>? applied = null;
        if (sectionModifiers is not null)
        {
            for (var k = 0; k < sectionModifiers.Count; k++)
            {
                if (sectionRules![k].Modifies(concept))
                {
                    Add(ref applied, sectionModifiers[k]);
                }
            }
        }

        for (var t = 0; t < triggers.Count; t++)
        {
            var m = triggers[t];
            if (targetStart < m.End && targetEnd > m.Start)
            {
                continue;
            }

            for (var r = 0; r < m.Rules.Count; r++)
            {
                var rule = m.Rules[r];
                if (rule.Direction is ContextDirection.Terminate or ContextDirection.Pseudo || !rule.Modifies(concept))
                {
                    continue;
                }

                var forward = rule.Direction is ContextDirection.Forward or ContextDirection.Bidirectional;
                var backward = rule.Direction is ContextDirection.Backward or ContextDirection.Bidirectional;
                var (backwardStart, forwardEnd) = scopes[t][r];
                var hit = (forward && targetStart >= m.End && (targetStart < forwardEnd || EndedInside(triggers, forwardEnd, targetStart, targetEnd, atStart: true)))
                    || (backward && targetEnd <= m.Start && (targetEnd > backwardStart || EndedInside(triggers, backwardStart, targetStart, targetEnd, atStart: false)));
                // clause_bound, on the target's rule or the trigger's: the scope stops at a comma or semicolon.
                if (hit && (clauseBound || rule.ClauseBound) && ClauseBreakBetween(view, Math.Min(m.End, targetEnd), Math.Max(m.Start, targetStart)))
                {
                    continue;
                }

                if (hit)
                {
                    Add(ref applied, new ModifierEvidence(rule.Category, view.Written(m.Start, m.End)));
                }
            }
        }

        return applied is null ? Assertion.Affirmed : Build(applied);
    }

    /// <summary>Modifiers of a section header ("FAMILY HISTORY:") that reach its whole section.</summary>
    public static void CollectSectionModifiers(
        SentenceView header,
        List<PhraseMatch<ContextRule>> triggers,
        List<ModifierEvidence> evidence,
        List<ContextRule> rules)
    {
        foreach (var m in triggers)
        {
            foreach (var rule in m.Rules)
            {
                if (rule.Direction is ContextDirection.Forward or ContextDirection.Bidirectional)
                {
                    evidence.Add(new ModifierEvidence(rule.Category, header.Written(m.Start, m.End)));
                    rules.Add(rule);
                }
            }
        }
    }

    private static int ForwardEnd(SentenceView view, List<PhraseMatch<ContextRule>> triggers, int t, ContextRule rule)
    {
        // The first comma or semicolon after the trigger, found once for every later trigger; only rules ended by a
        // next clause need it.
        var nextBreak = rule.TerminatedByNextClause is null ? view.Count : triggers[t].End;
        while (nextBreak < view.Count && !IsClauseBreak(view.Tokens[nextBreak]))
        {
            nextBreak++;
        }

        var end = view.Count;
        for (var k = t + 1; k < triggers.Count; k++)
        {
            if (Terminates(rule, triggers[k], forward: true) || (nextBreak < triggers[k].Start && StartsNextClause(rule, triggers[k])))
            {
                end = triggers[k].Start;
                break;
            }
        }

        if (rule.MaxScope is { } max)
        {
            var words = 0;
            for (var i = triggers[t].End; i < end; i++)
            {
                if (!view.Tokens[i].IsPunct && ++words > max)
                {
                    return i;
                }
            }
        }

        return end;
    }

    private static int BackwardStart(SentenceView view, List<PhraseMatch<ContextRule>> triggers, int t, ContextRule rule)
    {
        // The last comma or semicolon before the trigger (-1: none), found once; only rules ended by a next clause need it.
        var previousBreak = rule.TerminatedByNextClause is null ? -1 : triggers[t].Start - 1;
        while (previousBreak >= 0 && !IsClauseBreak(view.Tokens[previousBreak]))
        {
            previousBreak--;
        }

        var start = 0;
        for (var k = t - 1; k >= 0; k--)
        {
            if (Terminates(rule, triggers[k], forward: false) || (previousBreak >= triggers[k].End && StartsNextClause(rule, triggers[k])))
            {
                start = triggers[k].End;
                break;
            }
        }

        if (rule.MaxScope is { } max)
        {
            var words = 0;
            for (var i = triggers[t].Start - 1; i >= start; i--)
            {
                if (!view.Tokens[i].IsPunct && ++words > max)
                {
                    return i + 1;
                }
            }
        }

        return start;
    }

    /// <summary>
    /// True when the scope was cut by a trigger lying inside the target ("history of no show": the "no" of the target
    /// itself). Such a trigger does not modify the target, so it must not shield it from other triggers either.
    /// </summary>
    private static bool EndedInside(List<PhraseMatch<ContextRule>> triggers, int boundary, int targetStart, int targetEnd, bool atStart)
    {
        foreach (var k in triggers)
        {
            var edge = atStart ? k.Start : k.End;
            if (edge == boundary && k.Start >= targetStart && k.End <= targetEnd)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a comma or semicolon lies in tokens [from, to).</summary>
    private static bool ClauseBreakBetween(SentenceView view, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (IsClauseBreak(view.Tokens[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsClauseBreak(Token token) => token.IsPunct && token.Norm is "," or ";";

    /// <summary>
    /// True when <paramref name="other"/> is a trigger of a category in the owner's <c>terminated_by_next_clause</c>;
    /// the caller checks that a clause break lies between them.
    /// </summary>
    private static bool StartsNextClause(ContextRule owner, PhraseMatch<ContextRule> other)
    {
        if (owner.TerminatedByNextClause is not { } categories)
        {
            return false;
        }

        foreach (var r in other.Rules)
        {
            if (r.Direction is not (ContextDirection.Pseudo or ContextDirection.Terminate) && categories.Contains(r.Category))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="other"/> ends the owner's scope on the side <paramref name="forward"/> names. A trigger of
    /// the same category restarts the scope only when it reaches that way itself: in "h/o CAD s/p CABG in 2009 and CHF"
    /// the backward-only "in 2009" must not end the forward scope of "s/p" before "CHF".
    /// </summary>
    private static bool Terminates(ContextRule owner, PhraseMatch<ContextRule> other, bool forward)
    {
        foreach (var r in other.Rules)
        {
            if (r.Direction == ContextDirection.Terminate)
            {
                if (r.Terminates is null || r.Terminates.Contains(owner.Category))
                {
                    return true;
                }

                continue;
            }

            if (r.Direction == ContextDirection.Pseudo)
            {
                continue;
            }

            var reachesThatWay = r.Direction == ContextDirection.Bidirectional
                || r.Direction == (forward ? ContextDirection.Forward : ContextDirection.Backward);
            if ((r.Category == owner.Category && reachesThatWay) || (owner.TerminatedBy?.Contains(r.Category) ?? false))
            {
                return true;
            }
        }

        return false;
    }

    private static void Add(ref List<ModifierEvidence>? applied, ModifierEvidence evidence)
    {
        applied ??= [];
        if (!applied.Contains(evidence))
        {
            applied.Add(evidence);
        }
    }

    private static Assertion Build(List<ModifierEvidence> applied)
    {
        bool negated = false, uncertain = false, historical = false, hypothetical = false, family = false;
        foreach (var e in applied)
        {
            switch (e.Category)
            {
                case ContextCategories.NegatedExistence:
                    negated = true;
                    break;
                case ContextCategories.PossibleExistence:
                    uncertain = true;
                    break;
                case ContextCategories.Historical:
                    historical = true;
                    break;
                case ContextCategories.Hypothetical:
                    hypothetical = true;
                    break;
                case ContextCategories.Family:
                    family = true;
                    break;
                default:
                    break;
            }
        }

        // Another person's condition has no place in the patient's history ("Father: MI at age 50" is the father's,
        // and the age dates his MI, not one of the patient's past problems).
        return new Assertion(negated, uncertain, historical && !family, hypothetical, family ? Experiencer.Other : Experiencer.Patient, applied);
    }
}
