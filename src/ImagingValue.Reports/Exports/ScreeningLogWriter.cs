using ImagingValue.Core.Analytics;
using ImagingValue.Core.Screening;
using ImagingValue.Import.Csv;

namespace ImagingValue.Reports.Exports;

/// <summary>
/// Writes screening.csv (docs/data-formats.md): one row per screened order with its decision, reasons and evidence,
/// plus the audit window the exam falls in (<c>period</c>, <c>follow_up</c>, <c>outside</c>) when an audit ran.
/// </summary>
public sealed class ScreeningLogWriter : IDisposable
{
    public static readonly IReadOnlyList<string> Columns = ["order_id", "decision", "reason", "reasons", "evidence", "window"];

    private readonly CsvWriter _writer;

    /// <summary>Starts a log that takes decisions one at a time, in the order given (<c>screen</c> streams them by order id).</summary>
    public ScreeningLogWriter(string path)
        : this(new CsvWriter(path))
    {
    }

    /// <summary>The same log to an open text writer (e.g. a web download).</summary>
    public ScreeningLogWriter(TextWriter writer)
        : this(new CsvWriter(writer))
    {
    }

    private ScreeningLogWriter(CsvWriter writer)
    {
        _writer = writer;
        _writer.WriteRow(Columns);
    }

    /// <summary>Writes the whole log, sorted by order id.</summary>
    public static void Write(string path, IEnumerable<ScreeningDecision> decisions, IReadOnlyDictionary<string, string>? windowByOrder = null)
    {
        using var log = new ScreeningLogWriter(path);
        log.AddSorted(decisions, windowByOrder);
    }

    /// <summary>Writes <paramref name="decisions"/> sorted by order id, each with its window when known.</summary>
    public void AddSorted(IEnumerable<ScreeningDecision> decisions, IReadOnlyDictionary<string, string>? windowByOrder = null)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        foreach (var d in decisions.OrderBy(d => d.OrderId, StringComparer.Ordinal))
        {
            Add(d, windowByOrder is not null && windowByOrder.TryGetValue(d.OrderId, out var w) ? w : string.Empty);
        }
    }

    public void Add(ScreeningDecision d, string window = "")
    {
        ArgumentNullException.ThrowIfNull(d);
        _writer.WriteRow([d.OrderId, d.DecisionText, d.Reason ?? string.Empty, string.Join(';', d.Reasons), ScreeningEvidenceFormatter.Join(d.Evidence), window]);
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>The window of each target exam of an audit, by order id.</summary>
    public static IReadOnlyDictionary<string, string> Windows(AuditResult audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return audit.Exams.ToDictionary(e => e.Order.OrderId, e => e.Window, StringComparer.Ordinal);
    }
}
