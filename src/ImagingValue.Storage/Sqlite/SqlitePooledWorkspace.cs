using Microsoft.Data.Sqlite;
using static ImagingValue.Storage.Sqlite.SqliteRows;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// An existing workspace opened for a service that answers many requests at once (the review pages, the CDS
/// service): the schema is migrated once, then every operation takes a pooled connection of its own, since a
/// connection must not be shared between requests.
/// </summary>
internal sealed class SqlitePooledWorkspace
{
    private readonly string _connectionString;

    private SqlitePooledWorkspace(string connectionString) => _connectionString = connectionString;

    /// <param name="busyTimeoutSeconds">How long an operation waits for another writer: the CDS service fails fast
    /// rather than hold up a clinician; a reviewer saving a review can wait for an import.</param>
    /// <exception cref="WorkspaceNotFoundException">No workspace database in the folder.</exception>
    public static SqlitePooledWorkspace Open(string workspaceDirectory, TimeProvider time, int busyTimeoutSeconds)
    {
        using (SqliteWorkspaceStore.Open(workspaceDirectory, time))
        {
            // Opening applies pending migrations, so every table exists.
        }

        return new SqlitePooledWorkspace(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(workspaceDirectory, SqliteWorkspaceStore.FileName),
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = busyTimeoutSeconds,
        }.ToString());
    }

    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Every row of <paramref name="sql"/>, on a connection of its own.</summary>
    public async Task<IReadOnlyList<T>> ReadAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection, sql, map, cancellationToken, parameters);
    }
}
