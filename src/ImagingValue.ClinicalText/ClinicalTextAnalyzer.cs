using System.Text.RegularExpressions;

namespace ImagingValue.ClinicalText;

/// <summary>
/// Finds target concepts in clinical text and asserts each one ConText-style (negated, uncertain, historical,
/// hypothetical, experiencer) with the time it happened. Thread-safe after construction: all indexes (token
/// tries, compiled regexes, vocabularies) are built once in the constructor and never change.
/// </summary>
public sealed class ClinicalTextAnalyzer
{
    // A guard against a site rule that backtracks catastrophically, not a latency budget: on a loaded 2-core
    // machine a sound pattern can take far longer than its usual microseconds, and a timeout would fail screening.
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(5);

    private readonly PhraseMatcher<ContextRule> _modifiers = new();
    private readonly PhraseMatcher<TargetRule> _targets = new();
    private readonly List<TargetRule> _anyOrder = [];
    private readonly SentenceSplitter _splitter = SentenceSplitter.Default;
    private readonly TimeExpressionParser _time = new(TimeVocabulary.Default);

    public ClinicalTextAnalyzer(ContextRuleSet contextRules, TargetRuleSet targetRules)
    {
        ArgumentNullException.ThrowIfNull(contextRules);
        ArgumentNullException.ThrowIfNull(targetRules);
        foreach (var rule in contextRules.Rules)
        {
            if (rule.Pattern is not null)
            {
                _modifiers.AddPattern(Compile(rule.Pattern), false, rule);
            }
            else if (rule.TokenForms is not null)
            {
                foreach (var form in rule.TokenForms)
                {
                    _modifiers.AddKey(form, false, rule);
                }
            }
            else
            {
                _modifiers.AddLiteral(Tokenizer.Tokenize(rule.Literal), false, rule);
            }
        }

        foreach (var rule in targetRules.Rules)
        {
            if (rule.AnyOrder is not null)
            {
                _anyOrder.Add(rule);
            }
            else if (rule.Pattern is not null)
            {
                _targets.AddPattern(Compile(rule.Pattern), rule.CaseSensitive, rule);
            }
            else
            {
                _targets.AddLiteral(Tokenizer.Tokenize(rule.Literal), rule.CaseSensitive, rule);
            }
        }
    }

    /// <summary>Every target concept found in <paramref name="text"/>, in text order.</summary>
    /// <param name="reference">The local date-time the order was placed; relative times ("2 weeks ago") need it.</param>
    /// <param name="cancellationToken">Checked before each sentence (at most 1,000 characters, see
    /// <see cref="SentenceSplitter"/>), so a cancelled caller stops within one sentence's work.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IReadOnlyList<Mention> Analyze(string text, DateTime? reference = null, CancellationToken cancellationToken = default) =>
        Analyze(text, reference, out _, cancellationToken);

    /// <summary>As <see cref="Analyze(string, DateTime?, CancellationToken)"/>, saying whether the mentions depend on <paramref name="reference"/>.</summary>
    /// <param name="readsReference">False when no sentence that holds a target holds a time expression either: the
    /// reference is then not read, and the same text gives the same mentions whatever the reference (whether a time
    /// expression is found depends on the tokens only; the reference only resolves it). A caller may keep such a
    /// text's mentions and use them for any order with that text.</param>
    public IReadOnlyList<Mention> Analyze(string text, DateTime? reference, out bool readsReference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        readsReference = false;
        var mentions = new List<Mention>();
        var section = new SectionState();
        foreach (var segment in _splitter.Split(text))
        {
            cancellationToken.ThrowIfCancellationRequested();
            section.Enter(segment.Section);
            var view = View(text, segment);
            var triggers = _modifiers.FindAll(view, 0, view.Count);
            var targets = _targets.FindAll(view, 0, view.Count);
            if (_anyOrder.Count > 0)
            {
                AnyOrderMatcher.AddMatches(view, _anyOrder, targets);
            }

            targets.RemoveAll(t => t.Rules.All(r => r.Category == TargetRule.IgnoreCategory));
            if (targets.Count > 0)
            {
                var found = _time.Find(view, reference);
                readsReference |= found.Count > 0;
                var times = TimeAttachment.Attach(view, targets, found, triggers, _time);
                var sentence = text[segment.Start..segment.End];
                var scopes = ContextScope.Compute(view, triggers);
                for (var t = 0; t < targets.Count; t++)
                {
                    var m = targets[t];
                    var start = view.Tokens[m.Start].Start;
                    var matched = view.Written(m.Start, m.End);
                    foreach (var concept in m.Rules.Select(r => r.Category).Distinct())
                    {
                        if (concept == TargetRule.IgnoreCategory)
                        {
                            continue;
                        }

                        var clauseBound = m.Rules.Any(r => r.Category == concept && r.ClauseBound);
                        var assertion = ContextScope.Resolve(view, triggers, scopes, m.Start, m.End, concept, section.Evidence, section.Rules, clauseBound);
                        mentions.Add(new Mention(concept, matched, start, matched.Length, sentence, assertion, times[t]) { SentenceStart = segment.Start });
                    }
                }
            }

            if (segment.IsHeader)
            {
                section.AddHeader(view, triggers);
            }
        }

        return mentions;
    }

