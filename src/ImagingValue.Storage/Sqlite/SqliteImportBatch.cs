using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// Several <see cref="SqliteImportSession"/>s sharing one connection and one transaction: each table is staged and
/// checked as a single import would be (its own temporary tables, its own <c>imports</c> row), and the transaction
/// commits once, for all of them, or rolls back when the batch is disposed before.
/// </summary>
internal sealed class SqliteImportBatch : IImportBatch
{
    private readonly SqliteLease _lease;
    private readonly SqliteTransaction _transaction;
    private readonly Dictionary<CanonicalTable, SqliteImportSession> _sessions = [];
    private bool _committed;

    public SqliteImportBatch(SqliteLease lease, IReadOnlyList<CanonicalTable> tables, string source, string startedAt)
    {
        _lease = lease;
        _transaction = lease.Connection.BeginTransaction();
        try
        {
            foreach (var table in tables.Distinct())
            {
                _sessions[table] = new SqliteImportSession(null, _transaction, ownsTransaction: false, table, source, startedAt);
            }
        }
        catch
        {
            _transaction.Dispose();
            throw;
        }
    }

    public IImportSession this[CanonicalTable table] =>
        _sessions.TryGetValue(table, out var session) ? session : throw new ArgumentException($"the batch was not started with table {table.Name}", nameof(table));

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _transaction.Commit();
        _committed = true;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var session in _sessions.Values)
            {
                await session.DisposeAsync();
            }

            if (!_committed)
            {
                _transaction.Rollback();
            }

            _transaction.Dispose();
        }
        finally
        {
            _lease.Dispose();
        }
    }
}
