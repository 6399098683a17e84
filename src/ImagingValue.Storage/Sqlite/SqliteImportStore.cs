using System.Globalization;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;

namespace ImagingValue.Storage.Sqlite;

/// <summary>Imports into the workspace file: each one a <see cref="SqliteImportSession"/> on a bulk connection.</summary>
internal sealed class SqliteImportStore(SqliteConnections connections, TimeProvider time) : IImportStore
{
    public async Task<IImportSession> BeginImportAsync(CanonicalTable table, string sourceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sourceName);
        var startedAt = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        var lease = await connections.OpenBulkAsync(cancellationToken);
        try
        {
            return new SqliteImportSession(lease, lease.Connection.BeginTransaction(), ownsTransaction: true, table, sourceName, startedAt);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    public async Task<IImportBatch> BeginBatchImportAsync(IReadOnlyList<CanonicalTable> tables, string sourceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(sourceName);
        var startedAt = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        var lease = await connections.OpenBulkAsync(cancellationToken);
        try
        {
            return new SqliteImportBatch(lease, tables, sourceName, startedAt);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    public Task<IImportScratch> BeginScratchAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IImportScratch>(new SqliteImportScratch());
    }
}
