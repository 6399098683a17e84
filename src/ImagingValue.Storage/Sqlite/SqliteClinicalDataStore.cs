using System.Globalization;
using System.Runtime.CompilerServices;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using static ImagingValue.Storage.Sqlite.SqliteRows;

namespace ImagingValue.Storage.Sqlite;

/// <summary>The imported tables of the workspace file, read back as the domain's records.</summary>
internal sealed class SqliteClinicalDataStore(SqliteConnections connections) : IClinicalDataStore
{
    private const int PageSize = 4096;

    private static readonly string OrderList = OrderColumns();

    private static readonly string AliasedOrderList = OrderColumns("o");

    public async IAsyncEnumerable<CanonicalRow> ReadRowsAsync(CanonicalTable table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        // A page at a time by key, each read whole before it is handed on (no statement stays open between pages).
        var columns = string.Join(", ", table.Columns.Select(c => c.Name));
        var after = string.Empty;
        while (true)
        {
            var page = await connections.ReadAsync(
                $"SELECT row_key, {columns}, extra FROM {table.Name} WHERE row_key > $after ORDER BY row_key LIMIT {PageSize}",
                r => (Key: r.GetString(0), Row: new CanonicalRow([.. Enumerable.Range(1, table.Columns.Count).Select(i => Text(r, i))], Text(r, table.Columns.Count + 1))),
                cancellationToken,
                ("$after", after));
            foreach (var (_, row) in page)
            {
                yield return row;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].Key;
        }
    }

    public Task<IReadOnlyList<string>> GetExtraColumnsAsync(CanonicalTable table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        return connections.ReadAsync($"SELECT DISTINCT e.key FROM {table.Name}, json_each({table.Name}.extra) AS e WHERE {table.Name}.extra IS NOT NULL ORDER BY e.key", r => r.GetString(0), cancellationToken);
    }

    public Task<IReadOnlyList<ImagingOrder>> GetOrdersAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync($"SELECT {OrderList} FROM orders ORDER BY row_key", Order, cancellationToken);

    public async Task<IReadOnlySet<string>> GetOrderIdsAsync(CancellationToken cancellationToken) =>
        (await connections.ReadAsync("SELECT order_id FROM orders", r => r.GetString(0), cancellationToken)).ToHashSet(StringComparer.Ordinal);

    public async IAsyncEnumerable<OrderPage> ReadOrderPagesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Each page is read to its end before the caller sees it: the caller may write a screening run on this
        // connection between pages, and a statement left open would hold a lock that the run's writes need. The
        // statement is prepared and finalized under the gate too, since the run's writer may be inserting then.
        await using var lease = await connections.OpenBulkAsync(cancellationToken);
        var gate = connections.Gate;
        var pages = Locked(gate, () => new SqliteOrderPages(lease.Connection, PageSize));
        try
        {
            var after = string.Empty;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var from = after;
                var page = Locked(gate, () => pages.ReadAfter(from));
                if (page.Count == 0)
                {
                    yield break;
                }

                after = page.LastOrderId;
                yield return page;
                if (page.Count < PageSize)
                {
                    yield break;
                }
            }
        }
        finally
        {
            Locked(gate, () =>
            {
                pages.Dispose();
                return true;
            });
        }
    }

    public Task<ImagingOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken) =>
        connections.ReadFirstAsync($"SELECT {AliasedOrderList} FROM orders o WHERE o.row_key = $id", Order, cancellationToken, ("$id", orderId));

    public Task<IReadOnlyList<ImagingOrder>> GetSameDayOrdersAsync(string patientId, DateOnly date, string exceptOrderId, CancellationToken cancellationToken) =>
        connections.ReadAsync(
            $"SELECT {AliasedOrderList} FROM orders o WHERE o.patient_id = $patient AND o.order_id <> $except AND substr(COALESCE(o.performed_at, o.ordered_at), 1, 10) = $day ORDER BY o.order_id",
            Order,
            cancellationToken,
            ("$patient", patientId),
            ("$except", exceptOrderId),
            ("$day", date.ToString(CanonicalValues.DateFormat, CultureInfo.InvariantCulture)));

    public Task<IReadOnlyList<PatientCondition>> GetConditionsAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync(
            "SELECT patient_id, code, code_system, description, onset_date, recorded_date, clinical_status, abatement_date FROM conditions ORDER BY patient_id, row_key",
            r => new PatientCondition(r.GetString(0), r.GetString(1), r.GetString(2), Text(r, 3), DateOf(Text(r, 4)), DateOf(Text(r, 5)), r.GetString(6), DateOf(Text(r, 7))),
            cancellationToken);

    public Task<IReadOnlyList<RadiologyReport>> GetReportsAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync(
            "SELECT order_id, accession, report_text, finalized_at FROM reports ORDER BY row_key",
            r => new RadiologyReport(Text(r, 0), Text(r, 1), r.GetString(2), r.IsDBNull(3) ? null : DateTimeOf(r.GetString(3))),
            cancellationToken);

    public Task<string?> GetReportTextAsync(string orderId, string? accession, CancellationToken cancellationToken) =>
        connections.ReadFirstAsync(
            "SELECT report_text FROM reports WHERE row_key = $id OR ($accession IS NOT NULL AND row_key = 'accession:' || $accession) ORDER BY row_key = $id DESC LIMIT 1",
            r => r.GetString(0),
            cancellationToken,
            ("$id", orderId),
            ("$accession", accession));

    public Task<IReadOnlyList<ExamReview>> GetReviewsAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync($"SELECT {ReviewColumns()} FROM reviews ORDER BY row_key", Review, cancellationToken);

    // A lock statement cannot stand in an async iterator: the work under the gate goes through here.
    private static T Locked<T>(Lock gate, Func<T> work)
    {
        lock (gate)
        {
            return work();
        }
    }

    public async Task<long?> GetRejectedImportRowsAsync(CancellationToken cancellationToken) =>
        await connections.ReadFirstAsync(
            "SELECT CASE WHEN COUNT(*) = COUNT(rows_rejected) THEN COALESCE(SUM(rows_rejected), 0) END FROM imports WHERE rows_staged IS NOT NULL",
            r => r.IsDBNull(0) ? (long?)null : r.GetInt64(0),
            cancellationToken);

    public async Task<bool> HasSyntheticOrdersAsync(CancellationToken cancellationToken) =>
        await connections.ReadFirstAsync(
            $"SELECT EXISTS (SELECT 1 FROM orders WHERE extra IS NOT NULL AND json_extract(extra, '$.\"{SyntheticData.OrderColumn}\"') = $value)",
            r => r.GetInt64(0) == 1,
            cancellationToken,
            ("$value", SyntheticData.Value));
}
