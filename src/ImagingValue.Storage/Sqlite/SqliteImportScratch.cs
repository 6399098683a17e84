using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// An <see cref="IImportScratch"/> in a private temporary SQLite database (an empty file name: SQLite makes a file in
/// its temporary folder and deletes it when the connection closes). Its page cache, not the heap, holds what is in
/// use, so an import's memory stays flat however many resources it keeps. Apart from the workspace, on purpose: an
/// import's transaction there takes the write lock when it begins (BEGIN IMMEDIATE), and the files may take minutes
/// to read, during which <c>listen</c> must go on storing messages.
/// </summary>
internal sealed class SqliteImportScratch : IImportScratch
{
    private const int SqliteRow = 100;
    private const int SqliteDone = 101;

    private readonly SqliteConnection _connection;
    private readonly Dictionary<int, (sqlite3_stmt Put, sqlite3_stmt Get)> _kinds = [];

    public SqliteImportScratch()
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = "", Pooling = false }.ToString());
        try
        {
            _connection.Open();
            // Nothing here outlives the import: no journal, no syncing, and one transaction that is never committed.
            Execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16384; BEGIN");
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public void Put(int kind, string key, ReadOnlySpan<byte> value)
    {
        var put = Kind(kind).Put;
        raw.sqlite3_bind_text16(put, 1, key.AsSpan());
        raw.sqlite3_bind_blob(put, 2, value);
        var rc = raw.sqlite3_step(put);
        raw.sqlite3_reset(put);
        if (rc != SqliteDone)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }

    public byte[]? Get(int kind, string key)
    {
        if (!_kinds.TryGetValue(kind, out var statements))
        {
            return null;
        }

        var get = statements.Get;
        raw.sqlite3_bind_text16(get, 1, key.AsSpan());
        try
        {
            var rc = raw.sqlite3_step(get);
            if (rc == SqliteRow)
            {
                return raw.sqlite3_column_blob(get, 0).ToArray();
            }

            if (rc != SqliteDone)
            {
                SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            }

            return null;
        }
        finally
        {
            raw.sqlite3_reset(get);
        }
    }

    public IEnumerable<(string Key, byte[] Value)> Read(int kind)
    {
        if (!_kinds.ContainsKey(kind))
        {
            yield break;
        }

        // In rowid order, which is the order keys first came (the upsert keeps a key's row): a plain scan, no sort.
        var statement = Prepare($"SELECT key, value FROM {TableOf(kind)} ORDER BY rowid");
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == SqliteRow)
            {
                yield return (raw.sqlite3_column_text(statement, 0).utf8_to_string(), raw.sqlite3_column_blob(statement, 1).ToArray());
            }

            if (rc != SqliteDone)
            {
                SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            }
        }
        finally
        {
            statement.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var (put, get) in _kinds.Values)
        {
            put.Dispose();
            get.Dispose();
        }

        _kinds.Clear();
        _connection.Dispose();
    }

    private static string TableOf(int kind) => $"scratch_{kind}";

    /// <summary>A table per kind, made on first use, so that reading a kind scans only its own rows.</summary>
    private (sqlite3_stmt Put, sqlite3_stmt Get) Kind(int kind)
    {
        if (!_kinds.TryGetValue(kind, out var statements))
        {
            Execute($"CREATE TABLE {TableOf(kind)} (key TEXT NOT NULL UNIQUE, value BLOB)");
            statements = (
                Prepare($"INSERT INTO {TableOf(kind)} (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                Prepare($"SELECT value FROM {TableOf(kind)} WHERE key = ?1"));
            _kinds[kind] = statements;
        }

        return statements;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_connection.Handle, sql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        return statement;
    }
}
