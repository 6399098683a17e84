namespace ImagingValue.Import.Csv;

/// <summary>One thing wrong with an input, located for the person who must fix it.</summary>
/// <param name="Line">The physical line, 1-based; 0 for a file-level problem.</param>
/// <param name="Field">The column concerned (as in the file's header), or empty.</param>
public sealed record ImportError(string File, int Line, string Field, string Message)
{
    /// <summary><c>file:line: field: what is wrong</c>.</summary>
    public override string ToString() =>
        $"{File}{(Line > 0 ? $":{Line}" : string.Empty)}: {(string.IsNullOrEmpty(Field) ? string.Empty : Field + ": ")}{Message}";
}

/// <summary>What importing one file did.</summary>
/// <param name="Refused">True when nothing was written: a file-level error, or any bad row under strict mode.</param>
/// <param name="Errors">The first errors found (at most <see cref="CsvImporter.MaxErrorsKept"/>); all of them are in the rejects file.</param>
/// <param name="RejectedRows">Rows not imported.</param>
/// <param name="RejectsFile">Where the rejected rows were written, if any.</param>
/// <param name="UnusedColumns">The file's columns that give no canonical column (kept as extra data), as in its header.</param>
/// <param name="EmptyColumns">Optional canonical columns no imported row gives a value (absent from the file, or blank throughout).</param>
public sealed record ImportReport(
    string File,
    string Kind,
    bool Refused,
    long RowsRead,
    long RejectedRows,
    long ErrorCount,
    IReadOnlyList<ImportError> Errors,
    Core.Storage.ImportCounts? Counts,
    string? RejectsFile,
    IReadOnlyList<string>? UnusedColumns = null,
    IReadOnlyList<string>? EmptyColumns = null)
{
    /// <summary>The field separator the file was read with (given by the profile or detected from the header).</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Per canonical column (in the table's order), the file's column that gives it, or null.</summary>
    public IReadOnlyList<string?> SourceColumns { get; init; } = [];

    /// <summary>Every error counted by field, with the first of each: where a profile is wrong, one field fails on every row.</summary>
    public IReadOnlyList<FieldErrors> ErrorsByField { get; init; } = [];
}

/// <summary>How many errors name one field, and the first of them.</summary>
public sealed record FieldErrors(string Field, long Count, ImportError First);
