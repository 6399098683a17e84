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
