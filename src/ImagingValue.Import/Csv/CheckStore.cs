using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;

namespace ImagingValue.Import.Csv;

/// <summary>
/// The store behind <c>import --check</c>: it keeps the first rows an import would store, to show how they map, and
/// stores nothing (no workspace is opened). Keys given twice with different data are found only by a real import.
/// </summary>
public sealed class CheckStore(int rowsKept) : IImportStore
{
    private readonly List<(int Line, IReadOnlyList<string?> Values)> _rows = [];
    private readonly int _rowsKept = rowsKept;

    /// <summary>The first rows that passed every check, with their line, as canonical values in the table's column order.</summary>
    public IReadOnlyList<(int Line, IReadOnlyList<string?> Values)> Rows => _rows;

    public Task<IImportSession> BeginImportAsync(CanonicalTable table, string sourceName, CancellationToken cancellationToken)
    {
        _rows.Clear();
        return Task.FromResult<IImportSession>(new Session(this));
    }

    /// <summary>A batch of check sessions, one per table: the rows of all of them are kept as one import's would be.</summary>
    public Task<IImportBatch> BeginBatchImportAsync(IReadOnlyList<CanonicalTable> tables, string sourceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _rows.Clear();
        return Task.FromResult<IImportBatch>(new Batch(tables.ToDictionary(t => t, _ => (IImportSession)new Session(this))));
    }

    public Task<IImportScratch> BeginScratchAsync(CancellationToken cancellationToken) => Task.FromResult<IImportScratch>(new MemoryScratch());

    private sealed class Batch(Dictionary<CanonicalTable, IImportSession> sessions) : IImportBatch
    {
        public IImportSession this[CanonicalTable table] => sessions[table];

        public Task CommitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Session(CheckStore owner) : IImportSession
    {
        private long _staged;

        public ValueTask StageAsync(int line, string key, IReadOnlyList<string?> values, string? extraJson, CancellationToken cancellationToken)
        {
            _staged++;
            if (owner._rows.Count < owner._rowsKept)
            {
                // Copied: the importer reuses its array for the next row.
                owner._rows.Add((line, values.ToArray()));
            }

            return ValueTask.CompletedTask;
        }

        public Task<IReadOnlyList<KeyConflict>> FindConflictsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<KeyConflict>>([]);

        /// <summary>Counts every good row as new and writes nothing.</summary>
        public Task<ImportCounts> CommitAsync(IReadOnlySet<string> skipKeys, long rejectedRows, CancellationToken cancellationToken) =>
            Task.FromResult(new ImportCounts(_staged, 0, 0));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>An <see cref="IImportScratch"/> in memory, for checks (which read samples, not whole exports).</summary>
internal sealed class MemoryScratch : IImportScratch
{
    private readonly Dictionary<(int Kind, string Key), int> _places = [];
    private readonly List<(int Kind, string Key, byte[] Value)> _values = [];

    public void Put(int kind, string key, ReadOnlySpan<byte> value)
    {
        if (_places.TryGetValue((kind, key), out var place))
        {
            _values[place] = (kind, key, value.ToArray());
        }
        else
        {
            _places[(kind, key)] = _values.Count;
            _values.Add((kind, key, value.ToArray()));
        }
    }

    public byte[]? Get(int kind, string key) => _places.TryGetValue((kind, key), out var place) ? _values[place].Value : null;

    public IEnumerable<(string Key, byte[] Value)> Read(int kind) => _values.Where(v => v.Kind == kind).Select(v => (v.Key, v.Value));

    public void Dispose()
    {
    }
}
