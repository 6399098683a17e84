using System.Text.RegularExpressions;

namespace ImagingValue.ClinicalText;

/// <summary>
/// Finds rule phrases in a sentence: literal rules through token tries (case-insensitive and case-sensitive),
/// regex rules against the joined normalized tokens. Matching is greedy left to right, longest match first, and
/// matches never overlap — so "occult fx" beats "fx" and "no increase" (pseudo) hides "no".
/// </summary>
internal sealed class PhraseMatcher<T>
{
    private readonly TokenTrie<T> _insensitive = new();
    private readonly TokenTrie<T> _sensitive = new();
    private readonly List<Pattern> _patterns = [];

    // Patterns by the words they can start with (PatternAnchors); the rest run on every sentence.
    private readonly Dictionary<string, List<int>> _patternsByFirstToken = new(StringComparer.Ordinal);
    private readonly List<int> _unanchoredPatterns = [];

    public void AddLiteral(IReadOnlyList<Token> tokens, bool caseSensitive, T rule)
    {
        var key = new string[tokens.Count];
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = caseSensitive ? tokens[i].Cased : tokens[i].Norm;
        }

        AddKey(key, caseSensitive, rule);
    }

    /// <summary>A rule given directly as token strings (normalized, or as written when case-sensitive).</summary>
    public void AddKey(string[] key, bool caseSensitive, T rule) => (caseSensitive ? _sensitive : _insensitive).Add(key, rule);

    public void AddPattern(Regex regex, bool caseSensitive, T rule)
    {
        ArgumentNullException.ThrowIfNull(regex);
        var index = _patterns.Count;
        _patterns.Add(new Pattern(regex, caseSensitive, rule));
        if (caseSensitive || PatternAnchors.FirstTokens(regex.ToString()) is not { } anchors)
        {
            _unanchoredPatterns.Add(index);
            return;
        }

        foreach (var anchor in anchors)
        {
            if (!_patternsByFirstToken.TryGetValue(anchor, out var list))
            {
                _patternsByFirstToken[anchor] = list = [];
            }

            list.Add(index);
        }
    }

    public List<PhraseMatch<T>> FindAll(SentenceView sentence, int start, int end)
    {
        var result = new List<PhraseMatch<T>>();
        var fromPatterns = _patterns.Count > 0 ? MatchPatterns(sentence) : null;
        var i = start;
        while (i < end)
        {
            var best = _insensitive.LongestMatch(sentence.Tokens, i, end, false, out var rules);
            List<T>? csRules = null;
            var cs = _sensitive.IsEmpty ? 0 : _sensitive.LongestMatch(sentence.Tokens, i, end, true, out csRules);
            if (cs > best)
            {
                best = cs;
                rules = csRules;
            }

            if (fromPatterns is not null && fromPatterns.TryGetValue(i, out var p) && p.End - i >= best && p.End <= end)
            {
                best = p.End - i;
                rules = p.Rules;
            }

            if (best > 0)
            {
                result.Add(new PhraseMatch<T>(i, i + best, rules!));
                i += best;
            }
            else
            {
                i++;
            }
        }

        return result;
    }

    /// <summary>The longest pattern match starting at each token, or null when no pattern matches.</summary>
    private Dictionary<int, (int End, List<T> Rules)>? MatchPatterns(SentenceView sentence)
    {
        if (sentence.Count == 0)
        {
            return null;
        }

        Span<bool> candidate = _patterns.Count <= 256 ? stackalloc bool[_patterns.Count] : new bool[_patterns.Count];
        foreach (var index in _unanchoredPatterns)
        {
            candidate[index] = true;
        }

        var sawNumber = false;
        foreach (var token in sentence.Tokens)
        {
            Mark(candidate, token.Norm);
            sawNumber |= token.Kind is TokenKind.Number or TokenKind.Date;
        }

        if (sawNumber)
        {
            Mark(candidate, PatternAnchors.Number);
        }

        Dictionary<int, (int End, List<T> Rules)>? found = null;
        List<(int Index, int Length)>? matches = null; // One buffer for every pattern of the sentence.
        for (var index = 0; index < _patterns.Count; index++)
        {
            if (!candidate[index])
            {
                continue;
            }

            var pattern = _patterns[index];
            var rule = pattern.Rule;
            pattern.Matches(sentence.JoinedText(pattern.Cased), ref matches);
            if (matches is not { Count: > 0 })
            {
                continue;
            }

            foreach (var m in matches)
            {
                // Only matches that start and end on token boundaries count.
                var first = sentence.TokenStartingAt(m.Index);
                var last = m.Length > 0 ? sentence.TokenEndingAt(m.Index + m.Length) : -1;
                if (first < 0 || last < first)
                {
                    continue;
                }

                var endToken = last + 1;
                found ??= [];
                if (!found.TryGetValue(first, out var existing) || existing.End < endToken)
                {
                    found[first] = (endToken, [rule]);
                }
                else if (existing.End == endToken)
                {
                    existing.Rules.Add(rule);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// A rule's regex. Compiled for speed; if a compiled match times out, the rule falls back to the interpreter for
    /// good, because .NET's compiled code can be pathologically slower on some patterns: a lazy <c>{0,3}?</c> loop
    /// inside a long alternation took over 5 s on a 40-word sentence compiled and 4 ms interpreted. A site's rule
    /// file may hold such a pattern; without the fallback, screening the text would fail.
    /// </summary>
    private sealed class Pattern(Regex regex, bool cased, T rule)
    {
        /// <summary>The least budget of the interpreted regex: a guard against catastrophic backtracking, as the compiled one's.</summary>
        private static readonly TimeSpan InterpretedTimeout = TimeSpan.FromSeconds(5);

        private Regex _regex = regex;

        public bool Cased => cased;

        public T Rule => rule;

        /// <summary>True once the rule runs interpreted.</summary>
        public bool Interpreted => (Volatile.Read(ref _regex).Options & RegexOptions.Compiled) == 0;

        /// <summary>
        /// Every match in <paramref name="text"/>, left to right, into <paramref name="into"/> (emptied first; created
        /// only when there is a match, the usual case being none).
        /// </summary>
        public void Matches(string text, ref List<(int Index, int Length)>? into)
        {
            var regex = Volatile.Read(ref _regex);
            try
            {
                Collect(regex, text, ref into);
            }
            catch (RegexMatchTimeoutException) when ((regex.Options & RegexOptions.Compiled) != 0)
            {
                var budget = regex.MatchTimeout > InterpretedTimeout ? regex.MatchTimeout : InterpretedTimeout;
                var interpreted = new Regex(regex.ToString(), regex.Options & ~RegexOptions.Compiled, budget);
                Volatile.Write(ref _regex, interpreted);
                Collect(interpreted, text, ref into);
            }
        }

        private static void Collect(Regex regex, string text, ref List<(int Index, int Length)>? into)
        {
            into?.Clear();
            foreach (var m in regex.EnumerateMatches(text))
            {
                (into ??= []).Add((m.Index, m.Length));
            }
        }
    }

    /// <summary>True once the pattern added <paramref name="index"/>-th falls back to the interpreter (for tests).</summary>
    internal bool IsInterpreted(int index) => _patterns[index].Interpreted;

    private void Mark(Span<bool> candidate, string firstToken)
    {
        if (_patternsByFirstToken.TryGetValue(firstToken, out var indexes))
        {
            foreach (var index in indexes)
            {
                candidate[index] = true;
            }
        }
    }
}
