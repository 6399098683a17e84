using System.Globalization;
using ImagingValue.Core.Alerts;
using ImagingValue.Core.Data;
using ImagingValue.Core.Interventions;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;
using static ImagingValue.Storage.Sqlite.SqliteRows;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// The embedded default workspace: one SQLite file. The schema is versioned and migrated on open.
/// </summary>
public sealed class SqliteWorkspaceStore : IWorkspaceStore
{
    /// <summary>The workspace database's file name inside the workspace folder.</summary>
    public const string FileName = "imaging-value.db";

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;

    /// <summary>Held while a page of orders is read, so a screening run that shares the connection writes between pages.</summary>
    private readonly Lock _gate = new();

    private SqliteWorkspaceStore(SqliteConnection connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
    }

    /// <summary>The schema version this build writes and reads.</summary>
    public static int SchemaVersion => SqliteMigrations.Latest;

    /// <summary>Creates the workspace folder and database, or opens and migrates an existing one.</summary>
    public static SqliteWorkspaceStore Create(string workspaceDirectory, TimeProvider time)
    {
        Directory.CreateDirectory(workspaceDirectory);
        return OpenFile(Path.Combine(workspaceDirectory, FileName), time, SqliteOpenMode.ReadWriteCreate);
    }

    /// <summary>Opens an existing workspace and applies pending migrations; throws <see cref="WorkspaceNotFoundException"/> when there is none.</summary>
    public static SqliteWorkspaceStore Open(string workspaceDirectory, TimeProvider time)
    {
        var path = Path.Combine(workspaceDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new WorkspaceNotFoundException(workspaceDirectory);
        }

        return OpenFile(path, time, SqliteOpenMode.ReadWrite);
    }

    private static SqliteWorkspaceStore OpenFile(string path, TimeProvider time, SqliteOpenMode mode)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        // Rollback journal, not WAL: a killed import leaves a hot journal that the next open rolls back, and bulk
        // imports write each page once instead of twice (WAL then checkpoint): 9.6 s against 13.1 s for a million
        // orders here. The reviewer web service (a later issue) may want WAL for concurrent readers.
        Execute(connection, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768; PRAGMA temp_store=FILE;");
        SqliteMigrations.Apply(connection);
        return new SqliteWorkspaceStore(connection, time);
    }

    public IImportSession BeginImport(CanonicalTable table, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(table);
        var startedAt = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        return new SqliteImportSession(_connection, table, sourceName, startedAt);
    }

    private static readonly string OrderList = OrderColumns();

    private const int OrderPage = 4096;

    public Task<IReadOnlyList<ImagingOrder>> GetOrdersAsync(CancellationToken cancellationToken) =>
        ReadAsync($"SELECT {OrderList} FROM orders ORDER BY row_key", Order, cancellationToken);

    public IEnumerable<OrderPage> ReadOrderPages(CancellationToken cancellationToken)
    {
        // Each page is read to its end before the caller sees it: the caller may write a screening run on this
        // connection between pages, and a statement left open would hold a lock that the run's writes need. The
        // statement is prepared and finalized under the gate too, since the run's writer may be inserting then.
        SqliteOrderPages pages;
        lock (_gate)
        {
            pages = new SqliteOrderPages(_connection, OrderPage);
        }

        try
        {
            var after = string.Empty;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                SqliteOrderPages.Page page;
                lock (_gate)
                {
                    page = pages.ReadAfter(after);
                }

                if (page.Count == 0)
                {
                    yield break;
                }

                after = page.LastOrderId;
                yield return page;
                if (page.Count < OrderPage)
                {
                    yield break;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                pages.Dispose();
            }
        }
    }

    public Task<IReadOnlyList<PatientCondition>> GetConditionsAsync(CancellationToken cancellationToken) =>
        ReadAsync(
            "SELECT patient_id, code, code_system, description, onset_date, recorded_date, clinical_status, abatement_date FROM conditions ORDER BY patient_id, row_key",
            r => new PatientCondition(r.GetString(0), r.GetString(1), r.GetString(2), Text(r, 3), DateOf(Text(r, 4)), DateOf(Text(r, 5)), r.GetString(6), DateOf(Text(r, 7))),
            cancellationToken);

    public Task<IReadOnlyList<RadiologyReport>> GetReportsAsync(CancellationToken cancellationToken) =>
        ReadAsync(
            "SELECT order_id, accession, report_text, finalized_at FROM reports ORDER BY row_key",
            r => new RadiologyReport(Text(r, 0), Text(r, 1), r.GetString(2), r.IsDBNull(3) ? null : DateTimeOf(r.GetString(3))),
            cancellationToken);

    public Task<IReadOnlyList<ExamReview>> GetReviewsAsync(CancellationToken cancellationToken) =>
        ReadAsync($"SELECT {ReviewColumns()} FROM reviews ORDER BY row_key", Review, cancellationToken);

    public Task<long> SaveScreeningRunAsync(ScreeningRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        // A run given whole carries no stamp: it is listed and read like any other, but never reused as current.
        using var writer = new SqliteScreeningRunWriter(_connection, _gate, null, run.ProtocolId, run.CreatedAt);
        writer.Add(run.Decisions);

        return Task.FromResult(writer.Commit());
    }

