using System.Globalization;
using System.Runtime.CompilerServices;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using ImagingValue.Storage.Sqlite;
using static ImagingValue.Storage.Postgres.PostgresRows;

namespace ImagingValue.Storage.Postgres;

/// <summary>The imported tables of the workspace database, read back as the domain's records.</summary>
internal sealed class PostgresClinicalDataStore(PostgresConnections connections) : IClinicalDataStore
{
    private const int PageSize = 4096;

    private static readonly string OrderList = SqliteRows.OrderColumns();

    private static readonly string AliasedOrderList = SqliteRows.OrderColumns("o");

    public async IAsyncEnumerable<CanonicalRow> ReadRowsAsync(CanonicalTable table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        // A page at a time by key (keyset paging), each read whole before it is handed on.
        var columns = string.Join(", ", table.Columns.Select(c => c.Name));
        var after = string.Empty;
        while (true)
        {
            var page = await connections.ReadAsync(
                $"SELECT row_key, {columns}, extra FROM {table.Name} WHERE row_key > @after ORDER BY row_key LIMIT {PageSize}",
                r => (Key: r.GetString(0), Row: new CanonicalRow([.. Enumerable.Range(1, table.Columns.Count).Select(i => Text(r, i))], Text(r, table.Columns.Count + 1))),
                cancellationToken,
                ("after", after));
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
        return connections.ReadAsync(
            $"SELECT DISTINCT k COLLATE \"C\" FROM {table.Name}, jsonb_object_keys({table.Name}.extra::jsonb) AS k WHERE {table.Name}.extra IS NOT NULL ORDER BY 1",
            r => r.GetString(0),
            cancellationToken);
    }

    public Task<IReadOnlyList<ImagingOrder>> GetOrdersAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync($"SELECT {OrderList} FROM orders ORDER BY row_key", Order, cancellationToken);

    public async Task<IReadOnlySet<string>> GetOrderIdsAsync(CancellationToken cancellationToken) =>
        (await connections.ReadAsync("SELECT order_id FROM orders", r => r.GetString(0), cancellationToken)).ToHashSet(StringComparer.Ordinal);

    public async IAsyncEnumerable<OrderPage> ReadOrderPagesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Each page on a pooled connection of its own: a screening run writes its decisions on another connection.
        var after = string.Empty;
        while (true)
        {
            var page = await connections.ReadAsync($"SELECT {OrderList} FROM orders WHERE row_key > @after ORDER BY row_key LIMIT {PageSize}", Order, cancellationToken, ("after", after));
            if (page.Count == 0)
            {
                yield break;
            }

            after = page[^1].OrderId;
            yield return new DecodedPage(page);
            if (page.Count < PageSize)
            {
                yield break;
            }
        }
    }

    public Task<ImagingOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken) =>
        connections.ReadFirstAsync($"SELECT {AliasedOrderList} FROM orders o WHERE o.row_key = @id", Order, cancellationToken, ("id", orderId));

    public Task<IReadOnlyList<ImagingOrder>> GetSameDayOrdersAsync(string patientId, DateOnly date, string exceptOrderId, CancellationToken cancellationToken) =>
        connections.ReadAsync(
            $"SELECT {AliasedOrderList} FROM orders o WHERE o.patient_id = @patient AND o.order_id <> @except AND substr(COALESCE(o.performed_at, o.ordered_at), 1, 10) = @day ORDER BY o.order_id",
            Order,
            cancellationToken,
            ("patient", patientId),
            ("except", exceptOrderId),
            ("day", date.ToString(CanonicalValues.DateFormat, CultureInfo.InvariantCulture)));

    public Task<IReadOnlyList<PatientCondition>> GetConditionsAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync(
            "SELECT patient_id, code, code_system, description, onset_date, recorded_date, clinical_status, abatement_date FROM conditions ORDER BY patient_id, row_key",
            r => new PatientCondition(r.GetString(0), r.GetString(1), r.GetString(2), Text(r, 3), SqliteRows.DateOf(Text(r, 4)), SqliteRows.DateOf(Text(r, 5)), r.GetString(6), SqliteRows.DateOf(Text(r, 7))),
            cancellationToken);

    public Task<IReadOnlyList<RadiologyReport>> GetReportsAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync(
            "SELECT order_id, accession, report_text, finalized_at FROM reports ORDER BY row_key",
            r => new RadiologyReport(Text(r, 0), Text(r, 1), r.GetString(2), r.IsDBNull(3) ? null : SqliteRows.DateTimeOf(r.GetString(3))),
            cancellationToken);

    public Task<string?> GetReportTextAsync(string orderId, string? accession, CancellationToken cancellationToken) =>
        connections.ReadFirstAsync(
            "SELECT report_text FROM reports WHERE row_key = @id OR (@accession::text IS NOT NULL AND row_key = 'accession:' || @accession::text) ORDER BY (row_key = @id) DESC LIMIT 1",
            r => r.GetString(0),
            cancellationToken,
            ("id", orderId),
            ("accession", accession));

    public Task<IReadOnlyList<ExamReview>> GetReviewsAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync($"SELECT {SqliteRows.ReviewColumns()} FROM reviews ORDER BY row_key", Review, cancellationToken);

    public async Task<long?> GetRejectedImportRowsAsync(CancellationToken cancellationToken) =>
        await connections.ReadFirstAsync(
            "SELECT CASE WHEN COUNT(*) = COUNT(rows_rejected) THEN COALESCE(SUM(rows_rejected), 0)::bigint END FROM imports WHERE rows_staged IS NOT NULL",
            r => r.IsDBNull(0) ? (long?)null : r.GetInt64(0),
            cancellationToken);

    public async Task<bool> HasSyntheticOrdersAsync(CancellationToken cancellationToken) =>
        await connections.ReadFirstAsync(
            "SELECT EXISTS (SELECT 1 FROM orders WHERE extra IS NOT NULL AND extra::jsonb ->> @column = @value)",
            r => r.GetBoolean(0),
            cancellationToken,
            ("column", SyntheticData.OrderColumn),
            ("value", SyntheticData.Value));

    /// <summary>A page read through the data reader: its orders are made as it is read, so decoding hands them over.</summary>
    private sealed class DecodedPage(IReadOnlyList<ImagingOrder> orders) : OrderPage
    {
        public override int Count => orders.Count;

        public override IReadOnlyList<ImagingOrder> Decode() => orders;
    }
}
