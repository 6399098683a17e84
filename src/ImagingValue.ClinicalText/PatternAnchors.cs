namespace ImagingValue.ClinicalText;

/// <summary>
/// The words a rule regex can start with, read from the regex text, so a sentence without any of them skips the regex.
/// A regex call costs about 70 ns even when nothing matches; with thirty rule regexes that fixed cost was most of the
/// time spent on patterns (benchmarks/README.md, clinical text speed). The reading is conservative: anything it does
/// not understand gives <c>null</c> (no anchors: the regex always runs), so a skipped regex could never have matched.
/// </summary>
internal static class PatternAnchors
{
    /// <summary>The anchor for "the first token is a number" (a pattern that starts with a digit or <c>\d</c>).</summary>
    public const string Number = "#number";

    /// <summary>
    /// The possible first tokens of any match of <paramref name="pattern"/> (lower-case words, single punctuation
    /// tokens, or <see cref="Number"/>), or null when they cannot be read safely.
    /// </summary>
    public static HashSet<string>? FirstTokens(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var i = 0;
        while (i < pattern.Length)
        {
            if (pattern[i] == '^')
            {
                i++;
            }
            else if (StartsWithAny(pattern, i, "(?<=", "(?<!", "(?=", "(?!"))
            {
                // Zero-width: it consumes nothing, so the first token comes after it.
                var close = MatchingParen(pattern, i);
                if (close < 0)
                {
                    return null;
                }

                i = close + 1;
            }
            else
            {
                break;
            }
        }

        if (i >= pattern.Length)
        {
            return null;
        }

        if (TopLevelAlternatives(pattern, i, pattern.Length) is not [_])
        {
            return null; // "no fever|denies": a match may start with either branch, or the pattern is unreadable.
        }

        var anchors = new HashSet<string>(StringComparer.Ordinal);
        if (pattern.AsSpan(i).StartsWith("(?:", StringComparison.Ordinal))
        {
            var close = MatchingParen(pattern, i);
            if (close < 0 || (close + 1 < pattern.Length && pattern[close + 1] is '?' or '*' or '{'))
            {
                return null; // An optional group: the match may start after it.
            }

            var groupEnds = close + 1 == pattern.Length || pattern[close + 1] is ' ' or '(' or '$';
            // Not null: MatchingParen has read this range without finding anything unreadable.
            foreach (var alternative in TopLevelAlternatives(pattern, i + 3, close)!)
            {
                if (FirstToken(alternative, groupEnds) is not { } token)
                {
                    return null;
                }

                anchors.Add(token);
            }

            return anchors;
        }

        var rest = pattern[i..];
        return FirstToken(rest, endsToken: true) is { } single ? [single] : null;
    }

    // The first token of one branch: a letter word followed by a space (or by the end of a branch whose group ends a
    // token), one kept punctuation character followed by a space, or a number. Null when unsure.
    private static string? FirstToken(string branch, bool endsToken)
    {
        if (branch.Length == 0)
        {
            return null;
        }

        if (char.IsDigit(branch[0]) || branch.StartsWith("\\d", StringComparison.Ordinal))
        {
            return Number;
        }

        if (branch[0] is ':' or ';' or ',')
        {
            // Kept punctuation is always a token of its own, whatever follows it.
            return branch[..1];
        }

        var n = 0;
        while (n < branch.Length && char.IsAsciiLetterLower(branch[n]))
        {
            n++;
        }

        if (n == 0)
        {
            return null;
        }

        var complete = n == branch.Length ? endsToken : branch[n] == ' ';
        return complete ? branch[..n] : null;
    }

    /// <summary>The branches of pattern[from..to) split at its top-level bars; null when it cannot be read.</summary>
    private static List<string>? TopLevelAlternatives(string pattern, int from, int to)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = from;
        for (var k = from; k < to; k++)
        {
            var end = SkipEscapeOrClass(pattern, k);
            if (end < 0)
            {
                return null;
            }

            if (end != k)
            {
                k = end;
                continue;
            }

            switch (pattern[k])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case '|' when depth == 0:
                    parts.Add(pattern[start..k]);
                    start = k + 1;
                    break;
                default:
                    break;
            }
        }

        parts.Add(pattern[start..to]);
        return parts;
    }

    private static int MatchingParen(string pattern, int open)
    {
        var depth = 0;
        for (var k = open; k < pattern.Length; k++)
        {
            var end = SkipEscapeOrClass(pattern, k);
            if (end < 0)
            {
                return -1;
            }

            if (end != k)
            {
                k = end;
                continue;
            }

            if (pattern[k] == '(')
            {
                depth++;
            }
            else if (pattern[k] == ')' && --depth == 0)
            {
                return k;
            }
        }

        return -1;
    }

    // At an escape ("\(") or a character class ("[(|)]"), the index of its last character, so brackets and bars
    // inside it are not read as structure; otherwise k itself; -1 when the pattern ends inside it.
    private static int SkipEscapeOrClass(string pattern, int k) => pattern[k] switch
    {
        '\\' => k + 1 < pattern.Length ? k + 1 : -1,
        '[' => pattern.IndexOf(']', k + 1),
        _ => k,
    };

    private static bool StartsWithAny(string text, int at, params string[] prefixes) =>
        prefixes.Any(p => text.AsSpan(at).StartsWith(p, StringComparison.Ordinal));
}
