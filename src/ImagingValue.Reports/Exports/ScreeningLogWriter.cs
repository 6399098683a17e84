using ImagingValue.Core.Analytics;
using ImagingValue.Core.Screening;
using ImagingValue.Import.Csv;

namespace ImagingValue.Reports.Exports;

/// <summary>
/// Writes screening.csv (docs/data-formats.md): one row per screened order and protocol with its decision, reasons and
/// evidence, plus the audit window the exam falls in (<c>period</c>, <c>follow_up</c>, <c>outside</c>) when an audit
/// ran, and the protocol that decided.
/// </summary>
public sealed class ScreeningLogWriter : IDisposable
{
    public static readonly IReadOnlyList<string> Columns = ["order_id", "decision", "reason", "reasons", "evidence", "window", "protocol"];

    private readonly CsvWriter _writer;

    // Keyed by the item itself, not its value: only the shared items are found again.
    private const int ExamEvidenceCacheSize = 4096;
    private readonly Dictionary<ScreeningEvidence, string> _examEvidence = new(ReferenceEqualityComparer.Instance);

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

    /// <summary>Writes the whole log of one or more protocols' runs, sorted by order id and, for one order, in the order of <paramref name="runs"/>.</summary>
    public static void Write(string path, IReadOnlyList<ProtocolDecisions> runs)
    {
        using var log = new ScreeningLogWriter(path);
        log.AddSorted(runs);
    }

    /// <summary>
    /// Writes the whole log of one or more stored runs as <see cref="Write"/> does, streamed: each run's decisions come
    /// by order id (<see cref="Core.Storage.IScreeningRunStore.ReadScreeningDecisionsAsync"/>) and are merged, so only
    /// a page of each is in memory. For one order, the runs' rows follow the order of <paramref name="runs"/>.
    /// </summary>
    public static async Task WriteAsync(string path, IReadOnlyList<ProtocolDecisionStream> runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        using var log = new ScreeningLogWriter(path);
        var heads = new IAsyncEnumerator<ScreeningDecision>?[runs.Count];
        try
        {
            for (var i = 0; i < runs.Count; i++)
            {
                var e = runs[i].Decisions.GetAsyncEnumerator(cancellationToken);
                heads[i] = e;
                if (!await e.MoveNextAsync().ConfigureAwait(false))
                {
                    heads[i] = null;
                    await e.DisposeAsync().ConfigureAwait(false);
                }
            }

            while (true)
            {
                // The run whose next decision has the smallest order id (ordinal, as Write sorts; the stores read by
                // order id bytewise, the same order for ids without characters beyond the BMP); the first run on a tie.
                var next = -1;
                for (var i = 0; i < heads.Length; i++)
                {
                    if (heads[i] is { } head && (next < 0 || string.CompareOrdinal(head.Current.OrderId, heads[next]!.Current.OrderId) < 0))
                    {
                        next = i;
                    }
                }

                if (next < 0)
                {
                    break;
                }

                var run = runs[next];
                var d = heads[next]!.Current;
                log.Add(d, run.ProtocolId, run.WindowByOrder is not null && run.WindowByOrder.TryGetValue(d.OrderId, out var w) ? w : string.Empty);
                if (!await heads[next]!.MoveNextAsync().ConfigureAwait(false))
                {
                    await heads[next]!.DisposeAsync().ConfigureAwait(false);
                    heads[next] = null;
                }
            }
        }
        finally
        {
            foreach (var head in heads)
            {
                if (head is not null)
                {
                    await head.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Writes the decisions of <paramref name="runs"/> sorted by order id (then protocol, in the order given), each with its window when known.</summary>
    public void AddSorted(IReadOnlyList<ProtocolDecisions> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        // OrderBy is stable: rows of one order keep the protocols' order.
        var rows = runs.SelectMany(run => run.Decisions.Select(d => (Run: run, Decision: d)))
            .OrderBy(row => row.Decision.OrderId, StringComparer.Ordinal);
        foreach (var (run, d) in rows)
        {
            Add(d, run.ProtocolId, run.WindowByOrder is not null && run.WindowByOrder.TryGetValue(d.OrderId, out var w) ? w : string.Empty);
        }
    }

    public void Add(ScreeningDecision d, string protocolId, string window = "")
    {
        ArgumentNullException.ThrowIfNull(d);
        _writer.WriteRow([d.OrderId, d.DecisionText, d.Reason ?? string.Empty, string.Join(';', d.Reasons), EvidenceText(d.Evidence), window, protocolId]);
    }

    /// <summary>
    /// The evidence field. A not-target decision's evidence is its procedure's exam match alone, one item shared by
    /// every order of that procedure (<see cref="Core.Protocols.ExamMatcher"/> keeps it): written out once per procedure
    /// rather than once per order.
    /// </summary>
    private string EvidenceText(IReadOnlyList<ScreeningEvidence> evidence)
    {
        if (evidence is not [{ Source: EvidenceSource.Exam } exam])
        {
            return ScreeningEvidenceFormatter.Join(evidence);
        }

        if (!_examEvidence.TryGetValue(exam, out var text))
        {
            if (_examEvidence.Count >= ExamEvidenceCacheSize)
            {
                // Bounded (decisions read back from a store hold items of their own): cleared when full.
                _examEvidence.Clear();
            }

            text = _examEvidence[exam] = ScreeningEvidenceFormatter.Join(evidence);
        }

        return text;
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>The window of each target exam of an audit, by order id.</summary>
    public static IReadOnlyDictionary<string, string> Windows(AuditResult audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return audit.Exams.ToDictionary(e => e.Order.OrderId, e => e.Window, StringComparer.Ordinal);
    }
}

/// <summary>One protocol's decisions for screening.csv, with each target exam's audit window when an audit ran.</summary>
public sealed record ProtocolDecisions(string ProtocolId, IReadOnlyList<ScreeningDecision> Decisions, IReadOnlyDictionary<string, string>? WindowByOrder = null);

/// <summary>One stored run's decisions for screening.csv, read by order id as the log is written, with each target exam's audit window.</summary>
public sealed record ProtocolDecisionStream(string ProtocolId, IAsyncEnumerable<ScreeningDecision> Decisions, IReadOnlyDictionary<string, string>? WindowByOrder = null);
