using ImagingValue.Core.Review;
using ImagingValue.Core.Screening;

namespace ImagingValue.Core.Storage;

/// <summary>Screening runs: stored whole or not at all, the latest one per protocol, and what it decided.</summary>
public interface IScreeningRunStore
{
    /// <summary>
    /// Starts storing one screening run per stamp (one per protocol screened in the same pass), decision by decision;
    /// nothing is stored unless they are committed, together. The orders may be read
    /// (<see cref="IClinicalDataStore.ReadOrderPagesAsync"/>) on another thread while decisions are added.
    /// </summary>
    Task<IScreeningRunWriter> BeginScreeningRunsAsync(IReadOnlyList<ScreeningRunStamp> stamps, CancellationToken cancellationToken);

    /// <summary>
    /// A number that changes whenever the screening's inputs (orders, conditions) change: the newest import that
    /// inserted or updated one of their rows. Unchanged re-imports leave it as it was.
    /// </summary>
    Task<long> GetScreeningInputsRevisionAsync(CancellationToken cancellationToken);

    /// <summary>The newest stored run of <paramref name="protocolId"/>, or null when it was never screened.</summary>
    Task<StoredScreeningRun?> GetLatestScreeningRunAsync(string protocolId, CancellationToken cancellationToken);

    /// <summary>Every decision of a stored run, by order id, exactly as it was stored.</summary>
    Task<IReadOnlyList<ScreeningDecision>> GetScreeningDecisionsAsync(long runId, CancellationToken cancellationToken);

    /// <summary>
    /// Every decision of a stored run by order id, read a page at a time as the caller reaches it, so a run of ten
    /// million decisions need not be in memory at once (the screening log of an audit).
    /// </summary>
    IAsyncEnumerable<ScreeningDecision> ReadScreeningDecisionsAsync(long runId, CancellationToken cancellationToken);

    /// <summary>
    /// The target exams of a stored run with their orders, by order id: every decision that is included or excluded,
    /// or whose procedure is the target exam whatever its status (cancelled target orders are counted apart). What an
    /// audit reads of a run; the other orders are only counted (<see cref="Analytics.OrderFacts"/>). The decisions come
    /// without their evidence (empty): an audit counts them and never cites it, and it is most of their bytes.
    /// </summary>
    Task<IReadOnlyList<TargetOrder>> GetTargetOrdersAsync(long runId, CancellationToken cancellationToken);

    /// <summary>Every decision of the latest run of <paramref name="protocolId"/>, by order id; empty when never screened.</summary>
    Task<IReadOnlyList<ScreeningDecision>> GetLatestDecisionsAsync(string protocolId, CancellationToken cancellationToken);

    /// <summary>One order's decision in the latest run of <paramref name="protocolId"/>, or null.</summary>
    Task<ScreeningDecision?> GetLatestDecisionAsync(string protocolId, string orderId, CancellationToken cancellationToken);

    /// <summary>The included exams of the latest run of <paramref name="protocolId"/> with their orders; empty when never screened.</summary>
    Task<IReadOnlyList<IncludedExam>> GetIncludedExamsAsync(string protocolId, CancellationToken cancellationToken);

