using System.Text;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;
using ImagingValue.Storage.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace ImagingValue.Storage.Postgres;

/// <summary>
/// Stores screening runs (one per protocol of a pass) in one transaction on a connection of its own: each batch of
/// decisions goes in by one binary COPY, while the orders are paged on other pooled connections.
/// </summary>
internal sealed class PostgresScreeningRunWriter : IScreeningRunWriter
{
    private const string Copy = "COPY screening_decisions (run_id, order_id, decision, is_target, reason, reasons, evidence, evidence_id) FROM STDIN (FORMAT BINARY)";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly long[] _runIds;
    private readonly long[] _counts;
    // A connection runs one COPY at a time: batches added from several threads take turns.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private bool _done;

    // Per run, the evidence_id of each shared exam item already stored (ScreeningDecisionRows.SharesEvidence), keyed by
    // the item itself; bounded (cleared when full), as the SQLite writer's.
    private const int SharedEvidenceCacheSize = 4096;
    private readonly Dictionary<ScreeningEvidence, int>[] _sharedIds;
    private readonly int[] _sharedCounts;

    private PostgresScreeningRunWriter(NpgsqlConnection connection, NpgsqlTransaction transaction, long[] runIds)
    {
        _connection = connection;
        _transaction = transaction;
        _runIds = runIds;
        _counts = new long[runIds.Length];
        _sharedIds = [.. runIds.Select(_ => new Dictionary<ScreeningEvidence, int>(ReferenceEqualityComparer.Instance))];
        _sharedCounts = new int[runIds.Length];
    }

    /// <summary>Opens the transaction on <paramref name="connection"/> (owned from here on) and records the runs.</summary>
    public static async Task<PostgresScreeningRunWriter> StartAsync(NpgsqlConnection connection, IReadOnlyList<ScreeningRunStamp> stamps, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            var runIds = new long[stamps.Count];
            for (var run = 0; run < stamps.Count; run++)
            {
                var stamp = stamps[run];
                runIds[run] = await PostgresRows.ScalarAsync(
                    connection,
                    "INSERT INTO screening_runs (protocol_id, created_at, decisions, protocol_fingerprint, data_revision) VALUES (@protocol, @created, 0, @fingerprint, @revision) RETURNING run_id",
                    cancellationToken,
                    ("protocol", stamp.ProtocolId),
                    ("created", SqliteRows.Instant(stamp.CreatedAt)),
                    ("fingerprint", stamp.ProtocolFingerprint),
                    ("revision", stamp.DataRevision));
            }

            return new PostgresScreeningRunWriter(connection, transaction, runIds);
        }
        catch
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask AddAsync(int run, IReadOnlyList<ScreeningDecision> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ObjectDisposedException.ThrowIf(_done, this);
        cancellationToken.ThrowIfCancellationRequested();
        // Encoding the evidence is most of a decision's cost: it runs on the pool before the connection is taken.
        // Decisions whose evidence the run shares are not encoded: they name its row in screening_evidence.
        var evidence = new string?[decisions.Count];
        Parallel.For(0, decisions.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            evidence[i] = ScreeningDecisionRows.SharesEvidence(decisions[i], out _) ? null : Encoding.UTF8.GetString(ScreeningDecisionRows.EncodeEvidenceUtf8(decisions[i].Evidence)));
        await _turn.WaitAsync(cancellationToken);
        try
        {
            // The shared items new to this run are stored first (one statement), then the batch names them.
            var sharedIds = new int?[decisions.Count];
            var newIds = new List<int>();
            var newTexts = new List<string>();
            var known = _sharedIds[run];
            for (var i = 0; i < decisions.Count; i++)
            {
                if (evidence[i] is null && ScreeningDecisionRows.SharesEvidence(decisions[i], out var exam))
                {
                    if (!known.TryGetValue(exam, out var id))
                    {
                        if (known.Count >= SharedEvidenceCacheSize)
                        {
                            known.Clear();
                        }

                        id = known[exam] = ++_sharedCounts[run];
                        newIds.Add(id);
                        newTexts.Add(Encoding.UTF8.GetString(ScreeningDecisionRows.EncodeEvidenceUtf8([exam])));
                    }

                    sharedIds[i] = id;
                }
            }

            if (newIds.Count > 0)
            {
                await PostgresRows.ExecuteAsync(
                    _connection,
                    "INSERT INTO screening_evidence (run_id, evidence_id, evidence) SELECT @run, i, t FROM unnest(@ids, @texts) AS s (i, t)",
                    cancellationToken,
                    ("run", _runIds[run]),
                    ("ids", newIds.ToArray()),
                    ("texts", newTexts.ToArray()));
            }

            await using var writer = await _connection.BeginBinaryImportAsync(Copy, cancellationToken);
            for (var i = 0; i < decisions.Count; i++)
            {
                var decision = decisions[i];
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(_runIds[run], NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(decision.OrderId, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(decision.DecisionText, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(decision.IsTargetExam, NpgsqlDbType.Boolean, cancellationToken);
                if (decision.Reason is null)
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await writer.WriteAsync(decision.Reason, NpgsqlDbType.Text, cancellationToken);
                }

                await writer.WriteAsync(string.Join(';', decision.Reasons), NpgsqlDbType.Text, cancellationToken);
                if (sharedIds[i] is { } sharedId)
                {
                    await writer.WriteNullAsync(cancellationToken);
                    await writer.WriteAsync(sharedId, NpgsqlDbType.Integer, cancellationToken);
                }
                else
                {
                    await writer.WriteAsync(evidence[i], NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteNullAsync(cancellationToken);
                }
            }

            await writer.CompleteAsync(cancellationToken);
            _counts[run] += decisions.Count;
        }
        finally
        {
            _turn.Release();
        }
    }

    public async Task<IReadOnlyList<long>> CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        cancellationToken.ThrowIfCancellationRequested();
        for (var run = 0; run < _runIds.Length; run++)
        {
            await PostgresRows.ExecuteAsync(_connection, "UPDATE screening_runs SET decisions = @count WHERE run_id = @run", cancellationToken, ("count", _counts[run]), ("run", _runIds[run]));
            await PostgresRows.ExecuteAsync(_connection, PostgresScreeningRunStore.ListWorklistExams, cancellationToken, ("run", _runIds[run]));
        }

        await _transaction.CommitAsync(cancellationToken);
        _done = true;
        await _transaction.DisposeAsync();
        await PostgresRows.AnalyzeAfterBulkAsync(_connection, _counts.Sum(), ["screening_decisions", "screening_evidence", "worklist_exams"]);
        await _connection.DisposeAsync();
        _turn.Dispose();
        return _runIds;
    }

    public async ValueTask DisposeAsync()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        try
        {
            await _transaction.DisposeAsync(); // rolls back what was not committed
        }
        finally
        {
            await _connection.DisposeAsync();
            _turn.Dispose();
        }
    }
}
