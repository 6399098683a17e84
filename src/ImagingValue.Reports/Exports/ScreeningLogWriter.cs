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

    // A not-target row is its order id and a tail that depends only on the protocol and the procedure's exam match, one
    // item shared by every order of that procedure (Core.Protocols.ExamMatcher keeps it): the tail is encoded once per
    // item, not once per order (2.5 CPU s of a million orders' rows before; benchmarks/README.md, issue 17). Keyed by
    // the item itself, not its value: only the shared items are found again.
    private const int ExamTailCacheSize = 4096;
    private readonly Dictionary<ScreeningEvidence, ExamTail> _examTails = new(ReferenceEqualityComparer.Instance);

    private sealed record ExamTail(string ProtocolId, Decision Decision, string Encoded);

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
        if (string.IsNullOrEmpty(window) && d.Reason is null && d.Reasons.Count == 0 && d.Evidence is [{ Source: EvidenceSource.Exam } exam])
        {
            _writer.WriteRow(d.OrderId, ExamOnlyTail(exam, d, protocolId));
            return;
        }

        _writer.WriteRow([d.OrderId, d.DecisionText, d.Reason ?? string.Empty, string.Join(';', d.Reasons), ScreeningEvidenceFormatter.Join(d.Evidence), window, protocolId]);
    }

    /// <summary>Every field after the order id of a row with no reason, no window and the exam match as its only evidence, encoded.</summary>
    private string ExamOnlyTail(ScreeningEvidence exam, ScreeningDecision d, string protocolId)
    {
        if (_examTails.TryGetValue(exam, out var known)
            && known.Decision == d.Decision && string.Equals(known.ProtocolId, protocolId, StringComparison.Ordinal))
        {
            return known.Encoded;
        }

        if (_examTails.Count >= ExamTailCacheSize)
        {
            // Bounded (decisions read back from a store hold items of their own): cleared when full.
            _examTails.Clear();
        }

        var encoded = CsvWriter.EncodeFields([d.DecisionText, string.Empty, string.Empty, ScreeningEvidenceFormatter.Join([exam]), string.Empty, protocolId]);
        _examTails[exam] = new ExamTail(protocolId, d.Decision, encoded);
        return encoded;
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
