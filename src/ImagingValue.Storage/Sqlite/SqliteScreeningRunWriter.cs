using System.Collections.Concurrent;
using System.Globalization;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// Stores screening runs (one per protocol of a pass) decision by decision in one transaction. The transaction is opened through SQLite itself,
/// not <see cref="SqliteConnection.BeginTransaction()"/>, so the orders can still be paged through the same connection
/// (<see cref="SqliteClinicalDataStore.ReadOrderPagesAsync"/>) while the run is written; decisions bind through SQLitePCL's
/// raw API, as the import does (parameter objects double the time for a million decisions).
/// </summary>
internal sealed class SqliteScreeningRunWriter : IScreeningRunWriter
{
    private readonly SqliteLease _lease;
    private readonly SqliteConnection _connection;
    private readonly Lock _gate;
    private readonly sqlite3_stmt _insert;
    private readonly long[] _runIds;
    private readonly long[] _counts;
    private bool _done;

    // Keyed by the item itself, not its value: only the shared items are found again.
    private const int ExamEvidenceCacheSize = 4096;
    private readonly ConcurrentDictionary<ScreeningEvidence, byte[]> _examEvidence = new(ReferenceEqualityComparer.Instance);
    private int _examEvidenceAdded;

    /// <param name="lease">The connection, kept (and closed if the lease owns it) until the run is committed or disposed.</param>
    /// <param name="gate">Held while decisions are added: the orders may be read from the same connection on another thread.</param>
    public SqliteScreeningRunWriter(SqliteLease lease, Lock gate, IReadOnlyList<ScreeningRunStamp> stamps)
    {
        _runIds = new long[stamps.Count];
        _counts = new long[stamps.Count];
        _lease = lease;
        var connection = _connection = lease.Connection;
        _gate = gate;
        Exec("BEGIN IMMEDIATE");
        try
        {
            for (var run = 0; run < stamps.Count; run++)
            {
                var stamp = stamps[run];
                using var insertRun = connection.CreateCommand();
                insertRun.CommandText = """
                    INSERT INTO screening_runs (protocol_id, created_at, decisions, protocol_fingerprint, data_revision)
                    VALUES ($protocol, $created, 0, $fingerprint, $revision) RETURNING run_id
                    """;
                insertRun.Parameters.AddWithValue("$protocol", stamp.ProtocolId);
                insertRun.Parameters.AddWithValue("$created", stamp.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
                insertRun.Parameters.AddWithValue("$fingerprint", stamp.ProtocolFingerprint);
                insertRun.Parameters.AddWithValue("$revision", stamp.DataRevision);
                _runIds[run] = (long)insertRun.ExecuteScalar()!;
            }

            var rc = raw.sqlite3_prepare_v2(connection.Handle, "INSERT INTO screening_decisions (run_id, order_id, decision, is_target, reason, reasons, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", out _insert);
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }
        catch
        {
            Exec("ROLLBACK");
            throw;
        }
    }

    public ValueTask AddAsync(int run, IReadOnlyList<ScreeningDecision> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ObjectDisposedException.ThrowIf(_done, this);
        cancellationToken.ThrowIfCancellationRequested();

        // Encoded before the connection is taken (the orders are read through it meanwhile), on this thread: most
        // decisions are not-target ones whose encoding is kept (Encode), and the parallel loop per page this replaced
        // kept the pool's threads spinning and waiting (measured with the other changes of benchmarks/README.md,
        // issue 17, second attempt).
        var evidence = new byte[decisions.Count][];
        for (var i = 0; i < decisions.Count; i++)
        {
            evidence[i] = Encode(decisions[i].Evidence);
        }

        lock (_gate)
        {
            for (var i = 0; i < decisions.Count; i++)
            {
                Insert(run, decisions[i], evidence[i]);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The evidence as stored. A not-target decision's evidence is its procedure's exam match alone, one item shared by
    /// every order of that procedure (<see cref="Core.Protocols.ExamMatcher"/> keeps it): encoded once per procedure
    /// rather than once per order (most of a million orders are not a given protocol's target).
    /// </summary>
    private byte[] Encode(IReadOnlyList<ScreeningEvidence> evidence)
    {
        if (evidence is not [{ Source: EvidenceSource.Exam } exam])
        {
            return ScreeningDecisionRows.EncodeEvidenceUtf8(evidence);
        }

        if (_examEvidence.TryGetValue(exam, out var known))
        {
            return known;
        }

        var encoded = ScreeningDecisionRows.EncodeEvidenceUtf8(evidence);
        if (_examEvidence.TryAdd(exam, encoded) && Interlocked.Increment(ref _examEvidenceAdded) > ExamEvidenceCacheSize)
        {
            // Bounded, as the exam matcher's own cache is (past it, items are new objects): cleared when full.
            _examEvidence.Clear();
            Interlocked.Exchange(ref _examEvidenceAdded, 0);
        }

        return encoded;
    }

    private void Insert(int run, ScreeningDecision decision, byte[] evidence)
    {
        ArgumentNullException.ThrowIfNull(decision);
        raw.sqlite3_bind_int64(_insert, 1, _runIds[run]);
        raw.sqlite3_bind_text16(_insert, 2, decision.OrderId.AsSpan());
        raw.sqlite3_bind_text16(_insert, 3, decision.DecisionText.AsSpan());
        raw.sqlite3_bind_int(_insert, 4, decision.IsTargetExam ? 1 : 0);
        if (decision.Reason is null)
        {
            raw.sqlite3_bind_null(_insert, 5);
        }
        else
        {
            raw.sqlite3_bind_text16(_insert, 5, decision.Reason.AsSpan());
        }

        raw.sqlite3_bind_text16(_insert, 6, string.Join(';', decision.Reasons).AsSpan());
        raw.sqlite3_bind_text(_insert, 7, evidence.AsSpan());
        var rc = raw.sqlite3_step(_insert);
        raw.sqlite3_reset(_insert);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }

        _counts[run]++;
    }

    public Task<IReadOnlyList<long>> CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        cancellationToken.ThrowIfCancellationRequested();
        for (var run = 0; run < _runIds.Length; run++)
        {
            using var count = _connection.CreateCommand();
            count.CommandText = "UPDATE screening_runs SET decisions = $count WHERE run_id = $run";
            count.Parameters.AddWithValue("$count", _counts[run]);
            count.Parameters.AddWithValue("$run", _runIds[run]);
            count.ExecuteNonQuery();
            using var listed = _connection.CreateCommand();
            listed.CommandText = SqliteScreeningRunStore.ListWorklistExams;
            listed.Parameters.AddWithValue("$run", _runIds[run]);
            listed.ExecuteNonQuery();
        }

        _insert.Dispose();
        Exec("COMMIT");
        _done = true;
        _lease.Dispose();
        return Task.FromResult<IReadOnlyList<long>>(_runIds);
    }

    public ValueTask DisposeAsync()
    {
        if (_done)
        {
            return ValueTask.CompletedTask;
        }

        _done = true;
        _insert.Dispose();
        try
        {
            // SQLite may already have rolled back by itself (disk full, I/O error); a second ROLLBACK would fail and
            // hide the error that brought us here.
            if (raw.sqlite3_get_autocommit(_connection.Handle) == 0)
            {
                Exec("ROLLBACK");
            }
        }
        finally
        {
            _lease.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private void Exec(string sql)
    {
        var rc = raw.sqlite3_exec(_connection.Handle, sql);
        SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
    }
}
