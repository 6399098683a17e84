using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using ImagingValue.Storage.Sqlite;
using Npgsql;

namespace ImagingValue.Storage.Postgres;

/// <summary>Imports into the workspace database: each one a <see cref="PostgresImportSession"/> on a connection of its own.</summary>
internal sealed class PostgresImportStore(PostgresConnections connections, TimeProvider time) : IImportStore
{
    public async Task<IImportSession> BeginImportAsync(CanonicalTable table, string sourceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sourceName);
        var connection = await connections.OpenForBulkAsync(cancellationToken);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken);
            return await PostgresImportSession.StartAsync(connection, transaction, ownsTransaction: true, table, sourceName, SqliteRows.Instant(time.GetUtcNow()), cancellationToken);
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<IImportBatch> BeginBatchImportAsync(IReadOnlyList<CanonicalTable> tables, string sourceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(sourceName);
        var connection = await connections.OpenForBulkAsync(cancellationToken);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken);
            var sessions = new Dictionary<CanonicalTable, PostgresImportSession>();
            foreach (var table in tables.Distinct())
            {
                sessions[table] = await PostgresImportSession.StartAsync(connection, transaction, ownsTransaction: false, table, sourceName, SqliteRows.Instant(time.GetUtcNow()), cancellationToken);
            }

            return new PostgresImportBatch(connection, transaction, sessions);
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            await connection.DisposeAsync();
            throw;
        }
    }

    // The scratch is the import's own until the batch begins: a private temporary SQLite file on this machine, not
    // the server (nothing of it is shared or kept), so reading an export costs the database nothing.
    public Task<IImportScratch> BeginScratchAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IImportScratch>(new SqliteImportScratch());
    }
}

/// <summary>
/// Several <see cref="PostgresImportSession"/>s sharing one connection and one transaction: each table is staged and
/// checked as a single import would be (its own staging table, its own <c>imports</c> row), and the transaction
/// commits once, for all of them, or rolls back when the batch is disposed before.
/// </summary>
internal sealed class PostgresImportBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, Dictionary<CanonicalTable, PostgresImportSession> sessions) : IImportBatch
{
    private bool _committed;

    public IImportSession this[CanonicalTable table] =>
        sessions.TryGetValue(table, out var session) ? session : throw new ArgumentException($"the batch was not started with table {table.Name}", nameof(table));

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await transaction.CommitAsync(cancellationToken);
        _committed = true;
        await PostgresRows.AnalyzeAfterBulkAsync(connection, sessions.Values.Sum(s => s.StagedRows), sessions.Keys.Select(t => t.Name));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var session in sessions.Values)
            {
                await session.DisposeAsync();
            }

            if (!_committed)
            {
                await transaction.RollbackAsync();
            }

            await transaction.DisposeAsync();
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

}
