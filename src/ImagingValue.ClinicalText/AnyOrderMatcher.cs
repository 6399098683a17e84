namespace ImagingValue.ClinicalText;

/// <summary>
/// Finds concepts named by two parts in either order, a few linking words apart: a symptom and a body site ("ache in
/// the tailbone region", "lumbar area discomfort") rather than one fixed phrase. The words are the rule's
/// (<see cref="TargetRule.AnyOrder"/>, <see cref="TargetRule.Between"/>); only the pairing is here.
/// </summary>
internal static class AnyOrderMatcher
{
    /// <summary>
    /// Adds to <paramref name="targets"/> each pairing that overlaps no match already there (a fixed phrase, an IGNORE
    /// rule, an earlier pairing), leftmost and longest first; keeps <paramref name="targets"/> in text order.
    /// </summary>
    public static void AddMatches(SentenceView view, IReadOnlyList<TargetRule> rules, List<PhraseMatch<TargetRule>> targets)
    {
        var added = false;
        foreach (var rule in rules)
        {
            var candidates = new List<(int Start, int End)>();
            var firsts = Occurrences(view, rule.AnyOrder![0]);
            var seconds = firsts.Count == 0 ? [] : Occurrences(view, rule.AnyOrder[1]);
            foreach (var a in firsts)
            {
                foreach (var b in seconds)
                {
                    var (left, right) = a.Start < b.Start ? (a, b) : (b, a);
                    if (left.End <= right.Start && right.Start - left.End <= rule.MaxBetween && Links(view, left.End, right.Start, rule.Between))
                    {
                        candidates.Add((left.Start, right.End));
                    }
                }
            }

            foreach (var (start, end) in candidates.OrderBy(c => c.Start).ThenByDescending(c => c.End))
            {
                if (!targets.Exists(t => t.Start < end && start < t.End))
                {
                    targets.Add(new PhraseMatch<TargetRule>(start, end, [rule]));
                    added = true;
                }
            }
        }

        if (added)
        {
            targets.Sort((x, y) => x.Start.CompareTo(y.Start));
        }
    }

    /// <summary>Whether every token in [from, to) is a linking word (no punctuation: a comma ends the pairing).</summary>
    private static bool Links(SentenceView view, int from, int to, IReadOnlySet<string> between)
    {
        for (var i = from; i < to; i++)
        {
            if (!between.Contains(view.Tokens[i].Norm))
            {
                return false;
            }
        }

        return true;
    }

    private static List<(int Start, int End)> Occurrences(SentenceView view, IReadOnlyList<string[]> phrases)
    {
        var found = new List<(int, int)>();
        for (var i = 0; i < view.Count; i++)
        {
            foreach (var phrase in phrases)
            {
                if (i + phrase.Length <= view.Count && Matches(view, i, phrase))
                {
                    found.Add((i, i + phrase.Length));
                }
            }
        }

        return found;
    }

    private static bool Matches(SentenceView view, int at, string[] phrase)
    {
        for (var k = 0; k < phrase.Length; k++)
        {
            if (!string.Equals(view.Tokens[at + k].Norm, phrase[k], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
