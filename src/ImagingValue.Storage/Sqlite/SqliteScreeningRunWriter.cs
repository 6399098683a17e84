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
    // Decisions are inserted BatchRows at a time through one multi-row statement, the rest of a page one by one: a step
    // and a reset per row (native calls, each statement run opening its cursors) cost the storing thread 10.2 against
    // 8.9 CPU s for three protocols over a million orders (perf; benchmarks/README.md, issue 17).
    private const int BatchRows = 32;
    private readonly DecisionInsert _insertBatch;
    private readonly DecisionInsert _insertOne;
    private readonly sqlite3_stmt _insertShared;
    private readonly long[] _runIds;
    private readonly long[] _counts;
    private bool _done;

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

            _insertBatch = new DecisionInsert(connection, BatchRows);
            _insertOne = new DecisionInsert(connection, 1);
            var rc = raw.sqlite3_prepare_v2(connection.Handle, "INSERT INTO screening_evidence (run_id, evidence_id, evidence) VALUES (?1, ?2, ?3)", out _insertShared);
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }
        catch
        {
            _insertBatch?.Dispose();
            _insertOne?.Dispose();
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
            var i = 0;
            for (; i + BatchRows <= decisions.Count; i += BatchRows)
            {
                Insert(_insertBatch, run, decisions, evidence, i);
            }

            for (; i < decisions.Count; i++)
            {
                Insert(_insertOne, run, decisions, evidence, i);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Inserts decisions <paramref name="first"/> onwards, as many as <paramref name="insert"/> holds rows.</summary>
    /// <param name="evidence">Each decision's encoded evidence; null when the run shares it (its row in screening_evidence is named instead).</param>
    private void Insert(DecisionInsert insert, int run, IReadOnlyList<ScreeningDecision> decisions, byte[]?[] evidence, int first)
    {
        for (var row = 0; row < insert.Rows; row++)
        {
            var decision = decisions[first + row];
            var inline = evidence[first + row];
            var sharedId = inline is null && ScreeningDecisionRows.SharesEvidence(decision, out var exam) ? SharedEvidenceId(run, exam) : 0;
            insert.Bind(row, _runIds[run], decision, inline, sharedId);
        }

        Step(insert.Statement);
        _counts[run] += insert.Rows;
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

        _insertBatch.Dispose();
        _insertOne.Dispose();
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
        _insertBatch.Dispose();
        _insertOne.Dispose();
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

    /// <summary>
    /// A prepared INSERT of <see cref="Rows"/> decisions, and what each row's parameters hold bound: SQLite keeps
    /// bindings across resets, so a value equal to the one that row had last time is not bound again. Most rows repeat
    /// all but the order id and the evidence, and each bind is a native call that takes the connection's mutex and the
    /// handle's reference count.
    /// </summary>
    private sealed class DecisionInsert : IDisposable
    {
        private const int Columns = 8;
        private const long InlineEvidence = 0;
        private readonly Bound[] _bound;

        public DecisionInsert(SqliteConnection connection, int rows)
        {
            Rows = rows;
            _bound = new Bound[rows];
            var values = string.Join(", ", Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", Enumerable.Range((r * Columns) + 1, Columns).Select(n => "?" + n.ToString(CultureInfo.InvariantCulture))) + ")"));
            var rc = raw.sqlite3_prepare_v2(connection.Handle, $"INSERT INTO screening_decisions (run_id, order_id, decision, is_target, reason, reasons, evidence, evidence_id) VALUES {values}", out var statement);
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            Statement = statement;
        }

        public int Rows { get; }

        public sqlite3_stmt Statement { get; }

        /// <param name="evidence">The encoded evidence, or null with <paramref name="sharedId"/> naming its row in screening_evidence.</param>
        public void Bind(int row, long runId, ScreeningDecision decision, byte[]? evidence, long sharedId)
        {
            ref var bound = ref _bound[row];
            var first = (row * Columns) + 1;
            var fresh = !bound.Any;
            bound.Any = true;
            if (fresh || bound.Run != runId)
            {
                bound.Run = runId;
                raw.sqlite3_bind_int64(Statement, first, runId);
            }

            raw.sqlite3_bind_text16(Statement, first + 1, decision.OrderId.AsSpan());
            if (fresh || !string.Equals(bound.Decision, decision.DecisionText, StringComparison.Ordinal))
            {
                bound.Decision = decision.DecisionText;
                raw.sqlite3_bind_text16(Statement, first + 2, bound.Decision.AsSpan());
            }

            var target = decision.IsTargetExam ? 1 : 0;
            if (fresh || bound.Target != target)
            {
                bound.Target = target;
                raw.sqlite3_bind_int(Statement, first + 3, target);
            }

            if (fresh || !string.Equals(bound.Reason, decision.Reason, StringComparison.Ordinal))
            {
                bound.Reason = decision.Reason;
                if (decision.Reason is null)
                {
                    raw.sqlite3_bind_null(Statement, first + 4);
                }
                else
                {
                    raw.sqlite3_bind_text16(Statement, first + 4, decision.Reason.AsSpan());
                }
            }

            var reasons = decision.Reasons.Count == 0 ? string.Empty : string.Join(';', decision.Reasons);
            if (fresh || !string.Equals(bound.Reasons, reasons, StringComparison.Ordinal))
            {
                bound.Reasons = reasons;
                raw.sqlite3_bind_text16(Statement, first + 5, reasons.AsSpan());
            }

            if (evidence is null)
            {
                if (fresh || bound.EvidenceId == InlineEvidence)
                {
                    raw.sqlite3_bind_null(Statement, first + 6);
                }

                if (fresh || bound.EvidenceId != sharedId)
                {
                    raw.sqlite3_bind_int64(Statement, first + 7, sharedId);
                }

                bound.EvidenceId = sharedId;
            }
            else
            {
                raw.sqlite3_bind_text(Statement, first + 6, evidence.AsSpan());
                if (fresh || bound.EvidenceId != InlineEvidence)
                {
                    raw.sqlite3_bind_null(Statement, first + 7);
                }

                bound.EvidenceId = InlineEvidence;
            }
        }

        public void Dispose() => Statement.Dispose();

        private struct Bound
        {
            public bool Any;
            public long Run;
            public string? Decision;
            public int Target;
            public string? Reason;
            public string? Reasons;
            public long EvidenceId; // InlineEvidence (0) when the evidence is bound inline; shared ids start at 1
        }
    }
}
