using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;

namespace ImagingValue.Core.Storage;

/// <summary>
/// A workspace: the imported data of one audit team and the screening runs made on it.
/// Implementations keep SQL inside the Storage project; the domain sees only this.
/// </summary>
public interface IWorkspaceStore : IDisposable
{
    /// <summary>Starts an all-or-nothing import of one file into <paramref name="table"/>. Disposing without commit rolls back.</summary>
    IImportSession BeginImport(CanonicalTable table, string sourceName);

    Task<IReadOnlyList<ImagingOrder>> GetOrdersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every order by order id, a page at a time, each read as the caller reaches it, so a million orders need not be
    /// in memory at once. A page becomes orders when decoded, on any thread, so pages can be decoded in parallel.
    /// </summary>
    IEnumerable<OrderPage> ReadOrderPages(CancellationToken cancellationToken);

    Task<IReadOnlyList<PatientCondition>> GetConditionsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<RadiologyReport>> GetReportsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ExamReview>> GetReviewsAsync(CancellationToken cancellationToken);

    /// <summary>Stores a screening run and its decisions; returns the run's id.</summary>
    Task<long> SaveScreeningRunAsync(ScreeningRun run, CancellationToken cancellationToken);

    /// <summary>Starts storing a screening run decision by decision; nothing is stored unless it is committed.</summary>
    IScreeningRunWriter BeginScreeningRun(ScreeningRunStamp stamp);

    /// <summary>
    /// A number that changes whenever the screening's inputs (orders, conditions) change: the newest import that
    /// inserted or updated one of their rows. Unchanged re-imports leave it as it was.
    /// </summary>
    Task<long> GetScreeningInputsRevisionAsync(CancellationToken cancellationToken);

    /// <summary>The newest stored run of <paramref name="protocolId"/>, or null when it was never screened.</summary>
    Task<StoredScreeningRun?> GetLatestScreeningRunAsync(string protocolId, CancellationToken cancellationToken);

    /// <summary>Every decision of a stored run, by order id, exactly as it was stored.</summary>
    Task<IReadOnlyList<ScreeningDecision>> GetScreeningDecisionsAsync(long runId, CancellationToken cancellationToken);

    /// <summary>Records an intervention; returns its id.</summary>
    Task<long> AddInterventionAsync(Interventions.Intervention intervention, CancellationToken cancellationToken);

    /// <summary>Every intervention, by date.</summary>
    Task<IReadOnlyList<Interventions.Intervention>> GetInterventionsAsync(CancellationToken cancellationToken);

    /// <summary>Keeps an audit's headline for the point-of-order card to cite, unless the newest one kept says the same (then nothing is written).</summary>
    Task SaveLocalEvidenceAsync(Alerts.LocalEvidence evidence, CancellationToken cancellationToken);

    /// <summary>Every point-of-order alert the service recorded.</summary>
    Task<IReadOnlyList<Alerts.PointOfOrderAlert>> GetAlertsAsync(CancellationToken cancellationToken);

    /// <summary>Every card outcome the service recorded.</summary>
    Task<IReadOnlyList<Alerts.AlertFeedback>> GetAlertFeedbackAsync(CancellationToken cancellationToken);

    /// <summary>Row counts per table, for status and tests.</summary>
    Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken cancellationToken);
}

/// <summary>A page of orders as the store read it; <see cref="Decode"/> (once, on any thread) turns it into orders.</summary>
public abstract class OrderPage
{
    public abstract int Count { get; }

    public abstract IReadOnlyList<ImagingOrder> Decode();
}

/// <summary>Reading helpers every store gets from its primitives.</summary>
public static class WorkspaceStoreExtensions
{
    /// <summary>Every order by order id, read and decoded as the caller consumes them.</summary>
    public static IEnumerable<ImagingOrder> ReadOrders(this IWorkspaceStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.ReadOrderPages(cancellationToken).SelectMany(page => page.Decode());
    }
}

/// <summary>A screening run being stored: all of it on <see cref="Commit"/>, none of it if disposed before.</summary>
public interface IScreeningRunWriter : IDisposable
{
    /// <summary>Adds decisions in the order given; a page at a time keeps the cost of sharing a connection per page.</summary>
    void Add(IReadOnlyList<ScreeningDecision> decisions);

    /// <summary>Stores the run; returns its id.</summary>
    long Commit();
}

/// <summary>One import in progress: rows are staged, conflicts found, then committed at once or not at all.</summary>
public interface IImportSession : IDisposable
{
    /// <summary>Stages a valid, normalised row (values in the table's column order).</summary>
    /// <param name="line">The row's line number in the source file, for messages.</param>
    /// <param name="key">The row key (see <see cref="CanonicalTable.KeyOf"/>).</param>
    /// <param name="extraJson">Unknown columns as a JSON object, or null.</param>
    void Stage(int line, string key, IReadOnlyList<string?> values, string? extraJson);

    /// <summary>Keys staged more than once with different data, with every line that carried them.</summary>
    IReadOnlyList<KeyConflict> FindConflicts();

    /// <summary>Writes the staged rows (except <paramref name="skipKeys"/>) and commits.</summary>
    ImportCounts Commit(IReadOnlySet<string> skipKeys);
}

/// <summary>A key that one file gives twice with different data.</summary>
public sealed record KeyConflict(string Key, IReadOnlyList<int> Lines);

/// <summary>What an import did: rows new, changed and already present unchanged.</summary>
public sealed record ImportCounts(long Inserted, long Updated, long Unchanged);