    /// <summary>
    /// One page of the included exams of the latest run of <paramref name="protocolId"/> that match
    /// <paramref name="filter"/>, in the worklist's order (exam date, then order id), skipping <paramref name="offset"/>
    /// and taking at most <paramref name="limit"/>, with how many match in all: the worklist pages in the database
    /// instead of reading every included exam.
    /// </summary>
    Task<IncludedExamPage> GetIncludedExamPageAsync(string protocolId, IncludedExamFilter filter, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The exams of the same page as <see cref="GetIncludedExamPageAsync"/>, without counting how many match: for a
    /// caller that knows the count already. The worklist's "Unreviewed" is every exam less the reviewed ones it has
    /// read, and counting it in the database (every exam against the reviews) was a third of that page's time.
    /// </summary>
    Task<IReadOnlyList<IncludedExam>> GetIncludedExamRowsAsync(string protocolId, IncludedExamFilter filter, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The order ids of every included exam of the latest run of <paramref name="protocolId"/> that matches
    /// <paramref name="filter"/>, in the worklist's order (exam date, then order id): the worklist works out the
    /// review stage of the reviewed ones without reading their orders.
    /// </summary>
    Task<IReadOnlyList<string>> GetIncludedOrderIdsAsync(string protocolId, IncludedExamFilter filter, CancellationToken cancellationToken);

    /// <summary>
    /// Records what an analysis of <paramref name="protocolId"/> covered (period, intervention, follow-up, charge), so
    /// the review pages open on the latest analysis period and the dashboard shows the figures the report printed.
    /// Recording the same options as the latest again writes nothing.
    /// </summary>
    Task RecordAnalysisAsync(string protocolId, Analytics.AuditOptions options, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The options of the latest recorded analysis of <paramref name="protocolId"/>, or null when none was recorded.</summary>
    Task<Analytics.AuditOptions?> GetLatestAnalysisAsync(string protocolId, CancellationToken cancellationToken);

    /// <summary>What an analysis of <paramref name="protocolId"/> would be made from, as three numbers in one query, so a page can tell whether a kept analysis is still current.</summary>
    Task<AnalysisInputs> GetAnalysisInputsAsync(string protocolId, CancellationToken cancellationToken);
}

/// <summary>A target exam's order and its decision in a screening run (<see cref="IScreeningRunStore.GetTargetOrdersAsync"/>).</summary>
public sealed record TargetOrder(Data.ImagingOrder Order, ScreeningDecision Decision);

/// <summary>Names the inputs of an analysis: an analysis kept for the same three numbers is still current.</summary>
/// <param name="RunId">The latest screening run of the protocol; null when never screened.</param>
/// <param name="DataRevision">The screening-inputs revision (<see cref="IScreeningRunStore.GetScreeningInputsRevisionAsync"/>).</param>
/// <param name="ReviewRevision">Changes whenever any review changes, by import or in the browser.</param>
public sealed record AnalysisInputs(long? RunId, long DataRevision, long ReviewRevision, long InterventionRevision = 0);

/// <summary>Which included exams a worklist lists (<see cref="IScreeningRunStore.GetIncludedExamPageAsync"/>); every one when all are null.</summary>
/// <param name="Period">Exams whose exam date (performed, else ordered) is in the period, both ends included.</param>
/// <param name="Department">
/// Exams of this ordering department as <see cref="Analytics.OrderingPareto.NameOf"/> names it: trimmed, and
/// <see cref="Analytics.OrderingPareto.NotRecorded"/> for an order without one.
/// </param>
/// <param name="Provider">Exams of this ordering provider, named as <paramref name="Department"/> is.</param>
/// <param name="Reviewed">True: only exams with at least one review (imported or saved); false: only exams without one.</param>
/// <param name="OrderIds">Only the exams of these orders (a page the worklist chose).</param>
public sealed record IncludedExamFilter(Analytics.DateRange? Period = null, string? Department = null, string? Provider = null, bool? Reviewed = null, IReadOnlyCollection<string>? OrderIds = null);

/// <summary>A page of included exams in the worklist's order, and how many exams the filter matches in all.</summary>
public sealed record IncludedExamPage(IReadOnlyList<IncludedExam> Exams, int Total);

/// <summary>Screening runs being stored: all of them on <see cref="CommitAsync"/>, none of them if disposed before.</summary>
public interface IScreeningRunWriter : IAsyncDisposable
{
    /// <summary>
    /// Adds decisions to run <paramref name="run"/> (the index of its stamp) in the order given; a page at a time keeps
    /// the cost of sharing a connection per page.
    /// </summary>
    ValueTask AddAsync(int run, IReadOnlyList<ScreeningDecision> decisions, CancellationToken cancellationToken);

    /// <summary>Stores the runs; returns their ids, in the order of their stamps.</summary>
    Task<IReadOnlyList<long>> CommitAsync(CancellationToken cancellationToken);
}
