using System.Globalization;
using System.Text;
using ImagingValue.Core.Data;

namespace ImagingValue.Core.Screening;

/// <summary>
/// Writes screening evidence as the lines screening.csv has always carried (contracts section 3), e.g.
/// <c>indication: "hx breast ca" [tumor, historical]</c> or <c>ignored condition: C50.911 first known 2016-04-01, after the order [tumor]</c>.
/// Used only where evidence leaves the program (CSV, HTML, CDS card text); the program itself reads the typed fields.
/// </summary>
public static class ScreeningEvidenceFormatter
{
    /// <summary>The separator between evidence lines in one CSV field.</summary>
    public const string Separator = " | ";

    /// <summary>All of a decision's evidence in one field, joined by <see cref="Separator"/>.</summary>
    public static string Join(IReadOnlyList<ScreeningEvidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence.Count == 1)
        {
            return Format(evidence[0]);
        }

        var builder = new StringBuilder();
        for (var i = 0; i < evidence.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(Separator);
            }

            Append(builder, evidence[i]);
        }

        return builder.ToString();
    }

    /// <summary>One line of evidence.</summary>
    public static string Format(ScreeningEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence.Source == EvidenceSource.Legacy)
        {
            return evidence.Text ?? string.Empty;
        }

        var builder = new StringBuilder();
        Append(builder, evidence);
        return builder.ToString();
    }

    private static void Append(StringBuilder b, ScreeningEvidence e)
    {
        switch (e.Source)
        {
            case EvidenceSource.Legacy:
                b.Append(e.Text);
                return;
            case EvidenceSource.Exam:
                AppendExam(b, e);
                return;
            case EvidenceSource.OrderStatus:
                b.Append("status: ").Append(e.Text);
                return;
            case EvidenceSource.ReasonCode:
                Ignored(b, e).Append("reason_code: ").Append(e.Code);
                break;
            case EvidenceSource.ConditionCode:
                Ignored(b, e).Append("condition: ").Append(e.Code).Append(' ');
                if (e.Since is { } since)
                {
                    b.Append("since ").Append(Date(since));
                }
                else if (e.KnownFrom is { } from)
                {
                    b.Append("first known ").Append(Date(from)).Append(", after the order");
                }
                else
                {
                    b.Append("has no onset or recorded date");
                }

                break;
            case EvidenceSource.ConditionText:
                Ignored(b, e).Append("condition text: \"").Append(Quote(e.Text)).Append("\" since ");
                if (e.Since is { } began)
                {
                    b.Append(Date(began));
                }

                break;
            case EvidenceSource.Requirement:
                b.Append(e.Role == EvidenceRole.Unmet ? "unmet requirement: " : "requirement: ").Append(e.Concept).Append(": ").Append(e.Text)
                    .Append(" [").Append(e.For).Append(']');
                return;
            case EvidenceSource.Indication when e.Role == EvidenceRole.Missing:
                b.Append("indication: (none)");
                return;
            case EvidenceSource.Indication when e.Role == EvidenceRole.Unmet:
                b.Append("indication: \"").Append(e.Text).Append("\" is not ").Append(e.For);
                return;
            case EvidenceSource.Indication:
                Ignored(b, e).Append("indication: \"").Append(Quote(e.Text)).Append('"');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.Source, "unknown evidence source");
        }

        b.Append(" [").Append(e.For);
        AppendQualifiers(b, e);
        b.Append(']');
    }

    private static void AppendExam(StringBuilder b, ScreeningEvidence e)
    {
        if (e.Code is not null)
        {
            b.Append("procedure code ").Append(e.Code).Append(" is ").Append(e.For);
            return;
        }

        b.Append("procedure \"").Append(e.Text).Append("\" ");
        if ((e.Qualifiers & EvidenceQualifiers.ExcludedTerm) != 0)
        {
            b.Append("names ").Append(e.Concept);
        }
        else if ((e.Qualifiers & EvidenceQualifiers.NotModality) != 0)
        {
            b.Append("is not this modality");
        }
        else if ((e.Qualifiers & EvidenceQualifiers.NotBodyPart) != 0)
        {
            b.Append("is not this body part");
        }
        else
        {
            b.Append("is ").Append(e.For);
        }
    }

    private static readonly (EvidenceQualifiers Flag, string Words)[] _words =
    [
        (EvidenceQualifiers.Negated, "negated"),
        (EvidenceQualifiers.OtherPerson, "other person"),
        (EvidenceQualifiers.Hypothetical, "hypothetical"),
        (EvidenceQualifiers.SuspectedOnly, "suspected only"),
        (EvidenceQualifiers.Suspected, "suspected"),
        (EvidenceQualifiers.Historical, "historical"),
        (EvidenceQualifiers.Undated, "undated"),
    ];

    /// <summary>The qualifiers as words, each after ", ", in a fixed order (the order the screener has always written them).</summary>
    private static void AppendQualifiers(StringBuilder b, ScreeningEvidence e)
    {
        if (e.Qualifiers == EvidenceQualifiers.None)
        {
            return;
        }

        foreach (var (flag, words) in _words)
        {
            if ((e.Qualifiers & flag) != 0)
            {
                b.Append(", ").Append(words);
            }
        }

        if ((e.Qualifiers & EvidenceQualifiers.DaysBeforeOrder) != 0)
        {
            b.Append(", ").Append((e.DaysBeforeOrder ?? 0).ToString(CultureInfo.InvariantCulture)).Append(" days before order");
        }
    }

    /// <summary>The qualifiers as the words inside the brackets (e.g. <c>suspected, 3 days before order</c>); empty when none.</summary>
    public static string QualifierWords(ScreeningEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var b = new StringBuilder();
        AppendQualifiers(b, evidence);
        return b.Length == 0 ? string.Empty : b.ToString(2, b.Length - 2);
    }

    private static StringBuilder Ignored(StringBuilder b, ScreeningEvidence e) =>
        e.Role == EvidenceRole.Ignored ? b.Append("ignored ") : b;

    private static string Date(DateOnly date) => date.ToString(CanonicalValues.DateFormat, CultureInfo.InvariantCulture);

    /// <summary>A sentence as quoted in evidence: trimmed, its double quotes made single so the quoting stays readable.</summary>
    public static string Quote(string? sentence) => (sentence ?? string.Empty).Trim().Replace('"', '\'');
}
