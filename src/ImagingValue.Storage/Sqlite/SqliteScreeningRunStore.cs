using System.Globalization;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Data;
using ImagingValue.Core.Review;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;
using static ImagingValue.Storage.Sqlite.SqliteRows;

namespace ImagingValue.Storage.Sqlite;

/// <summary>Screening runs in the workspace file: <c>screening_runs</c> and <c>screening_decisions</c>.</summary>
internal sealed class SqliteScreeningRunStore(SqliteConnections connections) : IScreeningRunStore
{
    // The newest screening run of the protocol a query is about.
    private const string LatestRun = "(SELECT MAX(run_id) FROM screening_runs WHERE protocol_id = $protocol)";

    private const string DecisionColumns = ScreeningDecisionRows.Columns;
    private const string DecisionsFrom = ScreeningDecisionRows.From;

    private static readonly string OrderList = OrderColumns("o");

    /// <summary>
    /// Starts a run that may be written while the orders are paged on another thread: with a command's shared
    /// connection both take turns on it (a page read, then decisions). A second connection in WAL mode, so that
    /// reading and writing overlap, was tried and gave no gain once decoding left the reading thread (10.3 s either
    /// way for a million orders), so the workspace keeps its rollback journal.
    /// </summary>
    public async Task<IScreeningRunWriter> BeginScreeningRunsAsync(IReadOnlyList<ScreeningRunStamp> stamps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stamps);
        var lease = await connections.OpenBulkAsync(cancellationToken);
        try
        {
            return new SqliteScreeningRunWriter(lease, connections.Gate, stamps);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    // Every import that changed a row has its own id, and the rows it wrote carry it: the newest such id names the data.
    // Imports that changed nothing (a re-import of the same file) do not count; feed messages (kind hl7) are imports of orders.
    private const string InputsRevision =
        "SELECT COALESCE(MAX(import_id), 0) FROM imports WHERE kind IN ('orders', 'conditions', 'hl7') AND (inserted > 0 OR updated > 0)";

    public async Task<long> GetScreeningInputsRevisionAsync(CancellationToken cancellationToken) =>
        await connections.ReadFirstAsync(InputsRevision, r => r.GetInt64(0), cancellationToken);

    public async Task<AnalysisInputs> GetAnalysisInputsAsync(string protocolId, CancellationToken cancellationToken) =>
        // Every change of a review, imported or saved in the browser, adds audit-trail rows (triggers): the newest one names the reviews.
        (await connections.ReadFirstAsync(
            // Interventions are only ever added: the newest id names them.
            $"SELECT {LatestRun}, ({InputsRevision}), (SELECT COALESCE(MAX(audit_id), 0) FROM review_audit), (SELECT COALESCE(MAX(intervention_id), 0) FROM interventions)",
            r => new AnalysisInputs(r.IsDBNull(0) ? null : r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)),
            cancellationToken,
            ("$protocol", protocolId)))!;

    private const string AnalysisColumns = "period_from, period_to, intervention, follow_up_from, follow_up_to, charge_per_exam";

    public async Task RecordAnalysisAsync(string protocolId, AuditOptions options, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (await GetLatestAnalysisAsync(protocolId, cancellationToken) == options)
        {
            return;
        }

        static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var lease = await connections.OpenAsync(cancellationToken);
        await ExecuteAsync(
            lease.Connection,
            $"INSERT INTO analyses (protocol_id, {AnalysisColumns}, recorded_at) VALUES ($protocol, $from, $to, $intervention, $fuFrom, $fuTo, $charge, $at)",
            cancellationToken,
            ("$protocol", protocolId),
            ("$from", Day(options.Period.From)),
            ("$to", Day(options.Period.To)),
            ("$intervention", Day(options.Intervention)),
            ("$fuFrom", Day(options.FollowUp?.From)),
            ("$fuTo", Day(options.FollowUp?.To)),
            ("$charge", options.ChargePerExam?.ToString(CultureInfo.InvariantCulture)),
            ("$at", Instant(at)));
    }

