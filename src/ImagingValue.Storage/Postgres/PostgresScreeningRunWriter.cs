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
    private const string Copy = "COPY screening_decisions (run_id, order_id, decision, is_target, reason, reasons, evidence) FROM STDIN (FORMAT BINARY)";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly long[] _runIds;
    private readonly long[] _counts;
    // A connection runs one COPY at a time: batches added from several threads take turns.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private bool _done;

    private PostgresScreeningRunWriter(NpgsqlConnection connection, NpgsqlTransaction transaction, long[] runIds)
    {
        _connection = connection;
        _transaction = transaction;
        _runIds = runIds;
        _counts = new long[runIds.Length];
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
        var evidence = new string[decisions.Count];
        Parallel.For(0, decisions.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            evidence[i] = Encoding.UTF8.GetString(ScreeningDecisionRows.EncodeEvidenceUtf8(decisions[i].Evidence)));
        await _turn.WaitAsync(cancellationToken);
        try
        {
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
                await writer.WriteAsync(evidence[i], NpgsqlDbType.Text, cancellationToken);
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
