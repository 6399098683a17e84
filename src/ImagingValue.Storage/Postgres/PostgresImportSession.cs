using System.IO.Hashing;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using ImagingValue.Storage.Sqlite;
using Npgsql;

namespace ImagingValue.Storage.Postgres;

/// <summary>
/// One file's import inside one transaction. Valid rows are encoded as they come and sent by binary COPY into a
/// temporary staging table (one COPY open for the file on a connection of the session's own, a COPY per chunk in a
/// batch, whose sessions take turns on their connection);
/// duplicates with conflicting data are found there with SQL, and the commit merges the staged rows into the table
/// with one <c>INSERT … ON CONFLICT DO UPDATE</c> (a row whose data did not change is not written). A refusal or a
/// crash rolls the transaction back, staging table and all, and leaves the workspace as it was.
/// When no key was staged twice (known without asking the server when the keys came in strictly ascending order, as
/// exports sorted by id do), the conflict check and the merge's sort for "the last row of a key wins" are skipped:
/// at a million rows they were most of the server's time. Into an empty table, rows whose keys come in ascending order
/// skip the staging table altogether (see <see cref="StartAsync"/>).
/// </summary>
internal sealed class PostgresImportSession : IImportSession
{
    /// <summary>How much of a file's rows a session on its own connection buffers before handing them to its open COPY.</summary>
    private const int StreamBytes = 1 << 16;

    /// <summary>How much a session in a batch buffers before sending a COPY of its own (about 8,000 orders).</summary>
    private const int ChunkBytes = 1 << 21;

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly bool _ownsTransaction;
    private readonly CanonicalTable _table;
    private readonly long _importId;
    private readonly BinaryCopyRows _rows = new();
    private NpgsqlRawCopyStream? _copy;
    private readonly XxHash64 _hash = new();
    private long _staged;
    private string? _lastKey;
    private bool _keysAscending = true;
    // Rows go straight into the table (see StartAsync) while this holds; the lines of those rows, as runs of
    // consecutive lines (row index, first line), in case they must move to the staging table after all.
    private bool _direct;
    private List<(long Row, int Line)>? _directLineRuns;
    private int _lastLine;
    private bool? _duplicateKeys;
    private bool _committed;

    private PostgresImportSession(NpgsqlConnection connection, NpgsqlTransaction transaction, bool ownsTransaction, CanonicalTable table, long importId)
    {
        _connection = connection;
        _transaction = transaction;
        _ownsTransaction = ownsTransaction;
        _table = table;
        _importId = importId;
    }

    private string StageTable => "iv_stage_" + _table.Name;

    /// <summary>The rows staged so far (valid rows of the file).</summary>
    internal long StagedRows => _staged;

    private IEnumerable<string> Columns => _table.Columns.Select(c => c.Name);

