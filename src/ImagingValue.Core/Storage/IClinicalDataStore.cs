using ImagingValue.Core.Data;

namespace ImagingValue.Core.Storage;

/// <summary>The imported orders, conditions, reports and reviews, read as screening, analysis and the review pages need them.</summary>
public interface IClinicalDataStore
{
    /// <summary>
    /// The stored rows of a canonical table as stored (normal forms, unknown columns as a JSON object), by key, a row
    /// at a time: what <c>export</c> writes, so anyone can see exactly what the workspace holds.
    /// </summary>
    IAsyncEnumerable<CanonicalRow> ReadRowsAsync(CanonicalTable table, CancellationToken cancellationToken);

    /// <summary>The names of the unknown columns the rows of <paramref name="table"/> carry, in name order.</summary>
    Task<IReadOnlyList<string>> GetExtraColumnsAsync(CanonicalTable table, CancellationToken cancellationToken);

    /// <summary>Every order, by order id.</summary>
    Task<IReadOnlyList<ImagingOrder>> GetOrdersAsync(CancellationToken cancellationToken);

    /// <summary>The ids of every order, to check a file's references against (no order is decoded).</summary>
    Task<IReadOnlySet<string>> GetOrderIdsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every order by order id, a page at a time, each read as the caller reaches it, so a million orders need not be
    /// in memory at once. A page becomes orders when decoded, on any thread, so pages can be decoded in parallel.
    /// A screening run may be stored (<see cref="IScreeningRunStore.BeginScreeningRunAsync"/>) while the pages are read.
    /// </summary>
    IAsyncEnumerable<OrderPage> ReadOrderPagesAsync(CancellationToken cancellationToken);

    /// <summary>One order, or null.</summary>
    Task<ImagingOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>The patient's other orders performed (or ordered) on <paramref name="date"/>, by order id.</summary>
    Task<IReadOnlyList<ImagingOrder>> GetSameDayOrdersAsync(string patientId, DateOnly date, string exceptOrderId, CancellationToken cancellationToken);

    /// <summary>Every condition, by patient.</summary>
    Task<IReadOnlyList<PatientCondition>> GetConditionsAsync(CancellationToken cancellationToken);

    /// <summary>Every report, by key.</summary>
    Task<IReadOnlyList<RadiologyReport>> GetReportsAsync(CancellationToken cancellationToken);

    /// <summary>The report text of an order (by order id, else by accession), or null.</summary>
    Task<string?> GetReportTextAsync(string orderId, string? accession, CancellationToken cancellationToken);

    /// <summary>Every review (imported or saved in the browser), by key.</summary>
    Task<IReadOnlyList<ExamReview>> GetReviewsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// True when any stored order carries the synthetic generator's mark (<see cref="SyntheticData"/>): its extra
    /// attribute <see cref="SyntheticData.OrderColumn"/> is <see cref="SyntheticData.Value"/>.
    /// </summary>
    Task<bool> HasSyntheticOrdersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Rows rejected by the workspace's committed imports, summed; null when an import predates the record (migration
    /// 0011) and the sum would understate it.
    /// </summary>
    Task<long?> GetRejectedImportRowsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// How synthetic data is told from real: the generator (<c>synth</c>, <c>demo</c>) writes an extra orders.csv column
/// that import keeps with each order; a site export never has it, so real data is never marked.
/// </summary>
public static class SyntheticData
{
    /// <summary>The extra orders.csv column.</summary>
    public const string OrderColumn = "imaging_value_synthetic";

    /// <summary>Its value on every generated order.</summary>
    public const string Value = "true";
}

/// <summary>
/// A page of orders as the store read it; <see cref="Decode"/> (once, on any thread) turns it into orders. What a page
/// holds until then (bytes, rows) is the provider's own.
/// </summary>
public abstract class OrderPage
{
    public abstract int Count { get; }

    public abstract IReadOnlyList<ImagingOrder> Decode();
}

/// <summary>Reading helpers every store gets from its primitives.</summary>
public static class ClinicalDataStoreExtensions
{
    /// <summary>Every order by order id, read and decoded a page at a time.</summary>
    public static async Task<IReadOnlyList<ImagingOrder>> ReadOrdersAsync(this IClinicalDataStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var orders = new List<ImagingOrder>();
        await foreach (var page in store.ReadOrderPagesAsync(cancellationToken).ConfigureAwait(false))
        {
            orders.AddRange(page.Decode());
        }

        return orders;
    }
}
