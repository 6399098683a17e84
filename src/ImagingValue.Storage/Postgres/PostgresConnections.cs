using Npgsql;

namespace ImagingValue.Storage.Postgres;

/// <summary>
/// The one connection factory of a PostgreSQL workspace: a pooled <see cref="NpgsqlDataSource"/>, migrated once when
/// it opens. Every operation takes a pooled connection of its own, for a command as for a service: PostgreSQL lets a
/// screening run read order pages on one connection while it writes decisions on another.
/// </summary>
internal sealed class PostgresConnections : IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly Lazy<NpgsqlDataSource> _bulkDataSource;

    private PostgresConnections(NpgsqlDataSource dataSource, string connectionString)
    {
        _dataSource = dataSource;
        _bulkDataSource = new(() => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString));
    }

    /// <summary>Opens the database and applies pending migrations.</summary>
    /// <param name="location">The database as messages name it (no password).</param>
    /// <exception cref="IOException">The server cannot be reached or refuses the connection: one line naming the database.</exception>
    public static PostgresConnections Open(string connectionString, string location)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            using var connection = dataSource.OpenConnection();
            PostgresMigrations.Apply(connection);
        }
        catch (NpgsqlException ex)
        {
            dataSource.Dispose();
            // Npgsql's messages name the server and user, never the password.
            throw new IOException($"{location}: cannot open the PostgreSQL workspace: {ex.Message}", ex);
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }

        return new PostgresConnections(dataSource, connectionString);
    }

    /// <summary>A pooled connection opened synchronously, for the callers that cannot wait asynchronously (key storage).</summary>
    public NpgsqlConnection Open() => _dataSource.OpenConnection();

    /// <summary>A pooled connection for one operation; disposing it returns it to the pool.</summary>
    public async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// A pooled connection whose commands have no time limit, for an import: its statements (merging, checking for
    /// conflicts) take time in proportion to the file, and Npgsql's default of 30 s ended a 10,000,000-order import
    /// after every row had been read. Cancelling the import still stops them.
    /// </summary>
    public async ValueTask<NpgsqlConnection> OpenForBulkAsync(CancellationToken cancellationToken) =>
        await _bulkDataSource.Value.OpenConnectionAsync(cancellationToken);

    /// <summary>Every row of <paramref name="sql"/>.</summary>
    public async Task<IReadOnlyList<T>> ReadAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await PostgresRows.ReadAllAsync(connection, sql, map, cancellationToken, parameters);
    }

    /// <summary>The first row of <paramref name="sql"/>, or the default.</summary>
    public async Task<T?> ReadFirstAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var rows = await ReadAsync(sql, map, cancellationToken, parameters);
        return rows.Count == 0 ? default : rows[0];
    }

    public void Dispose()
    {
        _dataSource.Dispose();
        if (_bulkDataSource.IsValueCreated)
        {
            _bulkDataSource.Value.Dispose();
        }
    }
}