    /// <summary>Records the import and makes its staging table, inside <paramref name="transaction"/>.</summary>
    /// <param name="ownsTransaction">Whether the session commits (or rolls back) the transaction and closes the connection; false inside a <see cref="PostgresImportBatch"/>.</param>
    public static async Task<PostgresImportSession> StartAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, bool ownsTransaction, CanonicalTable table, string source, string startedAt, CancellationToken cancellationToken)
    {
        var importId = await PostgresRows.ScalarAsync(
            connection,
            "INSERT INTO imports (kind, source, started_at) VALUES (@kind, @source, @started) RETURNING import_id",
            cancellationToken,
            ("kind", table.Name),
            ("source", source),
            ("started", startedAt));
        var session = new PostgresImportSession(connection, transaction, ownsTransaction, table, importId);
        await PostgresRows.ExecuteAsync(
            connection,
            $"CREATE TEMP TABLE {session.StageTable} (line integer NOT NULL, row_key text COLLATE \"C\" NOT NULL, {string.Join(", ", session.Columns.Select(c => c + " text"))}, extra text, row_hash bigint NOT NULL) ON COMMIT DROP",
            cancellationToken);
        // An empty table (a first load) gets the rows by COPY straight into it while their keys come in ascending order,
        // as sorted exports give them: nothing can conflict then, and the staging table's COPY and INSERT … SELECT (half
        // the server's time at a million rows) are saved. The lock keeps other writers of this table out until the
        // commit; a batch's sessions (one connection, several tables) keep to the staging table.
        session._direct = ownsTransaction && await session.IsEmptyUnderLockAsync(cancellationToken);
        session._directLineRuns = session._direct ? [] : null;
        return session;
    }

    public async ValueTask StageAsync(int line, string key, IReadOnlyList<string?> values, string? extraJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        cancellationToken.ThrowIfCancellationRequested();
        // Strictly ascending means every key is new to this file.
        _keysAscending = _keysAscending && (_lastKey is null || CompareCodePoints(_lastKey, key) < 0);
        _lastKey = key;
        _duplicateKeys = _keysAscending ? false : null;
        if (_direct && !_keysAscending)
        {
            await LeaveTableForStagingAsync(cancellationToken);
        }

        _rows.StartRow(values.Count + 4);
        if (_direct)
        {
            if (_staged == 0 || line != _lastLine + 1)
            {
                _directLineRuns!.Add((_staged, line));
            }

            _lastLine = line;
        }
        else
        {
            _rows.WriteInt32(line);
        }

        _rows.WriteText(key);
        for (var i = 0; i < values.Count; i++)
        {
            _rows.WriteText(values[i]);
        }

        _rows.WriteText(extraJson);
        _rows.WriteInt64(RowHashes.Of(_hash, values, extraJson));
        if (_direct)
        {
            _rows.WriteInt64(_importId);
        }

        _staged++;
        if (_rows.Length >= (_ownsTransaction ? StreamBytes : ChunkBytes))
        {
            await SendAsync(complete: !_ownsTransaction, cancellationToken);
        }
    }

    /// <summary>
    /// Sends the encoded rows to the staging table. On a connection of its own the session keeps one COPY open for the
    /// whole file and hands the server every 64 KB, so the server stores rows while the next ones are read (the two
    /// cores work at once; a COPY per chunk made each wait for the other). In a batch, whose sessions share the
    /// connection, each chunk is a COPY of its own.
    /// </summary>
    private async Task SendAsync(bool complete, CancellationToken cancellationToken)
    {
        if (_copy is null && (_rows.Length > 0 || !complete))
        {
            var command = _direct
                ? $"COPY {_table.Name} (row_key, {string.Join(", ", Columns)}, extra, row_hash, import_id) FROM STDIN (FORMAT BINARY)"
                : $"COPY {StageTable} (line, row_key, {string.Join(", ", Columns)}, extra, row_hash) FROM STDIN (FORMAT BINARY)";
            _copy = await _connection.BeginRawBinaryCopyAsync(command, cancellationToken);
            await _copy.WriteAsync(BinaryCopyRows.Header.ToArray(), cancellationToken);
        }

        if (_copy is null)
        {
            return;
        }

        var copy = _copy;
        try
        {
            await copy.WriteAsync(_rows.Written, cancellationToken);
            _rows.Clear();
            if (complete)
            {
                _copy = null;
                await copy.WriteAsync(BinaryCopyRows.Trailer.ToArray(), cancellationToken);
                await copy.DisposeAsync(); // ends the COPY: a row the server refused throws here
            }
        }
        catch
        {
            _copy = null;
            await CancelCopyAsync(copy);
            throw;
        }
    }

    /// <summary>Ends a COPY that will not be completed (the import failed or was abandoned); the transaction is rolled back next.</summary>
    private static async Task CancelCopyAsync(NpgsqlRawCopyStream copy)
    {
        try
        {
            await copy.CancelAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ObjectDisposedException)
        {
            // Already ended (the server refused a row, or the connection is gone): the rollback that follows tells.
        }
    }

    private Task FlushAsync(CancellationToken cancellationToken) => SendAsync(complete: true, cancellationToken);

    /// <summary>
    /// A key out of order in a load straight into the empty table: the rows copied so far move to the staging table,
    /// with their lines, and the import goes on as any other (duplicates and conflicts found there).
    /// </summary>
    private async Task LeaveTableForStagingAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var all = string.Join(", ", Columns);
        // The table held none of the rows before (empty under lock), and they came in ascending key order, so the n-th
        // by key (COLLATE "C": code point order, as CompareCodePoints) is the n-th staged.
        await PostgresRows.ExecuteAsync(
            _connection,
            $"INSERT INTO {StageTable} (line, row_key, {all}, extra, row_hash) SELECT l.line, t.row_key, {all}, t.extra, t.row_hash " +
            $"FROM (SELECT row_key, {all}, extra, row_hash, row_number() OVER (ORDER BY row_key) AS n FROM {_table.Name} WHERE import_id = @import) t " +
            "JOIN unnest(@lines) WITH ORDINALITY AS l(line, n) ON l.n = t.n",
            cancellationToken,
            ("lines", DirectLines()),
            ("import", _importId));
        await PostgresRows.ExecuteAsync(_connection, $"DELETE FROM {_table.Name} WHERE import_id = @import", cancellationToken, ("import", _importId));
        _direct = false;
        _directLineRuns = null;
    }

    /// <summary>The line of each row copied straight into the table, in order.</summary>
    private int[] DirectLines()
    {
        var runs = _directLineRuns!;
        var lines = new int[_staged];
        for (var r = 0; r < runs.Count; r++)
        {
            var end = r + 1 < runs.Count ? runs[r + 1].Row : _staged;
            for (var row = runs[r].Row; row < end; row++)
            {
                lines[row] = runs[r].Line + (int)(row - runs[r].Row);
            }
        }

        return lines;
    }

    /// <summary>Ordinal comparison in code point order, which is PostgreSQL's "C" collation on UTF-8 (string.CompareOrdinal puts U+E000–U+FFFF after the surrogate pairs of U+10000 and up).</summary>
    internal static int CompareCodePoints(string a, string b)
    {
        var common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
        {
            return a.Length - b.Length;
        }

        return CodePointRank(a[common]).CompareTo(CodePointRank(b[common]));
    }

    private static int CodePointRank(char c) => c < 0xD800 ? c : c < 0xE000 ? c + 0x2000 : c - 0x800;

    public async Task<IReadOnlyList<KeyConflict>> FindConflictsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await FlushAsync(cancellationToken);
        if (_duplicateKeys == false)
        {
            return [];
        }

        // MIN <> MAX rather than COUNT(DISTINCT row_hash) > 1 (the same test: row_hash is never null) lets the server
        // hash the keys instead of sorting every staged row.
        var summary = await PostgresRows.ReadAllAsync(
            _connection,
            $"SELECT COUNT(*) FILTER (WHERE rows > 1), COUNT(*) FILTER (WHERE lowest <> highest) " +
            $"FROM (SELECT COUNT(*) AS rows, MIN(row_hash) AS lowest, MAX(row_hash) AS highest FROM {StageTable} GROUP BY row_key) k",
            r => (Duplicated: r.GetInt64(0), Conflicting: r.GetInt64(1)),
            cancellationToken);
        _duplicateKeys = summary[0].Duplicated > 0;
        if (summary[0].Conflicting == 0)
        {
            return [];
        }

        return await PostgresRows.ReadAllAsync(
            _connection,
            $"SELECT row_key, array_agg(line ORDER BY line) FROM {StageTable} WHERE row_key IN " +
            $"(SELECT row_key FROM {StageTable} GROUP BY row_key HAVING MIN(row_hash) <> MAX(row_hash)) GROUP BY row_key ORDER BY MIN(line)",
            r => new KeyConflict(r.GetString(0), r.GetFieldValue<int[]>(1)),
            cancellationToken);
    }

    public async Task<ImportCounts> CommitAsync(IReadOnlySet<string> skipKeys, long rejectedRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skipKeys);
        cancellationToken.ThrowIfCancellationRequested();
        await FlushAsync(cancellationToken);
        // Skipped keys are left as they were.
        var columns = Columns.ToList();
        var all = string.Join(", ", columns);
        var (keys, inserted, updated) = _direct
            ? await KeepCopiedAsync(skipKeys, cancellationToken)
            : _duplicateKeys == false && await IsEmptyUnderLockAsync(cancellationToken)
                ? await InsertAllAsync(all, skipKeys, cancellationToken)
                : await MergeAsync(columns, all, skipKeys, cancellationToken);
        var counts = new ImportCounts(inserted, updated, keys - inserted - updated);
        await PostgresRows.ExecuteAsync(
            _connection,
            "UPDATE imports SET rows_staged = @staged, inserted = @inserted, updated = @updated, unchanged = @unchanged, rows_rejected = @rejected WHERE import_id = @id",
            cancellationToken,
            ("staged", _staged),
            ("inserted", counts.Inserted),
            ("updated", counts.Updated),
            ("unchanged", counts.Unchanged),
            ("rejected", rejectedRows),
            ("id", _importId));
        await PostgresRows.ExecuteAsync(_connection, $"DROP TABLE {StageTable}", cancellationToken);
        if (_ownsTransaction)
        {
            await _transaction.CommitAsync(cancellationToken);
            // Committed: from here on, disposing must not try to roll back.
            _committed = true;
            await PostgresRows.AnalyzeAfterBulkAsync(_connection, counts.Inserted + counts.Updated, [_table.Name]);
        }

        _committed = true;
        return counts;
    }

    /// <summary>
    /// Whether the table is empty, and stays so until this transaction ends: then nothing can conflict with the staged
    /// rows and a plain INSERT (a third cheaper than <c>ON CONFLICT</c> at a million rows) does the merge. The lock,
    /// taken only when the table looked empty, makes other writers of the table wait for this commit (readers do not);
    /// a writer that got in first shows up in the second look, and the import then merges as usual.
    /// </summary>
    private async Task<bool> IsEmptyUnderLockAsync(CancellationToken cancellationToken)
    {
        var probe = $"SELECT COUNT(*) FROM (SELECT 1 FROM {_table.Name} LIMIT 1) t";
        if (await PostgresRows.ScalarAsync(_connection, probe, cancellationToken) != 0)
        {
            return false;
        }

        await PostgresRows.ExecuteAsync(_connection, $"LOCK TABLE {_table.Name} IN SHARE ROW EXCLUSIVE MODE", cancellationToken);
        return await PostgresRows.ScalarAsync(_connection, probe, cancellationToken) == 0;
    }

    /// <summary>The rows copied straight into the table stay, but for the keys to skip.</summary>
    private async Task<(long Keys, long Inserted, long Updated)> KeepCopiedAsync(IReadOnlySet<string> skipKeys, CancellationToken cancellationToken)
    {
        var removed = skipKeys.Count == 0
            ? 0
            : await PostgresRows.ExecuteAsync(
                _connection,
                $"DELETE FROM {_table.Name} WHERE import_id = @import AND row_key = ANY (@skip)",
                cancellationToken,
                ("skip", skipKeys.ToArray()),
                ("import", _importId));
        return (_staged - removed, _staged - removed, 0);
    }

    /// <summary>Every staged row (no key twice) into the empty table.</summary>
    private async Task<(long Keys, long Inserted, long Updated)> InsertAllAsync(string all, IReadOnlySet<string> skipKeys, CancellationToken cancellationToken)
    {
        long inserted = await PostgresRows.ExecuteAsync(
            _connection,
            $"INSERT INTO {_table.Name} (row_key, {all}, extra, row_hash, import_id) SELECT row_key, {all}, extra, row_hash, @import FROM {StageTable} WHERE row_key <> ALL (@skip)",
            cancellationToken,
            ("skip", skipKeys.ToArray()),
            ("import", _importId));
        return (inserted, inserted, 0);
    }

    /// <summary>The staged rows merged into the table: new keys inserted, changed rows updated, the rest left alone.</summary>
    private async Task<(long Keys, long Inserted, long Updated)> MergeAsync(List<string> columns, string all, IReadOnlySet<string> skipKeys, CancellationToken cancellationToken)
    {
        // The last staged row of a key wins, as when each row is upserted in turn. Without duplicate keys every staged
        // row is its key's last: no sort, and src is not kept (read twice, straight from the staging table).
        var clearsProvisional = _table == CanonicalTable.Orders ? ", provisional = NULL" : "";
        var source = _duplicateKeys == false
            ? $"src AS NOT MATERIALIZED (SELECT row_key, {all}, extra, row_hash FROM {StageTable} WHERE row_key <> ALL (@skip)), "
            : $"src AS (SELECT DISTINCT ON (row_key) row_key, {all}, extra, row_hash FROM {StageTable} WHERE row_key <> ALL (@skip) ORDER BY row_key, line DESC), ";
        var merge =
            "WITH " + source +
            $"merged AS (INSERT INTO {_table.Name} (row_key, {all}, extra, row_hash, import_id) SELECT row_key, {all}, extra, row_hash, @import FROM src " +
            $"ON CONFLICT (row_key) DO UPDATE SET {string.Join(", ", columns.Select(c => $"{c} = excluded.{c}"))}, extra = excluded.extra, row_hash = excluded.row_hash, import_id = excluded.import_id{clearsProvisional} " +
            $"WHERE {_table.Name}.row_hash <> excluded.row_hash RETURNING (xmax = 0) AS inserted) " +
            "SELECT (SELECT COUNT(*) FROM src), COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM merged";
        var merged = await PostgresRows.ReadAllAsync(
            _connection,
            merge,
            r => (Keys: r.GetInt64(0), Inserted: r.GetInt64(1), Updated: r.GetInt64(2)),
            cancellationToken,
            ("skip", skipKeys.ToArray()),
            ("import", _importId));
        return merged[0];
    }

    public async ValueTask DisposeAsync()
    {
        _rows.Clear();
        if (_copy is not null)
        {
            var copy = _copy;
            _copy = null;
            await CancelCopyAsync(copy);
        }

        if (!_ownsTransaction)
        {
            return;
        }

        try
        {
            if (!_committed)
            {
                await _transaction.RollbackAsync();
            }

            await _transaction.DisposeAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
