using System.Globalization;
using System.Text;
using ImagingValue.ClinicalText;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Screening;

namespace ImagingValue.Protocols;

/// <summary>
/// A protocol in words a QI lead can review with a clinician (<c>protocol show</c>): the exam, the indication, each red
/// flag with its codes, the phrases its concepts match and its sources, and what never counts; and a protocol's
/// example cases checked (<c>protocol test</c>). Everything shown is read from the protocol and its rule sets.
/// </summary>
public static class ProtocolDescription
{
    /// <summary>One line for <c>protocol list</c>: id, title, and how much it holds.</summary>
    public static string Summary(ProtocolRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var p = runtime.Protocol;
        return string.Create(CultureInfo.InvariantCulture,
            $"{p.Id}: {p.Title} ({p.RedFlags.Count} red flags, {p.Examples.Count} examples)");
    }

    /// <summary>The whole protocol in words.</summary>
    /// <param name="runtime">The protocol.</param>
    /// <param name="givenAs">How the user named it (a built-in id or a file's path): the closing line tells them to run
    /// <c>protocol test</c> with it, and a site's file is not found by its id. The protocol's id when null.</param>
    public static string Describe(ProtocolRuntime runtime, string? givenAs = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var p = runtime.Protocol;
        var b = new StringBuilder();
        b.Append(p.Id).Append(": ").AppendLine(p.Title);
        if (p.Description.Length > 0)
        {
            b.AppendLine(p.Description.Trim());
        }

        Lines("Sources", [.. (p.Sources ?? []).Select(Cite)], b, "");
        b.AppendLine();
        b.Append("Target exam: ").AppendLine(p.TargetExam.Label);
        Exam(p.TargetExam, b);
        foreach (var (id, exam) in p.ConcurrentExams)
        {
            b.Append("Also counted when done the same day (").Append(id).Append("): ").AppendLine(exam.Label);
            Exam(exam, b);
        }

        b.AppendLine();
        b.Append("Qualifying indication: ").AppendLine(p.Indication.Label);
        List("ICD-10-CM codes on the order", p.Indication.Codes.Select(c => c.ToString()), b);
        Phrases(p.Indication.Concepts, runtime.IndicationRules, b);
        b.AppendLine("  counts unless negated, hypothetical or about someone else; a suspected mention counts");
        b.AppendLine();
        b.AppendLine("Red flags, in order (an order with any of them is excluded; the first one found is its reason):");
        for (var i = 0; i < p.RedFlags.Count; i++)
        {
            RedFlag(i + 1, p.RedFlags[i], p, runtime.IndicationRules, b);
        }

        b.AppendLine();
        b.AppendLine("Never counted: a negated mention (\"no trauma\"), someone else's history (\"mother had breast cancer\"), a hypothetical");
        b.AppendLine("(\"return if fever\"), and a condition first known after the order. With no red flag, an order without the");
        b.Append("qualifying indication is excluded as ").Append(Protocol.NoQualifyingIndication).AppendLine("; the rest are included: the low-value orders.");
        Told(p, b);
        b.AppendLine();
        b.Append(p.Examples.Count.ToString(CultureInfo.InvariantCulture)).Append(" example cases; `protocol test ").Append(givenAs ?? p.Id).AppendLine("` checks them.");
        return b.ToString();
    }

    /// <summary>A failed example: where it is, what was expected and decided, and the evidence that decided.</summary>
    public static string Failure(ProtocolExampleOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var e = outcome.Example;
        var b = new StringBuilder();
        b.Append(e.Where).Append(": ").Append(e.Text is null ? "(no text)" : $"\"{e.Text}\"")
            .Append(": expected ").Append(Words(e.Expected, e.ExpectedReason))
            .Append(", got ").AppendLine(Words(outcome.Decision.Decision, outcome.Decision.Reason));
        if (outcome.Decision.Reasons.Count > 1)
        {
            b.Append("    all reasons: ").AppendLine(string.Join(", ", outcome.Decision.Reasons));
        }

        b.Append("    evidence: ").AppendLine(outcome.Decision.Evidence.Count == 0 ? "(none)" : ScreeningEvidenceFormatter.Join(outcome.Decision.Evidence));
        if (e.Note is not null)
        {
            b.Append("    note: ").AppendLine(e.Note);
        }

        return b.ToString();
    }

    private static string Words(Decision decision, string? reason) =>
        decision == Decision.Excluded ? $"{ScreeningDecision.Text(decision)} ({reason})" : ScreeningDecision.Text(decision);

    private static void Exam(ExamDefinition exam, StringBuilder b)
    {
        List("procedure codes", exam.Codes, b);
        if (exam.ModalityTerms.Count > 0)
        {
            b.Append("  or a procedure name with one of: ").Append(string.Join(", ", exam.ModalityTerms))
                .Append("; and one of: ").AppendLine(string.Join(", ", exam.BodyTerms));
        }

        List("not when the name has any of", exam.ExcludeTerms, b);
    }