    /// <summary>
    /// The assertion for <paramref name="targetPhrase"/> as it occurs in <paramref name="sentence"/>
    /// (first whole-word, case-insensitive occurrence).
    /// </summary>
    /// <param name="reference">Not read: an assertion does not depend on time. Accepted so a caller can pass the order
    /// time as it does to <see cref="Analyze(string, DateTime?, CancellationToken)"/>.</param>
    /// <exception cref="ArgumentException">The phrase does not occur in the sentence.</exception>
    public Assertion Assert(string sentence, string targetPhrase, DateTime? reference = null)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetPhrase);
        var at = FindPhrase(sentence, targetPhrase.Trim());
        if (at < 0)
        {
            throw new ArgumentException($"'{targetPhrase}' does not occur in the sentence.", nameof(targetPhrase));
        }

        var phraseEnd = at + targetPhrase.Trim().Length;
        var section = new SectionState();
        foreach (var segment in _splitter.Split(sentence))
        {
            section.Enter(segment.Section);
            var view = View(sentence, segment);
            var triggers = _modifiers.FindAll(view, 0, view.Count);
            if (at >= segment.Start && at < segment.End)
            {
                var first = view.Tokens.FindIndex(t => t.End > at);
                var last = view.Tokens.FindLastIndex(t => t.Start < phraseEnd);
                if (first < 0 || last < first)
                {
                    throw new ArgumentException($"'{targetPhrase}' contains no words to assert.", nameof(targetPhrase));
                }

                // Use the concept id when the phrase is exactly a known target, so allowed/excluded types still apply.
                var rule = _targets.FindAll(view, 0, view.Count)
                    .Where(m => m.Start == first && m.End == last + 1)
                    .SelectMany(m => m.Rules).FirstOrDefault();
                var concept = rule?.Category ?? string.Empty;
                return ContextScope.Resolve(view, triggers, ContextScope.Compute(view, triggers), first, last + 1, concept, section.Evidence, section.Rules, rule?.ClauseBound ?? false);
            }

            if (segment.IsHeader)
            {
                section.AddHeader(view, triggers);
            }
        }

        return Assertion.Affirmed;
    }

    private static SentenceView View(string text, Segment segment) =>
        new(text, segment.Start, segment.End, Tokenizer.Tokenize(text, segment.Start, segment.End));

    private static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, RegexTimeout);

    // First occurrence on word boundaries; falls back to any occurrence ("fx" inside "?fx" is still found).
    private static int FindPhrase(string sentence, string phrase)
    {
        var fallback = -1;
        var from = 0;
        while (from <= sentence.Length - phrase.Length)
        {
            var i = sentence.IndexOf(phrase, from, StringComparison.OrdinalIgnoreCase);
            if (i < 0)
            {
                break;
            }

            var end = i + phrase.Length;
            var startOk = i == 0 || !char.IsLetterOrDigit(sentence[i - 1]);
            var endOk = end == sentence.Length || !char.IsLetterOrDigit(sentence[end]);
            if (startOk && endOk)
            {
                return i;
            }

            if (fallback < 0)
            {
                fallback = i;
            }

            from = i + 1;
        }

        return fallback;
    }

    /// <summary>The modifiers a section header contributes to every sentence of its section.</summary>
    private sealed class SectionState
    {
        private int _section = -1;

        public List<ModifierEvidence>? Evidence { get; private set; }

        public List<ContextRule>? Rules { get; private set; }

        public void Enter(int section)
        {
            if (section != _section)
            {
                _section = section;
                Evidence = null;
                Rules = null;
            }
        }

        public void AddHeader(SentenceView header, List<PhraseMatch<ContextRule>> triggers)
        {
            var evidence = new List<ModifierEvidence>();
            var rules = new List<ContextRule>();
            ContextScope.CollectSectionModifiers(header, triggers, evidence, rules);
            if (evidence.Count > 0)
            {
                Evidence = evidence;
                Rules = rules;
            }
        }
    }
}
