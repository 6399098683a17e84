using Microsoft.Data.Sqlite;
using static ImagingValue.Storage.Sqlite.SqliteRows;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// The one connection factory of a SQLite workspace: opens the file, applies pending migrations once, then hands out
/// connections. A command (the CLI) holds one long-lived connection that every store shares, so a screening run
/// reads order pages and writes decisions on it, taking turns under <see cref="Gate"/>; a service (the web host)
/// gives each operation a pooled connection of its own, since a connection must not be shared between requests.
/// </summary>
internal sealed class SqliteConnections : IDisposable
{
    // Rollback journal, not WAL: a killed import leaves a hot journal that the next open rolls back, and bulk imports
    // write each page once instead of twice (WAL then checkpoint): 9.6 s against 13.1 s for a million orders here.
    private const string BulkPragmas = "PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768; PRAGMA temp_store=FILE;";

    private readonly SqliteConnection? _shared;
    private readonly string _path;
    private readonly string? _pooled;

    private SqliteConnections(string path, SqliteConnection? shared, string? pooled, Lock gate)
    {
        _path = path;
        _shared = shared;
        _pooled = pooled;
        Gate = gate;
    }

    /// <summary>
    /// Held while the shared connection reads a page of orders or stores a page of decisions, so a screening run can
    /// do both from two threads. Unused (never contended) for pooled connections.
    /// </summary>
    public Lock Gate { get; }

    /// <summary>True when every store uses the one connection of a command.</summary>
    public bool IsShared => _shared is not null;

    /// <summary>Opens (creating when <paramref name="mode"/> allows) and migrates the file; one connection for everything.</summary>
    public static SqliteConnections OpenShared(string path, SqliteOpenMode mode)
    {
        var connection = OpenBulk(path, mode);
        try
        {
            SqliteMigrations.Apply(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new SqliteConnections(path, connection, null, new Lock());
    }

    /// <summary>
    /// One connection for a feed listener. A rollback journal syncs three times per commit (about 50 commits a second
    /// on this machine class); the write-ahead log syncs once (synchronous=FULL), and lets <c>serve</c> and
    /// <c>monitor</c> read while messages are written. The file stays in WAL mode after the listener stops.
    /// </summary>
    public static SqliteConnections OpenFeed(string path)
    {
        var connections = OpenShared(path, SqliteOpenMode.ReadWrite);
        Execute(connections._shared!, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        return connections;
    }

    /// <summary>Migrates an existing file once, then hands out pooled connections.</summary>
    /// <param name="busyTimeoutSeconds">How long an operation waits for another writer.</param>
    public static SqliteConnections OpenPooled(string path, int busyTimeoutSeconds)
    {
        using (OpenShared(path, SqliteOpenMode.ReadWrite))
        {
            // Opening applies pending migrations, so every table exists.
        }

        return new SqliteConnections(path, null, PooledString(path, busyTimeoutSeconds), new Lock());
    }

    /// <summary>
    /// The same workspace with another busy timeout for pooled connections: the CDS service fails fast rather than
    /// hold up a clinician; a reviewer saving a review can wait for an import. A shared connection is returned as is.
    /// </summary>
    public SqliteConnections WithBusyTimeout(int seconds) =>
        _shared is not null ? this : new SqliteConnections(_path, null, PooledString(_path, seconds), Gate);

    /// <summary>A connection for one operation: the shared one, or a pooled one that the lease closes.</summary>
    public async ValueTask<SqliteLease> OpenAsync(CancellationToken cancellationToken)
    {
        if (_shared is not null)
        {
            return new SqliteLease(_shared, owned: false);
        }

        var connection = new SqliteConnection(_pooled);
        await connection.OpenAsync(cancellationToken);
        return new SqliteLease(connection, owned: true);
    }

    /// <summary>
    /// A connection for bulk work (an import, a page read, a screening run) configured as a command's: the shared one,
    /// or for a service a connection of its own, not pooled, since bulk work leaves temporary schema and settings.
    /// </summary>
    public ValueTask<SqliteLease> OpenBulkAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_shared is not null ? new SqliteLease(_shared, owned: false) : new SqliteLease(OpenBulk(_path, SqliteOpenMode.ReadWrite), owned: true));
    }

    /// <summary>Every row of <paramref name="sql"/>.</summary>
    public async Task<IReadOnlyList<T>> ReadAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var lease = await OpenAsync(cancellationToken);
        return await ReadAllAsync(lease.Connection, sql, map, cancellationToken, parameters);
    }

    /// <summary>The first row of <paramref name="sql"/>, or the default.</summary>
    public async Task<T?> ReadFirstAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var rows = await ReadAsync(sql, map, cancellationToken, parameters);
        return rows.Count == 0 ? default : rows[0];
    }

    public void Dispose() => _shared?.Dispose();

    private static SqliteConnection OpenBulk(string path, SqliteOpenMode mode)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, BulkPragmas);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return connection;
    }

    private static string PooledString(string path, int busyTimeoutSeconds) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = busyTimeoutSeconds,
        }.ToString();

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>A connection for one operation; closes it when the factory opened it for this operation alone.</summary>
internal readonly struct SqliteLease(SqliteConnection connection, bool owned) : IDisposable, IAsyncDisposable
{
    public SqliteConnection Connection { get; } = connection;

    public void Dispose()
    {
        if (owned)
        {
            Connection.Dispose();
        }
    }

    public ValueTask DisposeAsync() => owned ? Connection.DisposeAsync() : ValueTask.CompletedTask;
}