    /// <summary>What the deck, the feedback and the card tell clinicians, as the protocol words it (education, card); nothing when it gives neither.</summary>
    private static void Told(Protocol p, StringBuilder b)
    {
        if (p.Education is null && p.Card is null)
        {
            return;
        }

        b.AppendLine();
        b.AppendLine("What clinicians are told (the education deck, the department feedback and the point-of-order card):");
        var education = p.Education;
        Lines("the question", education?.Question ?? [], b, "  ");
        Lines("what the guidelines say", [.. (education?.Guidelines ?? []).Select(g => g.Sources.Count == 0
            ? g.Text
            : $"{g.Text} (sources: {string.Join("; ", p.SourcesOf(g.Sources).Select(s => s.Title))})")], b, "  ");
        Lines("what to do instead", education?.Instead ?? [], b, "  ");
        if (education?.FeedbackAdvice is { } advice)
        {
            b.Append("  the feedback's advice: ").AppendLine(advice);
        }

        if (p.Card is { } card)
        {
            b.Append("  the card's basis: ").AppendLine(card.Basis.Trim());
            Lines("the card offers instead of the order", [
                card.Cancel ?? "Cancel this order",
                .. card.Alternatives.Select(a => $"{a.Label} ({a.System} {a.Code}{(a.Terms.Count + a.Codes.Count == 0 ? string.Empty : ", for reasons naming " + string.Join(", ", [.. a.Terms, .. a.Codes.Select(c => c.ToString())]))})"),
            ], b, "  ");
        }
    }

    private static string Cite(GuidelineSource source) => $"{source.Title} <{source.Url}>";

    private static void RedFlag(int number, RedFlag flag, Protocol protocol, IReadOnlyList<TargetRule> rules, StringBuilder b)
    {
        b.Append(number.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(flag.Label).Append(" [").Append(flag.Id).AppendLine("]");
        b.Append("  ").AppendLine(Rules(flag));
        List("ICD-10-CM codes (order or conditions)", flag.Codes.Select(c => c.ToString()), b);
        List("SNOMED CT concepts (conditions)", flag.SnomedCodes ?? [], b);
        Phrases([.. flag.Concepts, .. flag.Requires?.WithConcepts ?? []], rules, b);
        Lines("sources", [.. protocol.SourcesOf(flag.Sources ?? []).Select(Cite)], b, "  ");
    }

    /// <summary>How a mention of the flag is judged, in one sentence.</summary>
    private static string Rules(RedFlag flag)
    {
        var parts = new List<string>
        {
            flag.SuspectedCounts ? "a suspected mention counts" : "only a known diagnosis counts (a suspicion does not)",
            flag.HistoricalCounts ? "past history counts" : "past history does not count",
        };
        if (flag.MaxDaysBeforeOrder is { } days)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"only if it happened less than {days} days before the order")
                + (flag.UndatedCounts ? " (an undated current mention counts)" : " (an undated mention does not count)"));
        }

        if (flag.ConditionWindowDays is { } window)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"a condition counts if it began less than {window} days before the order"));
        }

        parts.AddRange(flag.Requires?.InWords() ?? []);
        return string.Join("; ", parts);
    }

    /// <summary>The phrases (and patterns) each concept matches, from the protocol's own rule sets.</summary>
    private static void Phrases(IReadOnlyList<string> concepts, IReadOnlyList<TargetRule> rules, StringBuilder b)
    {
        foreach (var concept in concepts)
        {
            var phrases = rules.Where(r => r.Category == concept)
                .Select(r => r.AnyOrder is { } parts ? $"[{Words(parts[0])}] and [{Words(parts[1])}] in either order"
                    : r.Pattern is null ? r.Literal : $"{r.Literal} (pattern)")
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            List($"text phrases ({concept})", phrases, b);
        }
    }

    /// <summary>Items that hold commas themselves (citations): one a line.</summary>
    private static void Lines(string label, IReadOnlyList<string> items, StringBuilder b, string indent)
    {
        if (items.Count > 0)
        {
            b.Append(indent).Append(label).AppendLine(":");
            foreach (var item in items)
            {
                b.Append(indent).Append("  - ").AppendLine(item);
            }
        }
    }

    private static string Words(IReadOnlyList<string[]> phrases) => string.Join(" | ", phrases.Select(p => string.Join(' ', p)));

    private static void List(string label, IEnumerable<string> items, StringBuilder b, string indent = "  ")
    {
        var list = items.ToList();
        if (list.Count > 0)
        {
            b.Append(indent).Append(label).Append(": ").AppendLine(string.Join(", ", list));
        }
    }
}