    public Task<AuditOptions?> GetLatestAnalysisAsync(string protocolId, CancellationToken cancellationToken) =>
        connections.ReadFirstAsync<AuditOptions?>(
            $"SELECT {AnalysisColumns} FROM analyses WHERE protocol_id = $protocol ORDER BY analysis_id DESC LIMIT 1",
            r =>
            {
                static DateOnly? Day(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : DateOnly.ParseExact(r.GetString(i), "yyyy-MM-dd", CultureInfo.InvariantCulture);
                return new AuditOptions(
                    new DateRange(Day(r, 0)!.Value, Day(r, 1)!.Value),
                    Day(r, 2),
                    Day(r, 3) is { } fuFrom && Day(r, 4) is { } fuTo ? new DateRange(fuFrom, fuTo) : null,
                    r.IsDBNull(5) ? null : decimal.Parse(r.GetString(5), CultureInfo.InvariantCulture));
            },
            cancellationToken,
            ("$protocol", protocolId));

    public Task<StoredScreeningRun?> GetLatestScreeningRunAsync(string protocolId, CancellationToken cancellationToken) =>
        connections.ReadFirstAsync<StoredScreeningRun?>(
            "SELECT run_id, protocol_id, created_at, protocol_fingerprint, data_revision FROM screening_runs WHERE protocol_id = $protocol ORDER BY run_id DESC LIMIT 1",
            r => new StoredScreeningRun(r.GetInt64(0), r.GetString(1), InstantOf(r.GetString(2)), Text(r, 3), r.IsDBNull(4) ? null : r.GetInt64(4)),
            cancellationToken,
            ("$protocol", protocolId));

    public Task<IReadOnlyList<ScreeningDecision>> GetScreeningDecisionsAsync(long runId, CancellationToken cancellationToken) =>
        connections.ReadAsync($"SELECT {DecisionColumns} FROM {DecisionsFrom} WHERE d.run_id = $run ORDER BY d.order_id", ScreeningDecisionRows.Read, cancellationToken, ("$run", runId));

    public IAsyncEnumerable<ScreeningDecision> ReadScreeningDecisionsAsync(long runId, CancellationToken cancellationToken) =>
        ScreeningDecisionRows.ReadPagesAsync(
            (after, ct) => connections.ReadAsync(ScreeningDecisionRows.PageAfter('$'), ScreeningDecisionRows.Read, ct, ("$run", runId), ("$after", after)),
            cancellationToken);

    public Task<IReadOnlyList<TargetOrder>> GetTargetOrdersAsync(long runId, CancellationToken cancellationToken)
    {
        var shared = new SharedOrderStrings();
        return connections.ReadAsync(
            $"SELECT {OrderList}, {TargetDecisionColumns} FROM screening_decisions d JOIN orders o ON o.row_key = d.order_id " +
            "WHERE d.run_id = $run AND (d.is_target <> 0 OR d.decision <> 'not_target') ORDER BY d.order_id",
            r => new TargetOrder(shared.Share(Order(r)), ScreeningDecisionRows.Read(r, OrderColumnCount)),
            cancellationToken,
            ("$run", runId));
    }

    // The decision follows the order's columns in a row of GetTargetOrdersAsync.
    private static readonly int OrderColumnCount = SqliteRows.OrderColumnNames.Length;

    // Every decision column but the evidence, read as null: an audit counts decisions and never cites their evidence,
    // which is most of a decision's bytes (a million orders hold some 300,000 target exams).
    private const string TargetDecisionColumns = ScreeningDecisionRows.ColumnsWithoutEvidence;

    public Task<IReadOnlyList<ScreeningDecision>> GetLatestDecisionsAsync(string protocolId, CancellationToken cancellationToken) =>
        connections.ReadAsync(
            $"SELECT {DecisionColumns} FROM {DecisionsFrom} WHERE d.run_id = {LatestRun} ORDER BY d.order_id",
            ScreeningDecisionRows.Read,
            cancellationToken,
            ("$protocol", protocolId));

    public Task<ScreeningDecision?> GetLatestDecisionAsync(string protocolId, string orderId, CancellationToken cancellationToken) =>
        connections.ReadFirstAsync<ScreeningDecision?>(
            $"SELECT {DecisionColumns} FROM {DecisionsFrom} WHERE d.run_id = {LatestRun} AND d.order_id = $id",
            ScreeningDecisionRows.Read,
            cancellationToken,
            ("$protocol", protocolId),
            ("$id", orderId));

    public Task<IReadOnlyList<IncludedExam>> GetIncludedExamsAsync(string protocolId, CancellationToken cancellationToken) =>
        connections.ReadAsync(
            $"SELECT {OrderList}, d.evidence FROM screening_decisions d JOIN orders o ON o.row_key = d.order_id " +
            $"WHERE d.run_id = {LatestRun} AND d.decision = 'included'",
            r => new IncludedExam(Order(r), ScreeningDecisionRows.DecodeEvidence(Text(r, 14))),
            cancellationToken,
            ("$protocol", protocolId));

    /// <summary>
    /// Two statements on one connection: the count, then the page's rows. Both read <c>worklist_exams</c> (migration
    /// 13), the run's included exams keyed by exam day and order id, so the first page is a range of that key and a
    /// count never touches the orders; only the page's rows are joined to their orders and decisions.
    /// </summary>
    public async Task<IncludedExamPage> GetIncludedExamPageAsync(string protocolId, IncludedExamFilter filter, int offset, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var (where, parameters) = WorklistSql.Where(protocolId, filter, '$', LatestRun, OrderIdsCondition);
        await using var lease = await connections.OpenAsync(cancellationToken);
        var total = (await ReadAllAsync(lease.Connection, $"SELECT COUNT(*) FROM worklist_exams x WHERE {where}", r => r.GetInt32(0), cancellationToken, [.. parameters]))[0];
        if (limit == 0 || offset >= total)
        {
            return new IncludedExamPage([], total);
        }

        var exams = await ReadAllAsync(lease.Connection, PageSql(where), IncludedExamOf, cancellationToken, [.. parameters, ("$limit", limit), ("$offset", offset)]);
        return new IncludedExamPage(exams, total);
    }

    public Task<IReadOnlyList<IncludedExam>> GetIncludedExamRowsAsync(string protocolId, IncludedExamFilter filter, int offset, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var (where, parameters) = WorklistSql.Where(protocolId, filter, '$', LatestRun, OrderIdsCondition);
        return limit == 0
            ? Task.FromResult<IReadOnlyList<IncludedExam>>([])
            : connections.ReadAsync(PageSql(where), IncludedExamOf, cancellationToken, [.. parameters, ("$limit", limit), ("$offset", offset)]);
    }

    private static string PageSql(string where) => WorklistSql.Page(where, OrderList, '$');

    private static IncludedExam IncludedExamOf(SqliteDataReader r) => new(Order(r), ScreeningDecisionRows.DecodeEvidence(Text(r, 14)));

    public Task<IReadOnlyList<string>> GetIncludedOrderIdsAsync(string protocolId, IncludedExamFilter filter, CancellationToken cancellationToken)
    {
        var (where, parameters) = WorklistSql.Where(protocolId, filter, '$', LatestRun, OrderIdsCondition);
        return connections.ReadAsync($"SELECT x.order_id FROM worklist_exams x WHERE {where} ORDER BY x.exam_day, x.order_id", r => r.GetString(0), cancellationToken, [.. parameters]);
    }

    /// <summary>
    /// Lists run <c>$run</c>'s included exams in <c>worklist_exams</c> (as migration 13 lists the runs before it): the
    /// exam day is <c>ImagingOrder.ExamDate</c>, the department and provider <see cref="OrderingPareto.NameOf"/>.
    /// </summary>
    internal const string ListWorklistExams =
        "INSERT INTO worklist_exams (run_id, exam_day, order_id, department, provider) "
        + "SELECT d.run_id, substr(COALESCE(o.performed_at, o.ordered_at), 1, 10), d.order_id, "
        + $"CASE WHEN TRIM(COALESCE(o.ordering_department, ''), {Blanks}) = '' THEN '{OrderingPareto.NotRecorded}' ELSE TRIM(o.ordering_department, {Blanks}) END, "
        + $"CASE WHEN TRIM(COALESCE(o.ordering_provider, ''), {Blanks}) = '' THEN '{OrderingPareto.NotRecorded}' ELSE TRIM(o.ordering_provider, {Blanks}) END "
        + "FROM screening_decisions d JOIN orders o ON o.row_key = d.order_id WHERE d.run_id = $run AND d.decision = 'included'";

    // How this engine takes a list of order ids (a page the worklist chose).
    private static readonly Func<IReadOnlyCollection<string>, (string Condition, object Value)> OrderIdsCondition =
        (IReadOnlyCollection<string> ids) => ("x.order_id IN (SELECT value FROM json_each($ids))", (object)System.Text.Json.JsonSerializer.Serialize(ids.ToArray(), LegacyJson.Default.StringArray));

    // The blanks string.IsNullOrWhiteSpace and Trim remove from ASCII names: space, tab, line feed, vertical tab, form feed, carriage return.
    private const string Blanks = "char(32, 9, 10, 11, 12, 13)";
}
