using System.IO.Hashing;
using System.Text;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// One file's import inside one transaction: rows go to a temporary staging table first, so duplicates with
/// conflicting data can be found with SQL before anything reaches the real table, and a crash or a refusal
/// leaves the workspace exactly as it was.
/// </summary>
internal sealed class SqliteImportSession : IImportSession
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly CanonicalTable _table;
    private readonly SqliteCommand _stage;
    private readonly SqliteParameter[] _parameters;
    private readonly long _importId;
    private readonly string _stagingTable;
    private long _staged;
    private bool _committed;

    public SqliteImportSession(SqliteConnection connection, CanonicalTable table, string source, string startedAt)
    {
        _connection = connection;
        _table = table;
        _stagingTable = "stage_" + table.Name;
        _transaction = connection.BeginTransaction();

        using (var insertImport = Command("INSERT INTO imports (kind, source, started_at) VALUES ($kind, $source, $started) RETURNING import_id"))
        {
            insertImport.Parameters.AddWithValue("$kind", table.Name);
            insertImport.Parameters.AddWithValue("$source", source);
            insertImport.Parameters.AddWithValue("$started", startedAt);
            _importId = (long)insertImport.ExecuteScalar()!;
        }

        var columns = string.Join(", ", table.Columns.Select(c => c.Name));
        Execute($"DROP TABLE IF EXISTS temp.{_stagingTable}");
        Execute($"CREATE TEMP TABLE {_stagingTable} (line INTEGER NOT NULL, row_key TEXT NOT NULL, {columns}, extra TEXT, row_hash INTEGER NOT NULL)");

        var names = new[] { "line", "row_key" }.Concat(table.Columns.Select(c => c.Name)).Concat(["extra", "row_hash"]).ToArray();
        _stage = Command($"INSERT INTO temp.{_stagingTable} ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select((_, i) => "$p" + i))})");
        _parameters = names.Select((_, i) => _stage.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        _stage.Prepare();
    }

    public void Stage(int line, string key, IReadOnlyList<string?> values, string? extraJson)
    {
        _parameters[0].Value = line;
        _parameters[1].Value = key;
        for (var i = 0; i < values.Count; i++)
        {
            _parameters[i + 2].Value = (object?)values[i] ?? DBNull.Value;
        }

        _parameters[^2].Value = (object?)extraJson ?? DBNull.Value;
        _parameters[^1].Value = RowHash(values, extraJson);
        _stage.ExecuteNonQuery();
        _staged++;
    }

    public IReadOnlyList<KeyConflict> FindConflicts()
    {
        using var command = Command(
            $"SELECT row_key, group_concat(line) FROM (SELECT row_key, line FROM temp.{_stagingTable} ORDER BY line) " +
            $"WHERE row_key IN (SELECT row_key FROM temp.{_stagingTable} GROUP BY row_key HAVING COUNT(DISTINCT row_hash) > 1) GROUP BY row_key ORDER BY MIN(line)");
        using var reader = command.ExecuteReader();
        var conflicts = new List<KeyConflict>();
        while (reader.Read())
        {
            var lines = reader.GetString(1).Split(',').Select(int.Parse).ToList();
            conflicts.Add(new KeyConflict(reader.GetString(0), lines));
        }

        return conflicts;
    }

    public ImportCounts Commit(IReadOnlySet<string> skipKeys)
    {
        ArgumentNullException.ThrowIfNull(skipKeys);
        if (skipKeys.Count > 0)
        {
            using var delete = Command($"DELETE FROM temp.{_stagingTable} WHERE row_key = $key");
            var key = delete.Parameters.Add(new SqliteParameter("$key", null));
            foreach (var skip in skipKeys)
            {
                key.Value = skip;
                delete.ExecuteNonQuery();
            }
        }

        var before = Scalar($"SELECT COUNT(*) FROM {_table.Name}");
        var columns = _table.Columns.Select(c => c.Name).ToList();
        var list = string.Join(", ", columns);
        var updates = string.Join(", ", columns.Select(c => $"{c} = excluded.{c}"));
        // "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
        var changed = ExecuteCount(
            $"INSERT INTO {_table.Name} (row_key, {list}, extra, row_hash, import_id) " +
            $"SELECT row_key, {list}, extra, row_hash, {_importId} FROM temp.{_stagingTable} WHERE true ORDER BY line " +
            $"ON CONFLICT (row_key) DO UPDATE SET {updates}, extra = excluded.extra, row_hash = excluded.row_hash, import_id = excluded.import_id " +
            $"WHERE {_table.Name}.row_hash <> excluded.row_hash");
        var inserted = Scalar($"SELECT COUNT(*) FROM {_table.Name}") - before;
        var staged = Scalar($"SELECT COUNT(*) FROM temp.{_stagingTable}");
        var counts = new ImportCounts(inserted, changed - inserted, staged - changed);

        using (var finish = Command("UPDATE imports SET rows_staged = $staged, inserted = $inserted, updated = $updated, unchanged = $unchanged WHERE import_id = $id"))
        {
            finish.Parameters.AddWithValue("$staged", _staged);
            finish.Parameters.AddWithValue("$inserted", counts.Inserted);
            finish.Parameters.AddWithValue("$updated", counts.Updated);
            finish.Parameters.AddWithValue("$unchanged", counts.Unchanged);
            finish.Parameters.AddWithValue("$id", _importId);
            finish.ExecuteNonQuery();
        }

        Execute($"DROP TABLE temp.{_stagingTable}");
        _transaction.Commit();
        _committed = true;
        return counts;
    }

    public void Dispose()
    {
        _stage.Dispose();
        if (!_committed)
        {
            _transaction.Rollback();
        }

        _transaction.Dispose();
    }

    /// <summary>A stable 64-bit hash of a row's content: equal rows, equal hashes, across runs and machines.</summary>
    private static long RowHash(IReadOnlyList<string?> values, string? extraJson)
    {
        var hash = new XxHash64();
        Span<byte> buffer = stackalloc byte[512];
        foreach (var value in values.Append(extraJson))
        {
            if (value is null)
            {
                hash.Append([0xFF]);
                continue;
            }

            var bytes = Encoding.UTF8.GetMaxByteCount(value.Length) <= buffer.Length ? buffer : new byte[Encoding.UTF8.GetByteCount(value)];
            var written = Encoding.UTF8.GetBytes(value, bytes);
            hash.Append(bytes[..written]);
            hash.Append([0x1F]);
        }

        return unchecked((long)hash.GetCurrentHashAsUInt64());
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private long ExecuteCount(string sql)
    {
        using var command = Command(sql);
        return command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var command = Command(sql);
        return (long)command.ExecuteScalar()!;
    }
}
