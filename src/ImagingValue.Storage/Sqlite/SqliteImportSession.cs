using System.IO.Hashing;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// One file's import inside one transaction. Each valid row is upserted straight into its table (a row whose data
/// did not change is not written at all), and its key, content hash and line go to a narrow temporary table, so
/// that duplicates with conflicting data can be found with SQL afterwards. A temporary trigger keeps the pre-import
/// image of every row the import changes, so a conflicting key can be put back exactly as it was. A crash or a
/// refusal rolls the transaction back and leaves the workspace as it was.
/// </summary>
/// <remarks>
/// The per-row statements go through SQLitePCL's raw API with UTF-16 spans: Microsoft.Data.Sqlite's parameter
/// objects cost about twice the time of SQLite's own insert on a million-row import (see benchmarks/README.md).
/// </remarks>
internal sealed class SqliteImportSession : IImportSession
{
    private const int SqliteDone = 101;

    private readonly SqliteLease? _lease;
    private readonly bool _ownsTransaction;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly CanonicalTable _table;
    private readonly long _importId;
    private readonly long _rowsBefore;
    private readonly List<string> _droppedIndexes = [];
    private readonly sqlite3_stmt _stageKey;
    private readonly sqlite3_stmt _upsert;
    private readonly XxHash64 _hash = new();
    private long _staged;
    private long? _distinctKeys;
    private bool _committed;

    /// <param name="lease">The connection, kept (and closed if the lease owns it) until the session is disposed; null when a batch owns it.</param>
    /// <param name="transaction">The transaction the import runs in.</param>
    /// <param name="ownsTransaction">Whether the session commits (or rolls back) the transaction itself; false inside a <see cref="SqliteImportBatch"/>.</param>
    public SqliteImportSession(SqliteLease? lease, SqliteTransaction transaction, bool ownsTransaction, CanonicalTable table, string source, string startedAt)
    {
        _lease = lease;
        _connection = transaction.Connection!;
        _table = table;
        _transaction = transaction;
        _ownsTransaction = ownsTransaction;

        using (var insertImport = Command("INSERT INTO imports (kind, source, started_at) VALUES ($kind, $source, $started) RETURNING import_id"))
        {
            insertImport.Parameters.AddWithValue("$kind", table.Name);
            insertImport.Parameters.AddWithValue("$source", source);
            insertImport.Parameters.AddWithValue("$started", startedAt);
            _importId = (long)insertImport.ExecuteScalar()!;
        }

        _rowsBefore = Scalar($"SELECT COUNT(*) FROM main.{table.Name}");
        if (_rowsBefore == 0)
        {
            // Loading an empty table: build its secondary indexes once at the end instead of row by row.
            using var indexes = Command($"SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table.Name}' AND sql IS NOT NULL");
            using var reader = indexes.ExecuteReader();
            while (reader.Read())
            {
                _droppedIndexes.Add(reader.GetString(0));
            }

            foreach (var sql in _droppedIndexes)
            {
                Execute("DROP INDEX " + IndexName(sql));
            }
        }

        var columns = table.Columns.Select(c => c.Name).ToList();
        var all = string.Join(", ", columns);
        Execute($"CREATE TEMP TABLE {StageTable} (line INTEGER NOT NULL, row_key TEXT NOT NULL, row_hash INTEGER NOT NULL)");
        Execute($"CREATE TEMP TABLE {UndoTable} AS SELECT * FROM main.{table.Name} WHERE 0");
        // Orders a feed made carry which columns it gave only provisionally (migration 0012); a file gives every
        // column for real, so an order it writes has none, and a conflicting key is put back with its own.
        var feedColumns = table == CanonicalTable.Orders ? ", provisional" : "";
        Execute(
            $"CREATE TEMP TRIGGER {UndoTrigger} BEFORE UPDATE ON main.{table.Name} BEGIN " +
            $"INSERT INTO {UndoTable} (row_key, {all}, extra, row_hash, import_id{feedColumns}) VALUES (old.row_key, {string.Join(", ", columns.Select(c => "old." + c))}, old.extra, old.row_hash, old.import_id{feedColumns.Replace(", ", ", old.", StringComparison.Ordinal)}); END");

        _stageKey = Prepare($"INSERT INTO {StageTable} (line, row_key, row_hash) VALUES (?1, ?2, ?3)");
        var placeholders = string.Join(", ", Enumerable.Range(2, columns.Count + 2).Select(i => "?" + i));
        _upsert = Prepare(
            $"INSERT INTO main.{table.Name} (row_key, {all}, extra, row_hash, import_id) VALUES (?1, {placeholders}, {_importId}) " +
            $"ON CONFLICT (row_key) DO UPDATE SET {string.Join(", ", columns.Select(c => $"{c} = excluded.{c}"))}, extra = excluded.extra, row_hash = excluded.row_hash, import_id = excluded.import_id{(feedColumns.Length > 0 ? ", provisional = NULL" : "")} " +
            $"WHERE {table.Name}.row_hash <> excluded.row_hash");
    }

    private string StageTable => "iv_stage_" + _table.Name;

    private string UndoTable => "iv_undo_" + _table.Name;

    private string UndoTrigger => "iv_undo_trigger_" + _table.Name;

    public ValueTask StageAsync(int line, string key, IReadOnlyList<string?> values, string? extraJson, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Stage(line, key, values, extraJson);
        return ValueTask.CompletedTask;
    }