    /// <summary>
    /// Starts a run that may be written while <see cref="ReadOrderPages"/> reads on another thread: both use this
    /// connection and take turns (a page read, then decisions). A second connection in WAL mode, so that reading and
    /// writing overlap, was tried and gave no gain once decoding left the reading thread (10.3 s either way for a
    /// million orders), so the workspace keeps its rollback journal.
    /// </summary>
    public IScreeningRunWriter BeginScreeningRun(ScreeningRunStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        return new SqliteScreeningRunWriter(_connection, _gate, stamp, stamp.ProtocolId, stamp.CreatedAt);
    }

    /// <summary>The screening-inputs revision: the newest import that inserted or updated orders or conditions.</summary>
    internal const string ScreeningInputsRevisionSql =
        "SELECT COALESCE(MAX(import_id), 0) FROM imports WHERE kind IN ('orders', 'conditions') AND (inserted > 0 OR updated > 0)";

    public async Task<long> GetScreeningInputsRevisionAsync(CancellationToken cancellationToken)
    {
        // Every import that changed a row has its own id, and the rows it wrote carry it: the newest such id names the
        // data. Imports that changed nothing (a re-import of the same file) do not count.
        using var command = _connection.CreateCommand();
        command.CommandText = ScreeningInputsRevisionSql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<StoredScreeningRun?> GetLatestScreeningRunAsync(string protocolId, CancellationToken cancellationToken)
    {
        var runs = await ReadAsync(
            "SELECT run_id, protocol_id, created_at, protocol_fingerprint, data_revision FROM screening_runs WHERE protocol_id = $protocol ORDER BY run_id DESC LIMIT 1",
            r => new StoredScreeningRun(r.GetInt64(0), r.GetString(1), InstantOf(r.GetString(2)), Text(r, 3), r.IsDBNull(4) ? null : r.GetInt64(4)),
            cancellationToken,
            ("$protocol", protocolId));
        return runs.Count == 0 ? null : runs[0];
    }

    public Task<IReadOnlyList<ScreeningDecision>> GetScreeningDecisionsAsync(long runId, CancellationToken cancellationToken) =>
        ReadAsync($"SELECT {ScreeningDecisionRows.Columns} FROM screening_decisions WHERE run_id = $run ORDER BY order_id", ScreeningDecisionRows.Read, cancellationToken, ("$run", runId));

    public async Task<long> AddInterventionAsync(Intervention intervention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intervention);
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO interventions (protocol_id, date, kind, departments, note, recorded_at) VALUES ($protocol, $date, $kind, $departments, $note, $at) RETURNING intervention_id";
        command.Parameters.AddWithValue("$protocol", (object?)intervention.ProtocolId ?? DBNull.Value);
        command.Parameters.AddWithValue("$date", intervention.Date.ToString(CanonicalValues.DateFormat, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$kind", intervention.Kind);
        command.Parameters.AddWithValue("$departments", intervention.Departments.Count == 0 ? DBNull.Value : string.Join(';', intervention.Departments));
        command.Parameters.AddWithValue("$note", (object?)intervention.Note ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task<IReadOnlyList<Intervention>> GetInterventionsAsync(CancellationToken cancellationToken) =>
        ReadAsync(
            "SELECT intervention_id, date, kind, departments, note, protocol_id FROM interventions ORDER BY date, intervention_id",
            r => new Intervention(
                r.GetInt64(0),
                DateOf(r.GetString(1))!.Value,
                r.GetString(2),
                Text(r, 3) is { } departments ? departments.Split(';') : [],
                Text(r, 4),
                Text(r, 5)),
            cancellationToken);

    public Task SaveLocalEvidenceAsync(LocalEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return SqlitePointOfOrderStore.SaveEvidenceAsync(_connection, evidence, cancellationToken);
    }

    public Task<IReadOnlyList<PointOfOrderAlert>> GetAlertsAsync(CancellationToken cancellationToken) =>
        SqlitePointOfOrderStore.ReadAlertsAsync(_connection, cancellationToken);

    public Task<IReadOnlyList<AlertFeedback>> GetAlertFeedbackAsync(CancellationToken cancellationToken) =>
        SqlitePointOfOrderStore.ReadFeedbackAsync(_connection, cancellationToken);

    public async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in new[] { "orders", "conditions", "reports", "reviews", "imports", "screening_runs", "interventions", "cds_alerts", "cds_feedback" })
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            counts[table] = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        return counts;
    }

    public void Dispose() => _connection.Dispose();

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private Task<IReadOnlyList<T>> ReadAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ReadAllAsync(_connection, sql, map, cancellationToken, parameters);
}

/// <summary>No workspace database in the given folder.</summary>
public sealed class WorkspaceNotFoundException(string directory)
    : Exception($"{directory}: no workspace here (no {SqliteWorkspaceStore.FileName}); create one with `init --workspace {directory}`")
{
    public string Directory { get; } = directory;
}
