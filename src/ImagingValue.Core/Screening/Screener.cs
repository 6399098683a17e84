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

    public Screener(Protocol protocol, ClinicalTextAnalyzer text)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(text);
        _protocol = protocol;
        _text = text;
        _target = new ExamMatcher(protocol.TargetExam);
    }

    public Protocol Protocol => _protocol;

    /// <summary>Screens one order. <paramref name="patientConditions"/> may hold the patient's whole history: only what was known at the order counts.</summary>
    public ScreeningDecision Screen(ImagingOrder order, IEnumerable<PatientCondition> patientConditions)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(patientConditions);

        var exam = _target.Explain(order.ProcedureCode, order.ProcedureName);
        if (!exam.Matched)
        {
            return new ScreeningDecision(order.OrderId, Decision.NotTarget, false, null, [], [exam.Because]);
        }

        if (!order.IsCompleted)
        {
            return new ScreeningDecision(order.OrderId, Decision.NotTarget, true, null, [], [exam.Because, $"status: {order.Status}"]);
        }

        var evidence = new List<string>();
        var ignored = new List<string>();
        var mentions = string.IsNullOrWhiteSpace(order.Indication) ? [] : _text.Analyze(order.Indication, order.OrderedAt);
        var orderDate = DateOnly.FromDateTime(order.OrderedAt);
        var asserted = patientConditions.Where(c => c.IsAsserted && IsIcd10(c)).ToList();
        var known = asserted.Where(c => c.KnownFrom is { } from && from <= orderDate).ToList();
        var notYetKnown = asserted.Except(known).ToList();

        var reasons = new List<string>();
        foreach (var flag in _protocol.RedFlags)
        {
            var found = false;
            foreach (var code in order.ReasonCodes.Where(code => flag.Codes.Any(r => r.Contains(code))))
            {
                evidence.Add($"reason_code: {code} [{flag.Id}]");
                found = true;
            }

            // Conditions first known after the order (or never dated) did not inform it: say so, so a reviewer
            // sees why a cancer code in the chart did not exclude the exam.
            foreach (var condition in notYetKnown.Where(c => flag.Codes.Any(r => r.Contains(c.Code))))
            {
                ignored.Add(condition.KnownFrom is { } from
                    ? $"ignored condition: {condition.Code} first known {from.ToString(CanonicalValues.DateFormat, CultureInfo.InvariantCulture)}, after the order [{flag.Id}]"
                    : $"ignored condition: {condition.Code} has no onset or recorded date [{flag.Id}]");
            }

            foreach (var condition in known.Where(c => flag.Codes.Any(r => r.Contains(c.Code))))
            {
                var began = condition.BeganOn!.Value;
                var daysBefore = orderDate.DayNumber - began.DayNumber;
                var window = flag.ConditionWindowDays ?? flag.MaxDaysBeforeOrder;
                var describe = $"condition: {condition.Code} since {began.ToString(CanonicalValues.DateFormat, CultureInfo.InvariantCulture)}";
                if (window is { } days && daysBefore >= days)
                {
                    ignored.Add($"ignored {describe} [{flag.Id}, {daysBefore} days before order]");
                    continue;
                }

                evidence.Add($"{describe} [{flag.Id}]");
                found = true;
            }

            foreach (var mention in mentions.Where(m => flag.Concepts.Contains(m.Concept, StringComparer.Ordinal)))
            {
                var verdict = Judge(flag, mention, order.OrderedAt);
                if (verdict.Counts)
                {
                    evidence.Add($"indication: \"{Quote(mention)}\" [{flag.Id}{verdict.Qualifier}]");
                    found = true;
                }
                else
                {
                    ignored.Add($"ignored indication: \"{Quote(mention)}\" [{flag.Id}, {verdict.Qualifier.TrimStart(',', ' ')}]");
                }
            }

            if (found)
            {
                reasons.Add(flag.Id);
            }
        }

        if (reasons.Count > 0)
        {
            return new ScreeningDecision(order.OrderId, Decision.Excluded, true, reasons[0], reasons, [.. evidence, .. ignored]);
        }

        var qualifying = QualifyingEvidence(order, mentions);
        if (qualifying.Count == 0)
        {
            var what = string.IsNullOrWhiteSpace(order.Indication) ? "indication: (none)" : $"indication: \"{order.Indication.Trim()}\" is not {_protocol.Indication.Label}";
            return new ScreeningDecision(order.OrderId, Decision.Excluded, true, Protocol.NoQualifyingIndication, [Protocol.NoQualifyingIndication], [what, .. ignored]);
        }

        return new ScreeningDecision(order.OrderId, Decision.Included, true, null, [], [.. qualifying, .. ignored]);
    }

    private List<string> QualifyingEvidence(ImagingOrder order, IReadOnlyList<Mention> mentions)
    {
        var evidence = new List<string>();
        foreach (var code in order.ReasonCodes.Where(code => _protocol.Indication.Codes.Any(r => r.Contains(code))))
        {
            evidence.Add($"reason_code: {code} [{_protocol.Indication.Label}]");
        }

        foreach (var mention in mentions.Where(m => _protocol.Indication.Concepts.Contains(m.Concept, StringComparer.Ordinal)))
        {
            var a = mention.Assertion;
            if (!a.Negated && !a.Hypothetical && a.Experiencer == Experiencer.Patient)
            {
                evidence.Add($"indication: \"{Quote(mention)}\" [{mention.Concept}]");
            }
        }

        return evidence;
    }

    /// <summary>Whether one mention of a red-flag concept counts under the flag's rules, and the qualifiers that say why.</summary>
    private static (bool Counts, string Qualifier) Judge(RedFlag flag, Mention mention, DateTime orderedAt)
    {
        var a = mention.Assertion;
        if (a.Negated)
        {
            return (false, ", negated");
        }

        if (a.Experiencer != Experiencer.Patient)
        {
            return (false, ", other person");
        }

        if (a.Hypothetical)
        {
            return (false, ", hypothetical");
        }

        if (a.Uncertain && !flag.SuspectedCounts)
        {
            return (false, ", suspected only");
        }

        var qualifier = a.Uncertain ? ", suspected" : string.Empty;
        if (flag.MaxDaysBeforeOrder is { } maxDays)
        {
            if (mention.Time is { } time)
            {
                var days = (int)Math.Round(time.DaysBefore(orderedAt), MidpointRounding.AwayFromZero);
                return days < maxDays
                    ? (true, $"{qualifier}, {days} days before order")
                    : (false, $"{qualifier}, {days} days before order");
            }

            if (a.Historical && !OnlyRecentHistory(flag, a))
            {
                return (false, ", historical");
            }

            return flag.UndatedCounts ? (true, $"{qualifier}, undated") : (false, ", undated");
        }

        if (a.Historical)
        {
            return flag.HistoricalCounts ? (true, $"{qualifier}, historical") : (false, ", historical");
        }

        if (flag.ConditionWindowDays is { } window && mention.Time is { } when && when.DaysBefore(orderedAt) >= window)
        {
            return (false, $", {(int)when.DaysBefore(orderedAt)} days before order");
        }

        return (true, qualifier);
    }

    /// <summary>True when every history trigger on the mention is one the flag reads as "over, but recent" (e.g. s/p).</summary>
    private static bool OnlyRecentHistory(RedFlag flag, Assertion assertion) =>
        flag.RecentHistoryTriggers is { Count: > 0 } recent
        && assertion.Modifiers.Where(m => m.Category == "HISTORICAL").All(m => recent.Contains(m.Text.Trim(), StringComparer.OrdinalIgnoreCase));

    private static bool IsIcd10(PatientCondition condition) =>
        condition.CodeSystem.Replace("-", string.Empty, StringComparison.Ordinal).StartsWith("ICD10", StringComparison.OrdinalIgnoreCase);

    private static string Quote(Mention mention) => mention.Sentence.Trim().Replace('"', '\'');
}