    public Task<IReadOnlyList<KeyConflict>> FindConflictsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<KeyConflict>>(FindConflicts());
    }

    public Task<ImportCounts> CommitAsync(IReadOnlySet<string> skipKeys, long rejectedRows, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Commit(skipKeys, rejectedRows));
    }

    private void Stage(int line, string key, IReadOnlyList<string?> values, string? extraJson)
    {
        var hash = RowHash(values, extraJson);

        raw.sqlite3_bind_int64(_stageKey, 1, line);
        BindText(_stageKey, 2, key);
        raw.sqlite3_bind_int64(_stageKey, 3, hash);
        Step(_stageKey);

        BindText(_upsert, 1, key);
        for (var i = 0; i < values.Count; i++)
        {
            BindText(_upsert, i + 2, values[i]);
        }

        BindText(_upsert, values.Count + 2, extraJson);
        raw.sqlite3_bind_int64(_upsert, values.Count + 3, hash);
        Step(_upsert);
        _staged++;
    }

    private List<KeyConflict> FindConflicts()
    {
        // One pass over the keys gives both the number of distinct keys (for the counts) and whether any conflict.
        using (var summary = Command($"SELECT COUNT(*), COALESCE(SUM(hashes > 1), 0) FROM (SELECT COUNT(DISTINCT row_hash) AS hashes FROM {StageTable} GROUP BY row_key)"))
        using (var reader = summary.ExecuteReader())
        {
            reader.Read();
            _distinctKeys = reader.GetInt64(0);
            if (reader.GetInt64(1) == 0)
            {
                return [];
            }
        }

        using var command = Command(
            $"SELECT row_key, group_concat(line) FROM (SELECT row_key, line FROM {StageTable} WHERE row_key IN " +
            $"(SELECT row_key FROM {StageTable} GROUP BY row_key HAVING COUNT(DISTINCT row_hash) > 1) ORDER BY line) GROUP BY row_key ORDER BY MIN(line)");
        using var lines = command.ExecuteReader();
        var conflicts = new List<KeyConflict>();
        while (lines.Read())
        {
            conflicts.Add(new KeyConflict(lines.GetString(0), lines.GetString(1).Split(',').Select(int.Parse).ToList()));
        }

        return conflicts;
    }

    private ImportCounts Commit(IReadOnlySet<string> skipKeys, long rejectedRows)
    {
        ArgumentNullException.ThrowIfNull(skipKeys);
        Execute($"DROP TRIGGER {UndoTrigger}");
        foreach (var key in skipKeys)
        {
            Restore(key);
        }

        foreach (var sql in _droppedIndexes)
        {
            Execute(sql);
        }

        var skipped = skipKeys.Count;
        var inserted = Scalar($"SELECT COUNT(*) FROM main.{_table.Name}") - _rowsBefore;
        var updated = Scalar($"SELECT COUNT(DISTINCT row_key) FROM {UndoTable} WHERE import_id <> {_importId}")
            - skipKeys.Count(k => Exists($"SELECT 1 FROM {UndoTable} WHERE import_id <> {_importId} AND row_key = $key", k));
        var distinctKeys = (_distinctKeys ?? Scalar($"SELECT COUNT(DISTINCT row_key) FROM {StageTable}")) - skipped;
        var counts = new ImportCounts(inserted, updated, distinctKeys - inserted - updated);

        using (var finish = Command("UPDATE imports SET rows_staged = $staged, inserted = $inserted, updated = $updated, unchanged = $unchanged, rows_rejected = $rejected WHERE import_id = $id"))
        {
            finish.Parameters.AddWithValue("$rejected", rejectedRows);
            finish.Parameters.AddWithValue("$staged", _staged);
            finish.Parameters.AddWithValue("$inserted", counts.Inserted);
            finish.Parameters.AddWithValue("$updated", counts.Updated);
            finish.Parameters.AddWithValue("$unchanged", counts.Unchanged);
            finish.Parameters.AddWithValue("$id", _importId);
            finish.ExecuteNonQuery();
        }

        Execute($"DROP TABLE {StageTable}");
        Execute($"DROP TABLE {UndoTable}");
        if (_ownsTransaction)
        {
            _transaction.Commit();
        }

        _committed = true;
        return counts;
    }

    public ValueTask DisposeAsync()
    {
        _stageKey.Dispose();
        _upsert.Dispose();
        if (!_ownsTransaction)
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            if (!_committed)
            {
                // Temporary tables and triggers are schema too: the rollback removes them with everything else.
                _transaction.Rollback();
            }

            _transaction.Dispose();
        }
        finally
        {
            _lease?.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Puts a key back as it was before this import: its pre-import image, or nothing if it was new.</summary>
    private void Restore(string key)
    {
        using var delete = Command($"DELETE FROM main.{_table.Name} WHERE row_key = $key");
        delete.Parameters.AddWithValue("$key", key);
        delete.ExecuteNonQuery();

        using var restore = Command($"INSERT INTO main.{_table.Name} SELECT * FROM {UndoTable} WHERE row_key = $key AND import_id <> {_importId} LIMIT 1");
        restore.Parameters.AddWithValue("$key", key);
        restore.ExecuteNonQuery();
    }

    private long RowHash(IReadOnlyList<string?> values, string? extraJson) => RowHashes.Of(_hash, values, extraJson);

    private static void BindText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
        }
        else
        {
            raw.sqlite3_bind_text16(statement, index, value.AsSpan());
        }
    }

    private void Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != SqliteDone)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_connection.Handle, sql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        return statement;
    }

    private static string IndexName(string createSql) =>
        createSql.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];

    private bool Exists(string sql, string key)
    {
        using var command = Command(sql);
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() is not null;
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

    private long Scalar(string sql)
    {
        using var command = Command(sql);
        return (long)command.ExecuteScalar()!;
    }
}
