using System.Collections.Concurrent;
using System.Globalization;
using ImagingValue.ClinicalText;
using ImagingValue.Core.Data;
using ImagingValue.Core.Protocols;

namespace ImagingValue.Core.Screening;

/// <summary>
/// Screens orders against a protocol the way a careful reviewer does: is this the target exam, is the indication the
/// protocol's, and does any red flag show in the order's reason (text and codes) or in the patient's conditions
/// known at the time of the order. Thread-safe.
/// </summary>
public sealed class Screener
{
    private readonly Protocol _protocol;
    private readonly ClinicalTextAnalyzer _text;
    private readonly ExamMatcher _target;

    // Condition texts repeat across patients (problem-list displays such as "Hypertensive disorder"), and only their
    // concepts and assertions are used (dates come from the condition), so each text is analysed once.
    private readonly MentionCache _conditionText = new();

    // Indications repeat too ("LBP, PT not helping"), and reading them was a quarter of a screening pass's CPU
    // (benchmarks/README.md, issue 17). An indication's mentions depend on the order's time only through its time
    // expressions, so a text without any near a target is read once and its mentions serve every order with that text;
    // a text with one is read per order, as before.
    private readonly MentionCache _indicationText = new();

    public Screener(Protocol protocol, ClinicalTextAnalyzer text)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(text);
        _protocol = protocol;
        _text = text;
        _target = new ExamMatcher(protocol.TargetExam);
    }

    public Protocol Protocol => _protocol;

    /// <summary>Whether the order is the protocol's target exam, by name and code only: no text is read.</summary>
    public bool IsTargetExam(ImagingOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return _target.Matches(order.ProcedureCode, order.ProcedureName);
    }

    /// <summary>Screens one order. <paramref name="patientConditions"/> may hold the patient's whole history: only what was known at the order counts.</summary>
    /// <param name="cancellationToken">Stops the text reading between sentences (a call past its deadline, a failed batch).</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ScreeningDecision Screen(ImagingOrder order, IEnumerable<PatientCondition> patientConditions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(patientConditions);

        var exam = _target.Explain(order.ProcedureCode, order.ProcedureName);
        if (!exam.Matched)
        {
            return new ScreeningDecision(order.OrderId, Decision.NotTarget, false, null, [], [exam.Evidence]);
        }

        if (!order.IsCompleted)
        {
            return new ScreeningDecision(order.OrderId, Decision.NotTarget, true, null, [], [exam.Evidence, new ScreeningEvidence(EvidenceSource.OrderStatus, EvidenceRole.Unmet, Text: order.Status.ToWord())]);
        }

        var counted = new List<ScreeningEvidence>();
        var ignored = new List<ScreeningEvidence>();
        var mentions = string.IsNullOrWhiteSpace(order.Indication) ? [] : IndicationText(order.Indication, order.OrderedAt, cancellationToken);
        var orderDate = DateOnly.FromDateTime(order.OrderedAt);
        var asserted = patientConditions.Where(c => c.IsAsserted).ToList();
        var known = asserted.Where(c => c.KnownFrom is { } from && from <= orderDate).ToList();
        var notYetKnown = asserted.Except(known).ToList();

        // A condition that is not ICD-10-CM and whose code no red flag lists (a SNOMED CT descendant, a local code, text
        // only) is read by its text: code lists cannot cover SNOMED CT's hierarchy. ICD-10-CM ranges are complete, so
        // their text is not read (the code decides).
        var conditionMentions = known
            .Where(c => !IsIcd10(c) && !string.IsNullOrWhiteSpace(c.Description) && !_protocol.RedFlags.Any(f => MatchesCode(f, c)))
            .Select(c => (Condition: c, Mentions: ConditionText(c.Description!, cancellationToken)))
            .ToList();

        var reasons = new List<string>();
        var flagEvidence = new List<ScreeningEvidence>();
        var flagMentions = new List<Mention>();
        var flagOnsets = new List<DateOnly>();
        foreach (var flag in _protocol.RedFlags)
        {
            // What this flag found, kept apart until its requirements (age, duration, companions) are checked.
            var evidence = flagEvidence;
            evidence.Clear();
            flagMentions.Clear();
            flagOnsets.Clear();
            var found = false;
            foreach (var code in order.ReasonCodes)
            {
                if (!AnyContains(flag.Codes, code))
                {
                    continue;
                }

                evidence.Add(new ScreeningEvidence(EvidenceSource.ReasonCode, EvidenceRole.Counted, For: flag.Id, Code: code));
                found = true;
            }

            // Conditions first known after the order (or never dated) did not inform it: say so, so a reviewer
            // sees why a cancer code in the chart did not exclude the exam.
            foreach (var condition in notYetKnown)
            {
                if (!MatchesCode(flag, condition))
                {
                    continue;
                }

                ignored.Add(new ScreeningEvidence(EvidenceSource.ConditionCode, EvidenceRole.Ignored, For: flag.Id, Code: condition.Code, KnownFrom: condition.KnownFrom));
            }

            foreach (var condition in known)
            {
                if (!MatchesCode(flag, condition))
                {
                    continue;
                }

                var describe = new ScreeningEvidence(EvidenceSource.ConditionCode, EvidenceRole.Counted, For: flag.Id, Code: condition.Code, Since: condition.BeganOn);
                if (TooLongBefore(flag, condition, orderDate) is { } tooOld)
                {
                    ignored.Add(describe with { Role = EvidenceRole.Ignored, Qualifiers = EvidenceQualifiers.DaysBeforeOrder, DaysBeforeOrder = tooOld });
                    continue;
                }

                evidence.Add(describe);
                AddOnset(flagOnsets, condition);
                found = true;
            }

            foreach (var (condition, conditionText) in conditionMentions)
            {
                foreach (var mention in conditionText)
                {
                    if (!ContainsOrdinal(flag.Concepts, mention.Concept))
                    {
                        continue;
                    }

                    // The condition's dates say when (as for codes); the text says only what, and whether it is asserted.
                    var describe = Mentioned(EvidenceSource.ConditionText, EvidenceRole.Counted, flag.Id, mention) with { Since = condition.BeganOn };
                    var refusal = Refusal(flag, mention.Assertion)
                        ?? (mention.Assertion.Historical && !flag.HistoricalCounts ? EvidenceQualifiers.Historical : null);
                    if (refusal is { } why)
                    {
                        ignored.Add(describe with { Role = EvidenceRole.Ignored, Qualifiers = why });
                        continue;
                    }

                    if (TooLongBefore(flag, condition, orderDate) is { } tooOld)
                    {
                        ignored.Add(describe with { Role = EvidenceRole.Ignored, Qualifiers = EvidenceQualifiers.DaysBeforeOrder, DaysBeforeOrder = tooOld });
                        continue;
                    }

                    evidence.Add(describe);
                    AddOnset(flagOnsets, condition);
                    found = true;
                }
            }

            foreach (var mention in mentions)
            {
                if (!ContainsOrdinal(flag.Concepts, mention.Concept))
                {
                    continue;
                }

                var verdict = Judge(flag, mention, order.OrderedAt);
                var item = Mentioned(EvidenceSource.Indication, verdict.Counts ? EvidenceRole.Counted : EvidenceRole.Ignored, flag.Id, mention)
                    with { Qualifiers = verdict.Qualifiers, DaysBeforeOrder = verdict.Days };
                if (verdict.Counts)
                {
                    evidence.Add(item);
                    flagMentions.Add(mention);
                    found = true;
                }
                else
                {
                    ignored.Add(item);
                }
            }

            if (found && flag.Requires is { Any: true } requires)
            {
                found = MeetsRequirements(flag.Id, requires, order, mentions, flagMentions, flagOnsets, evidence);
                if (!found)
                {
                    // Found, but not in the patient the flag is for: a reviewer sees what was read and what was missing.
                    ignored.AddRange(evidence.Select(e => e.Role == EvidenceRole.Counted ? e with { Role = EvidenceRole.Ignored } : e));
                }
            }

            if (found)
            {
                counted.AddRange(evidence);
                reasons.Add(flag.Id);
            }
        }

        if (reasons.Count > 0)
        {
            return new ScreeningDecision(order.OrderId, Decision.Excluded, true, reasons[0], reasons, [.. counted, .. ignored]);
        }

        var qualifying = QualifyingEvidence(order, mentions);
        if (qualifying.Count == 0)
        {
            var what = string.IsNullOrWhiteSpace(order.Indication)
                ? new ScreeningEvidence(EvidenceSource.Indication, EvidenceRole.Missing)
                : NotQualifying(order.Indication);
            return new ScreeningDecision(order.OrderId, Decision.Excluded, true, Protocol.NoQualifyingIndication, [Protocol.NoQualifyingIndication], [what, .. ignored]);
        }

        return new ScreeningDecision(order.OrderId, Decision.Included, true, null, [], [.. qualifying, .. ignored]);
    }

    private List<ScreeningEvidence> QualifyingEvidence(ImagingOrder order, IReadOnlyList<Mention> mentions)
    {
        var evidence = new List<ScreeningEvidence>();
        foreach (var code in order.ReasonCodes)
        {
            if (!AnyContains(_protocol.Indication.Codes, code))
            {
                continue;
            }

            evidence.Add(new ScreeningEvidence(EvidenceSource.ReasonCode, EvidenceRole.Counted, For: _protocol.Indication.Label, Code: code));
        }

        foreach (var mention in mentions)
        {
            if (!ContainsOrdinal(_protocol.Indication.Concepts, mention.Concept))
            {
                continue;
            }

            var a = mention.Assertion;
            if (!a.Negated && !a.Hypothetical && a.Experiencer == Experiencer.Patient)
            {
                evidence.Add(Mentioned(EvidenceSource.Indication, EvidenceRole.Counted, mention.Concept, mention));
            }
        }

        return evidence;
    }

    /// <summary>Whether one mention of a red-flag concept counts under the flag's rules, and the qualifiers that say why.</summary>
    private static (bool Counts, EvidenceQualifiers Qualifiers, int? Days) Judge(RedFlag flag, Mention mention, DateTime orderedAt)
    {
        var a = mention.Assertion;
        if (Refusal(flag, a) is { } refusal)
        {
            return (false, refusal, null);
        }

        var qualifier = a.Uncertain ? EvidenceQualifiers.Suspected : EvidenceQualifiers.None;
        if (flag.MaxDaysBeforeOrder is { } maxDays)
        {
            if (mention.Time is { } time)
            {
                var days = (int)Math.Round(time.DaysBefore(orderedAt), MidpointRounding.AwayFromZero);
                return (days < maxDays, qualifier | EvidenceQualifiers.DaysBeforeOrder, days);
            }

            if (a.Historical && !OnlyRecentHistory(flag, a))
            {
                return (false, EvidenceQualifiers.Historical, null);
            }

            return flag.UndatedCounts ? (true, qualifier | EvidenceQualifiers.Undated, null) : (false, EvidenceQualifiers.Undated, null);
        }

        if (a.Historical)
        {
            return flag.HistoricalCounts ? (true, qualifier | EvidenceQualifiers.Historical, null) : (false, EvidenceQualifiers.Historical, null);
        }

        if (flag.ConditionWindowDays is { } window && mention.Time is { } when && when.DaysBefore(orderedAt) >= window)
        {
            return (false, EvidenceQualifiers.DaysBeforeOrder, (int)when.DaysBefore(orderedAt));
        }

        return (true, qualifier, null);
    }

    /// <summary>
    /// Checks a found flag's requirements: its companion concepts in the indication, the episode's duration and the
    /// patient's age. Adds the companions' mentions and one item per age or duration requirement (met or unmet) to
    /// <paramref name="evidence"/>, and an unmet item for each missing companion; true when all are met.
    /// </summary>
    private static bool MeetsRequirements(string flagId, RedFlagRequirements requires, ImagingOrder order, IReadOnlyList<Mention> mentions,
        List<Mention> flagMentions, List<DateOnly> onsets, List<ScreeningEvidence> evidence)
    {
        var met = true;
        var timed = new List<Mention>(flagMentions);
        foreach (var concept in requires.WithConcepts)
        {
            var companions = mentions.Where(m => m.Concept == concept && !m.Assertion.Negated && !m.Assertion.Hypothetical && m.Assertion.Experiencer == Experiencer.Patient).ToList();
            if (companions.Count == 0)
            {
                evidence.Add(Requirement(flagId, $"with {concept}", "not mentioned", met: false));
                met = false;
                continue;
            }

            timed.AddRange(companions);
            evidence.AddRange(companions.Select(m => Mentioned(EvidenceSource.Indication, EvidenceRole.Counted, flagId, m)));
        }

        if (requires.MinDurationDays is { } minDays)
        {
            // The current episode's own time decides when the text gives one ("LBP x 2 weeks. Hx of LBP 10 years ago",
            // "LBP x 2 weeks, PT 2 years ago" are 2 weeks); otherwise any time the flag's mentions, its companions
            // ("8 weeks of physical therapy") or its conditions give.
            var current = flagMentions.Where(m => m.Time is not null && !m.Assertion.Historical).ToList();
            var orderDate = DateOnly.FromDateTime(order.OrderedAt);
            var longest = current.Count > 0
                ? current.Max(m => (int?)Math.Floor(m.Time!.DaysBefore(order.OrderedAt)))
                : timed.Where(m => m.Time is not null).Select(m => (int?)Math.Floor(m.Time!.DaysBefore(order.OrderedAt)))
                    .Concat(onsets.Select(o => (int?)(orderDate.DayNumber - o.DayNumber)))
                    .Max();
            var enough = longest >= minDays;
            evidence.Add(Requirement(flagId, string.Create(CultureInfo.InvariantCulture, $"symptoms for at least {minDays} days"),
                longest is { } days ? string.Create(CultureInfo.InvariantCulture, $"{days} days") : "no duration given", enough));
            met &= enough;
        }

        if (requires.MinAge is not null || requires.MaxAge is not null)
        {
            var age = order.AgeAtOrder;
            var inRange = age is { } a && (requires.MinAge is not { } atLeast || a >= atLeast) && (requires.MaxAge is not { } atMost || a <= atMost);
            var range = (requires.MinAge, requires.MaxAge) switch
            {
                ({ } min, { } max) => $"age {min} to {max}",
                ({ } min, null) => $"age {min} or older",
                (null, { } max) => $"age {max} or younger",
                _ => string.Empty,
            };
            evidence.Add(Requirement(flagId, range, age is { } known ? string.Create(CultureInfo.InvariantCulture, $"patient {known}") : "age unknown", inRange));
            met &= inRange;
        }

        return met;
    }

    private static ScreeningEvidence Requirement(string flagId, string requirement, string found, bool met) =>
        new(EvidenceSource.Requirement, met ? EvidenceRole.Counted : EvidenceRole.Unmet, For: flagId, Concept: requirement, Text: found);

    private static void AddOnset(List<DateOnly> onsets, PatientCondition condition)
    {
        if (condition.BeganOn is { } began)
        {
            onsets.Add(began);
        }
    }

    /// <summary>True when every history trigger on the mention is one the flag reads as "over, but recent" (e.g. s/p).</summary>
    private static bool OnlyRecentHistory(RedFlag flag, Assertion assertion) =>
        flag.RecentHistoryTriggers is { Count: > 0 } recent
        && assertion.Modifiers.Where(m => m.Category == "HISTORICAL").All(m => recent.Contains(m.Text.Trim(), StringComparer.OrdinalIgnoreCase));

    /// <summary>The mentions in a condition's text, analysed without a reference time (a condition's dates are its own).</summary>
    private IReadOnlyList<Mention> ConditionText(string text, CancellationToken cancellationToken)
    {
        if (_conditionText.TryGetValue(text, out var cached))
        {
            return cached;
        }

        // A cancelled read throws before the cache is touched: only whole analyses are kept.
        var mentions = _text.Analyze(text, cancellationToken: cancellationToken);
        _conditionText.Add(text, mentions);
        return mentions;
    }

    private IReadOnlyList<Mention> IndicationText(string text, DateTime orderedAt, CancellationToken cancellationToken)
    {
        if (_indicationText.TryGetValue(text, out var cached))
        {
            return cached;
        }

        // A cancelled read throws before the cache is touched: only whole analyses are kept.
        var mentions = _text.Analyze(text, orderedAt, out var readsReference, cancellationToken);
        if (!readsReference)
        {
            _indicationText.Add(text, mentions);
        }

        return mentions;
    }

    /// <summary>
    /// Mentions by text, shared by the threads that screen pages side by side. Bounded: cleared when full, which costs
    /// only reading the texts again.
    /// </summary>
    private sealed class MentionCache
    {
        private const int Size = 4096;
        private readonly ConcurrentDictionary<string, IReadOnlyList<Mention>> _byText = new(StringComparer.Ordinal);
        private int _added;

        public bool TryGetValue(string text, out IReadOnlyList<Mention> mentions) => _byText.TryGetValue(text, out mentions!);

        public void Add(string text, IReadOnlyList<Mention> mentions)
        {
            // ConcurrentDictionary.Count takes every lock; a counter of our own does not.
            if (_byText.TryAdd(text, mentions) && Interlocked.Increment(ref _added) > Size)
            {
                _byText.Clear();
                Interlocked.Exchange(ref _added, 0);
            }
        }
    }

    /// <summary>Why a red-flag mention does not count whatever its time (indication or condition text), or null.</summary>
    private static EvidenceQualifiers? Refusal(RedFlag flag, Assertion a) =>
        a.Negated ? EvidenceQualifiers.Negated
        : a.Experiencer != Experiencer.Patient ? EvidenceQualifiers.OtherPerson
        : a.Hypothetical ? EvidenceQualifiers.Hypothetical
        : a.Uncertain && !flag.SuspectedCounts ? EvidenceQualifiers.SuspectedOnly
        : null;

    /// <summary>How many days before the order a known condition began, when that is outside the flag's window; else null.</summary>
    private static int? TooLongBefore(RedFlag flag, PatientCondition condition, DateOnly orderDate)
    {
        var daysBefore = orderDate.DayNumber - condition.BeganOn!.Value.DayNumber;
        return (flag.ConditionWindowDays ?? flag.MaxDaysBeforeOrder) is { } days && daysBefore >= days ? daysBefore : null;
    }

    /// <summary>A mention as evidence: its sentence as written, and where the sentence and the mention are in the source text.</summary>
    private static ScreeningEvidence Mentioned(EvidenceSource source, EvidenceRole role, string speaksFor, Mention mention) =>
        new(source, role, For: speaksFor, Concept: mention.Concept, Text: mention.Sentence,
            Mention: new TextSpan(mention.Start, mention.Length), Sentence: new TextSpan(mention.SentenceStart, mention.Sentence.Length));

    /// <summary>The whole (trimmed) indication, which names nothing the protocol qualifies.</summary>
    private ScreeningEvidence NotQualifying(string indication)
    {
        var trimmed = indication.Trim();
        var start = indication.Length - indication.TrimStart().Length;
        return new ScreeningEvidence(EvidenceSource.Indication, EvidenceRole.Unmet, For: _protocol.Indication.Label, Text: trimmed, Sentence: new TextSpan(start, trimmed.Length));
    }

    // The two tests below run for every red flag of every target order, against every code and mention: plain loops,
    // where LINQ's Where, Any and Contains allocated a closure and an enumerator each time (most of a screening's
    // garbage, and garbage collection stopped every screening thread; benchmarks/README.md, issue 17).
    private static bool AnyContains(IReadOnlyList<CodeRange> ranges, string code)
    {
        for (var i = 0; i < ranges.Count; i++)
        {
            if (ranges[i].Contains(code))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsOrdinal(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the condition's code is one of the flag's: ICD-10-CM by range, SNOMED CT by exact concept id.</summary>
    private static bool MatchesCode(RedFlag flag, PatientCondition condition) =>
        IsIcd10(condition) ? AnyContains(flag.Codes, condition.Code)
        : IsSnomed(condition) && flag.SnomedCodes is { Count: > 0 } snomed && snomed.Contains(condition.Code.Trim(), StringComparer.Ordinal);

    // These run for every condition and red flag of every order: compared in place, without building new strings.
    private static bool IsSnomed(PatientCondition condition) =>
        StartsWithSkipping(condition.CodeSystem, "SNOMED", " -") || condition.CodeSystem is "SCT" or "http://snomed.info/sct";

    private static bool IsIcd10(PatientCondition condition) => StartsWithSkipping(condition.CodeSystem, "ICD10", "-");

    /// <summary>Whether <paramref name="text"/>, with the characters in <paramref name="skip"/> left out, starts with <paramref name="prefix"/> (ASCII, any case).</summary>
    private static bool StartsWithSkipping(string text, string prefix, string skip)
    {
        var p = 0;
        foreach (var c in text)
        {
            if (p == prefix.Length)
            {
                return true;
            }

            if (skip.Contains(c, StringComparison.Ordinal))
            {
                continue;
            }

            if (char.ToUpperInvariant(c) != prefix[p++])
            {
                return false;
            }
        }

        return p == prefix.Length;
    }
}
