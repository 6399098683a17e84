using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// A batch's <see cref="IImportScratch"/>: temporary tables (one a kind) on the batch's connection, inside its transaction, so
/// it goes with the batch whether that commits or rolls back. Temporary tables live in SQLite's temporary file (the
/// page cache, not the heap, holds what is in use), which keeps an import's memory flat however many resources it holds.
/// </summary>
internal sealed class SqliteImportScratch(SqliteTransaction transaction) : IImportScratch, IDisposable
{
    private const int SqliteRow = 100;
    private const int SqliteDone = 101;

    private readonly SqliteConnection _connection = transaction.Connection!;
    private readonly Dictionary<int, (sqlite3_stmt Put, sqlite3_stmt Get)> _kinds = [];

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

    /// <summary>Before the batch commits: temporary tables would outlive the transaction on a connection that is kept.</summary>
    public void Drop()
    {
        var kinds = _kinds.Keys.ToList();
        Dispose();
        foreach (var kind in kinds)
        {
            using var drop = _connection.CreateCommand();
            drop.Transaction = transaction;
            drop.CommandText = $"DROP TABLE {TableOf(kind)}";
            drop.ExecuteNonQuery();
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
    }

    private static string TableOf(int kind) => $"iv_scratch_{kind}";

    /// <summary>A table per kind, made on first use, so that reading a kind scans only its own rows.</summary>
    private (sqlite3_stmt Put, sqlite3_stmt Get) Kind(int kind)
    {
        if (!_kinds.TryGetValue(kind, out var statements))
        {
            using (var create = _connection.CreateCommand())
            {
                create.Transaction = transaction;
                create.CommandText = $"CREATE TEMP TABLE {TableOf(kind)} (key TEXT NOT NULL UNIQUE, value BLOB)";
                create.ExecuteNonQuery();
            }

            statements = (
                Prepare($"INSERT INTO {TableOf(kind)} (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                Prepare($"SELECT value FROM {TableOf(kind)} WHERE key = ?1"));
            _kinds[kind] = statements;
        }

        return statements;
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_connection.Handle, sql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        return statement;
    }
}
