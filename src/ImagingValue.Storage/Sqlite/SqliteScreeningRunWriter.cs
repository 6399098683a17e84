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
    private readonly sqlite3_stmt _insertShared;
    private readonly long[] _runIds;
    private readonly long[] _counts;
    private bool _done;

    // What the insert statement holds bound (SQLite keeps bindings across resets): a value equal to the last row's is
    // not bound again. Most rows of a page repeat all but the order id and the evidence, and each bind is a native
    // call that takes the connection's mutex and the handle's reference count (about a tenth of the storing thread).
    private bool _anyBound;
    private long _boundRun;
    private string? _boundDecision;
    private int _boundTarget;
    private string? _boundReason;
    private string? _boundReasons;

    // Per run, the evidence_id of each shared exam item already stored (ScreeningDecisionRows.SharesEvidence). Keyed by
    // the item itself, not its value: only the shared items are found again; equal items that are other objects get
    // rows of their own, which reads back the same. Bounded, as the exam matcher's own cache is: cleared when full.
    private const int SharedEvidenceCacheSize = 4096;
    private readonly Dictionary<ScreeningEvidence, long>[] _sharedIds;
    private readonly long[] _sharedCounts;

    /// <param name="lease">The connection, kept (and closed if the lease owns it) until the run is committed or disposed.</param>
    /// <param name="gate">Held while decisions are added: the orders may be read from the same connection on another thread.</param>
    public SqliteScreeningRunWriter(SqliteLease lease, Lock gate, IReadOnlyList<ScreeningRunStamp> stamps)
    {
        _runIds = new long[stamps.Count];
        _counts = new long[stamps.Count];
        _sharedIds = [.. stamps.Select(_ => new Dictionary<ScreeningEvidence, long>(ReferenceEqualityComparer.Instance))];
        _sharedCounts = new long[stamps.Count];
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

            var rc = raw.sqlite3_prepare_v2(connection.Handle, "INSERT INTO screening_decisions (run_id, order_id, decision, is_target, reason, reasons, evidence, evidence_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", out _insert);
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            rc = raw.sqlite3_prepare_v2(connection.Handle, "INSERT INTO screening_evidence (run_id, evidence_id, evidence) VALUES (?1, ?2, ?3)", out _insertShared);
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

        // Encoded before the connection is taken (the orders are read through it meanwhile), on this thread: the
        // parallel loop per page this replaced kept the pool's threads spinning and waiting (benchmarks/README.md,
        // issue 17, second attempt). Decisions whose evidence the run shares are not encoded here (Insert).
        var evidence = new byte[decisions.Count][];
        for (var i = 0; i < decisions.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(decisions[i]);
            if (!ScreeningDecisionRows.SharesEvidence(decisions[i], out _))
            {
                evidence[i] = ScreeningDecisionRows.EncodeEvidenceUtf8(decisions[i].Evidence);
            }
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

    /// <param name="evidence">The encoded evidence; null when the run shares it (its row in screening_evidence is named instead).</param>
    private void Insert(int run, ScreeningDecision decision, byte[]? evidence)
    {
        var sharedId = evidence is null && ScreeningDecisionRows.SharesEvidence(decision, out var exam) ? SharedEvidenceId(run, exam) : (long?)null;
        var fresh = !_anyBound;
        _anyBound = true;
        if (fresh || _boundRun != _runIds[run])
        {
            _boundRun = _runIds[run];
            raw.sqlite3_bind_int64(_insert, 1, _boundRun);
        }

        raw.sqlite3_bind_text16(_insert, 2, decision.OrderId.AsSpan());
        if (fresh || !string.Equals(_boundDecision, decision.DecisionText, StringComparison.Ordinal))
        {
            _boundDecision = decision.DecisionText;
            raw.sqlite3_bind_text16(_insert, 3, _boundDecision.AsSpan());
        }

        var target = decision.IsTargetExam ? 1 : 0;
        if (fresh || _boundTarget != target)
        {
            _boundTarget = target;
            raw.sqlite3_bind_int(_insert, 4, target);
        }

        if (fresh || !string.Equals(_boundReason, decision.Reason, StringComparison.Ordinal))
        {
            _boundReason = decision.Reason;
            if (decision.Reason is null)
            {
                raw.sqlite3_bind_null(_insert, 5);
            }
            else
            {
                raw.sqlite3_bind_text16(_insert, 5, decision.Reason.AsSpan());
            }
        }

        var reasons = decision.Reasons.Count == 0 ? string.Empty : string.Join(';', decision.Reasons);
        if (fresh || !string.Equals(_boundReasons, reasons, StringComparison.Ordinal))
        {
            _boundReasons = reasons;
            raw.sqlite3_bind_text16(_insert, 6, reasons.AsSpan());
        }

        if (sharedId is { } id)
        {
            raw.sqlite3_bind_null(_insert, 7);
            raw.sqlite3_bind_int64(_insert, 8, id);
        }
        else
        {
            raw.sqlite3_bind_text(_insert, 7, evidence.AsSpan());
            raw.sqlite3_bind_null(_insert, 8);
        }

        Step(_insert);
        _counts[run]++;
    }

    /// <summary>The id of <paramref name="exam"/>'s row in screening_evidence for this run, stored now if it has none yet.</summary>
    private long SharedEvidenceId(int run, ScreeningEvidence exam)
    {
        var known = _sharedIds[run];
        if (known.TryGetValue(exam, out var id))
        {
            return id;
        }

        if (known.Count >= SharedEvidenceCacheSize)
        {
            known.Clear();
        }

        id = ++_sharedCounts[run];
        raw.sqlite3_bind_int64(_insertShared, 1, _runIds[run]);
        raw.sqlite3_bind_int64(_insertShared, 2, id);
        raw.sqlite3_bind_text(_insertShared, 3, ScreeningDecisionRows.EncodeEvidenceUtf8([exam]).AsSpan());
        Step(_insertShared);
        known[exam] = id;
        return id;
    }

    private void Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
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
        _insertShared.Dispose();
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
        _insertShared.Dispose();
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
