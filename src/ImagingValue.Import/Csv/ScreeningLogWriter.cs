using ImagingValue.Core.Analytics;
using ImagingValue.Core.Screening;

namespace ImagingValue.Import.Csv;

/// <summary>
/// Writes screening.csv (contracts section 3): one row per screened order with its decision, reasons and evidence,
/// plus the audit window the exam falls in (<c>period</c>, <c>follow_up</c>, <c>outside</c>) when an audit ran.
/// </summary>
public static class ScreeningLogWriter
{
    public static readonly IReadOnlyList<string> Columns = ["order_id", "decision", "reason", "reasons", "evidence", "window"];

    public static void Write(string path, IEnumerable<ScreeningDecision> decisions, IReadOnlyDictionary<string, string>? windowByOrder = null)
    {
        using var writer = new CsvWriter(path);
        Write(writer, decisions, windowByOrder);
    }

    /// <summary>The same rows to an open writer (e.g. a web download).</summary>
    public static void Write(CsvWriter writer, IEnumerable<ScreeningDecision> decisions, IReadOnlyDictionary<string, string>? windowByOrder = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(decisions);
        writer.WriteRow(Columns);
        foreach (var d in decisions.OrderBy(d => d.OrderId, StringComparer.Ordinal))
        {
            var window = windowByOrder is not null && windowByOrder.TryGetValue(d.OrderId, out var w) ? w : string.Empty;
            writer.WriteRow([d.OrderId, d.DecisionText, d.Reason ?? string.Empty, string.Join(';', d.Reasons), string.Join(" | ", d.Evidence), window]);
        }
    }

    /// <summary>The window of each target exam of an audit, by order id.</summary>
    public static IReadOnlyDictionary<string, string> Windows(AuditResult audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return audit.Exams.ToDictionary(e => e.Order.OrderId, e => e.Window, StringComparer.Ordinal);
    }
}
