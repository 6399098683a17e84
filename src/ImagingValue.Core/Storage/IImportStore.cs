using ImagingValue.Core.Data;

namespace ImagingValue.Core.Storage;

/// <summary>Imports of the canonical tables, each file all or nothing.</summary>
public interface IImportStore
{
    /// <summary>
    /// Starts an all-or-nothing import of one file into <paramref name="table"/>: stage rows, find conflicts, commit.
    /// Disposing the session without committing leaves the workspace as it was.
    /// </summary>
    Task<IImportSession> BeginImportAsync(CanonicalTable table, string sourceName, CancellationToken cancellationToken);

    /// <summary>
    /// Starts one all-or-nothing import into several tables at once (a FHIR export gives orders, conditions and
    /// reports together): one session per table, all in one transaction, committed by <see cref="IImportBatch.CommitAsync"/>.
    /// </summary>
    Task<IImportBatch> BeginBatchImportAsync(IReadOnlyList<CanonicalTable> tables, string sourceName, CancellationToken cancellationToken);

    /// <summary>
    /// Scratch space for what an import holds until every file is read, kept by the store rather than in memory,
    /// apart from the workspace: the workspace is not locked while the files are read, only once the batch begins.
    /// </summary>
    Task<IImportScratch> BeginScratchAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Several tables' imports in one transaction. Each table's session stages and "commits" as a single import would
/// (its counts are final), but nothing is kept until the batch commits; disposing it before leaves the workspace as it was.
/// </summary>
public interface IImportBatch : IAsyncDisposable
{
    /// <summary>The session of one of the tables the batch was started with.</summary>
    IImportSession this[CanonicalTable table] { get; }

    /// <summary>Commits every table at once. Call each session's <see cref="IImportSession.CommitAsync"/> first.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>
/// An import's working values (a FHIR export's resources, before their references are resolved), kept off the
/// heap by the store until disposed, and then gone: values by kind and key, where a later value for a key replaces
/// the earlier one but keeps its place, and each kind reads back in the order its keys first came.
/// </summary>
/// <remarks>Synchronous: it is called once per resource from the mapping, and the store behind it is local.</remarks>
public interface IImportScratch : IDisposable
{
    /// <summary>Keeps <paramref name="value"/> (read before this returns) under <paramref name="key"/> of <paramref name="kind"/>.</summary>
    void Put(int kind, string key, ReadOnlySpan<byte> value);

    /// <summary>The value under <paramref name="key"/> of <paramref name="kind"/>, or null.</summary>
    byte[]? Get(int kind, string key);

    /// <summary>Every key and value of <paramref name="kind"/>, in the order the keys were first put.</summary>
    IEnumerable<(string Key, byte[] Value)> Read(int kind);
}

/// <summary>One import in progress: rows are staged, conflicts found, then committed at once or not at all.</summary>
public interface IImportSession : IAsyncDisposable
{
    /// <summary>Stages a valid, normalised row (values in the table's column order).</summary>
    /// <param name="line">The row's line number in the source file, for messages.</param>
    /// <param name="key">The row key (see <see cref="CanonicalTable.KeyOf"/>).</param>
    /// <param name="values">The canonical values; read before this returns, so the caller may reuse the list.</param>
    /// <param name="extraJson">Unknown columns as a JSON object, or null.</param>
    /// <param name="cancellationToken">Stops the import (it then rolls back).</param>
    ValueTask StageAsync(int line, string key, IReadOnlyList<string?> values, string? extraJson, CancellationToken cancellationToken);

    /// <summary>Keys staged more than once with different data, with every line that carried them, by first line.</summary>
    Task<IReadOnlyList<KeyConflict>> FindConflictsAsync(CancellationToken cancellationToken);

    /// <summary>Writes the staged rows (except <paramref name="skipKeys"/>, which stay as they were) and commits.</summary>
    /// <param name="skipKeys">Conflicting keys: none of their rows is written.</param>
    /// <param name="rejectedRows">Rows of the file not imported (bad rows and conflicting duplicates), kept with the import for later reports.</param>
    /// <param name="cancellationToken">Stops the import (it then rolls back).</param>
    Task<ImportCounts> CommitAsync(IReadOnlySet<string> skipKeys, long rejectedRows, CancellationToken cancellationToken);
}

/// <summary>A key that one file gives twice with different data.</summary>
public sealed record KeyConflict(string Key, IReadOnlyList<int> Lines);

/// <summary>What an import did: rows new, changed and already present unchanged.</summary>
public sealed record ImportCounts(long Inserted, long Updated, long Unchanged);
