using System.Globalization;
using System.Text.Json;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;

namespace ImagingValue.Import.Csv;

/// <summary>
/// Imports one canonical CSV file into a workspace: streams it row by row, checks and normalises every cell,
/// reports each bad row as <c>file:line: field: what is wrong</c> and writes it to a rejects file, then commits
/// the good rows at once, or nothing at all.
/// </summary>
public sealed class CsvImporter
{
    /// <summary>How many errors a report keeps in memory; the rejects file has them all.</summary>
    public const int MaxErrorsKept = 1000;

    private const int ProgressEvery = 100_000;

    private readonly IImportStore _store;
    private readonly IProgress<long>? _progress;
    private readonly int _maxFieldChars;

    /// <param name="store">Where the rows go.</param>
    /// <param name="progress">Told the number of rows read, every 100,000 rows.</param>
    /// <param name="maxFieldChars">The longest field accepted; a row with a longer one is rejected (and only this much of it is read into memory).</param>
    public CsvImporter(IImportStore store, IProgress<long>? progress = null, int maxFieldChars = CsvRecordReader.DefaultMaxFieldChars)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _progress = progress;
        _maxFieldChars = maxFieldChars;
    }

    /// <param name="strict">Refuse the whole file when any row is bad.</param>
    /// <param name="rejectsDirectory">Where <c>NAME.rejects.csv</c> goes when rows are rejected; null to write none.</param>
    /// <param name="cancellationToken">Stops the import; nothing of it is kept.</param>
    /// <param name="knownOrders">For reviews: the orders a review may name; a row naming another is rejected. Null to accept any.</param>
    /// <param name="displayName">The file's name in messages and the report (an upload's own name, not where the server keeps it); null for the path.</param>
    public async Task<ImportReport> ImportAsync(
        CanonicalTable table, string path, ColumnMap map, bool strict, string? rejectsDirectory, CancellationToken cancellationToken, IReadOnlySet<string>? knownOrders = null, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(map);
        var name = displayName ?? path;
        var errors = new ErrorLog(name);
        if (!File.Exists(path))
        {
            errors.Add(0, string.Empty, "file not found");
            return errors.Refused(table, 0, 0);
        }

        var profile = map.ProfileFor(table);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var reader = new CsvRecordReader(stream, _maxFieldChars, profile.Delimiter, profile.Encoding);
        var header = new List<string>();
        bool hasHeader;
        try
        {
            hasHeader = reader.Read(header);
        }
        catch (CsvFormatException ex)
        {
            // A quote opened in the header and never closed (found by the fuzz suite): the file is refused, not a crash.
            errors.Add(ex.Line, string.Empty, ex.Message);
            return errors.Refused(table, 0, 0);
        }

        if (!hasHeader)
        {
            errors.Add(0, string.Empty, "the file is empty: a header row is required");
            return errors.Refused(table, 0, 0);
        }

        var layout = HeaderLayout.Create(table, header, map, reader.RecordLine, errors);
        if (layout is null)
        {
            return errors.Refused(table, 0, 0);
        }

        using var rejects = new RejectsWriter(path, rejectsDirectory, header);
        await using var session = await _store.BeginImportAsync(table, Path.GetFullPath(path), cancellationToken);
        var fields = new List<string>(header.Count);
        var values = new string?[table.Columns.Count];
        var given = new bool[table.Columns.Count];
        long rows = 0, rejected = 0;
        while (true)
        {
            bool more;
            try
            {
                more = reader.Read(fields);
            }
            catch (CsvFormatException ex)
            {
                errors.Add(ex.Line, string.Empty, ex.Message);
                rejects.Write(ex.Line, [], ex.Message);
                rows++;
                rejected++;
                break;
            }

            if (!more)
            {
                break;
            }

            rows++;
            if (rows % ProgressEvery == 0)
            {
                _progress?.Report(rows);
            }

            var line = reader.RecordLine;
            var before = errors.Count;
            errors.BeginRow();
            foreach (var (index, length) in reader.OversizedFields)
            {
                errors.Add(line, header[Math.Min(index, header.Count - 1)], string.Create(CultureInfo.InvariantCulture,
                    $"{length:N0} characters, more than the {reader.MaxFieldChars:N0} a field may hold: the row is not imported (the rejects file keeps the first {reader.MaxFieldChars:N0})"));
            }

            if (fields.Count != header.Count)
            {
                var what = fields.Count < header.Count
                    ? $"row has {fields.Count} fields, the header has {header.Count}" + (reader.RecordUnterminated ? " (truncated last line?)" : string.Empty)
                    : $"row has {fields.Count} fields, the header has {header.Count}";
                errors.Add(line, header[Math.Min(fields.Count, header.Count - 1)], what);
            }
            else
            {
                for (var i = 0; i < values.Length; i++)
                {
                    var source = layout.SourceIndex[i];
                    var raw = source >= 0 ? CsvWriter.Restore(fields[source]) : null;
                    if (raw is not null && layout.Rules?[i] is { } rule && !rule.TryApply(raw, out raw, out var ruleProblem))
                    {
                        errors.Add(line, header[source], ruleProblem!);
                        continue;
                    }

                    if (!CanonicalValues.TryNormalize(table.Columns[i], raw, out values[i], out var problem))
                    {
                        errors.Add(line, source >= 0 ? header[source] : table.Columns[i].Name, problem!);
                    }
                }

                foreach (var extraIndex in layout.ExtraIndexes)
                {
                    if (fields[extraIndex].Contains('\uFFFD', StringComparison.Ordinal))
                    {
                        errors.Add(line, header[extraIndex], "invalid UTF-8 (the file is not UTF-8 encoded here)");
                    }
                }
            }

            string? key = null;
            if (errors.Count == before)
            {
                key = table.KeyOf(values);
                if (key is null)
                {
                    errors.Add(line, table.KeyDescription, "no key: one of these is required");
                }
                else if (knownOrders is not null && table == CanonicalTable.Reviews && !knownOrders.Contains(values[0]!))
                {
                    errors.Add(line, header[layout.SourceIndex[0]].Trim(), $"order {CanonicalValues.Quote(values[0])} is not in the workspace");
                }
            }

            if (errors.Count > before)
            {
                rejects.Write(line, fields, errors.RowMessages);
                rejected++;
                continue;
            }

            for (var i = 0; i < values.Length; i++)
            {
                // From the file, not the normalised value: a column that is absent or blank may still get a default.
                given[i] |= layout.SourceIndex[i] >= 0 && !string.IsNullOrWhiteSpace(fields[layout.SourceIndex[i]]);
            }

            await session.StageAsync(line, key!, values, ExtraJson(layout, header, fields), cancellationToken);
        }

        if (strict && errors.Count > 0)
        {
            return errors.Refused(table, rows, rejected, rejects.Path);
        }

        var conflicts = await session.FindConflictsAsync(cancellationToken);
        var conflictMessages = new SortedDictionary<int, string>();
        foreach (var conflict in conflicts)
        {
            var message = $"key {CanonicalValues.Quote(conflict.Key)} appears on lines {string.Join(", ", conflict.Lines)} with different data: none of them imported";
            foreach (var conflictLine in conflict.Lines)
            {
                errors.Add(conflictLine, table.KeyDescription, message);
                conflictMessages[conflictLine] = $"{table.KeyDescription}: {message}";
            }

            rejected += conflict.Lines.Count;
        }

        WriteConflictingRows(path, conflictMessages, rejects, reader.Delimiter, profile.Encoding);

        if (strict && errors.Count > 0)
        {
            return errors.Refused(table, rows, rejected, rejects.Path);
        }

        var counts = await session.CommitAsync(conflicts.Select(c => c.Key).ToHashSet(StringComparer.Ordinal), rejected, cancellationToken);
        var unused = layout.ExtraIndexes.Select(i => header[i].Trim()).ToList();
        var empty = table.Columns.Where((c, i) => !c.Required && !given[i]).Select(c => c.Name).ToList();
        return new ImportReport(name, table.Name, false, rows, rejected, errors.Count, errors.Kept, counts, rejects.Path, unused, empty)
        {
            Delimiter = reader.Delimiter,
            SourceColumns = layout.SourceIndex.Select(i => i >= 0 ? header[i].Trim() : null).ToList(),
            ErrorsByField = errors.ByField,
        };
    }

    /// <summary>Writes rows that share a key with different data to the rejects file whole, as the file gives them (a second read of the file).</summary>
    private void WriteConflictingRows(string path, SortedDictionary<int, string> messages, RejectsWriter rejects, char delimiter, System.Text.Encoding? encoding)
    {
        if (messages.Count == 0 || !rejects.Enabled)
        {
            return;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var reader = new CsvRecordReader(stream, _maxFieldChars, delimiter, encoding);
        var fields = new List<string>();
        try
        {
            if (!reader.Read(fields))
            {
                return;
            }

            var left = messages.Count;
            while (left > 0 && reader.Read(fields))
            {
                if (messages.TryGetValue(reader.RecordLine, out var message))
                {
                    rejects.Write(reader.RecordLine, fields, message);
                    left--;
                }
            }
        }
        catch (CsvFormatException)
        {
            // The rows past a malformed record were never staged, so no conflicting row lies beyond it.
        }
    }

    private static string? ExtraJson(HeaderLayout layout, List<string> header, List<string> fields)
    {
        if (layout.ExtraIndexes.Count == 0)
        {
            return null;
        }

        var extra = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var i in layout.ExtraIndexes)
        {
            if (fields[i].Length > 0)
            {
                extra[header[i].Trim()] = CsvWriter.Restore(fields[i]);
            }
        }

        return extra.Count == 0 ? null : JsonSerializer.Serialize(extra);
    }

    /// <summary>Where each canonical column is in the file, and which columns are extra.</summary>
    private sealed class HeaderLayout
    {
        private HeaderLayout(int[] sourceIndex, List<int> extraIndexes, ColumnRule?[]? rules)
        {
            SourceIndex = sourceIndex;
            ExtraIndexes = extraIndexes;
            Rules = rules;
        }

        public int[] SourceIndex { get; }

        /// <summary>The profile's rule per canonical column; null when it has none (a plain map costs nothing per cell).</summary>
        public ColumnRule?[]? Rules { get; }

        public List<int> ExtraIndexes { get; }

        public static HeaderLayout? Create(CanonicalTable table, List<string> header, ColumnMap map, int line, ErrorLog errors)
        {
            var sourceIndex = Enumerable.Repeat(-1, table.Columns.Count).ToArray();
            var extras = new List<int>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var ok = true;
            for (var i = 0; i < header.Count; i++)
            {
                var name = header[i].Trim();
                if (name.Length == 0 || !seen.Add(name))
                {
                    errors.Add(line, name, name.Length == 0 ? $"column {i + 1} has no name" : "column name appears twice in the header");
                    ok = false;
                    continue;
                }

                var canonical = table.IndexOf(map.CanonicalName(table, name));
                if (canonical < 0)
                {
                    extras.Add(i);
                }
                else if (sourceIndex[canonical] >= 0)
                {
                    errors.Add(line, name, $"maps to {table.Columns[canonical].Name}, which another column already gives");
                    ok = false;
                }
                else
                {
                    sourceIndex[canonical] = i;
                }
            }

            foreach (var (source, canonicalName) in map.SourcesFor(table))
            {
                if (!seen.Contains(source))
                {
                    errors.Add(line, source, $"the column map names this column for {canonicalName}, but the file has no such column");
                    ok = false;
                }
            }

            var missing = table.Columns.Where((c, i) => c.Required && sourceIndex[i] < 0).Select(c => c.Name).ToList();
            if (missing.Count > 0)
            {
                errors.Add(line, string.Join(", ", missing), $"required column{(missing.Count > 1 ? "s" : string.Empty)} missing from the header (add it, or map it with --map)");
                ok = false;
            }

            var profile = map.ProfileFor(table);
            var rules = profile.Rules.Count == 0 ? null : table.Columns.Select((_, i) => profile.Rules.TryGetValue(i, out var rule) ? rule : null).ToArray();
            return ok ? new HeaderLayout(sourceIndex, extras, rules) : null;
        }
    }

    private sealed class ErrorLog(string file)
    {
        private readonly List<ImportError> _kept = [];
        private readonly List<string> _recent = [];
        private readonly Dictionary<string, FieldErrors> _byField = new(StringComparer.Ordinal);

        public long Count { get; private set; }

        /// <summary>Every error counted by the field it names, with the first of each.</summary>
        public IReadOnlyList<FieldErrors> ByField => [.. _byField.Values];

        public IReadOnlyList<ImportError> Kept => _kept;

        public void Add(int line, string field, string message)
        {
            Count++;
            _recent.Add(string.IsNullOrEmpty(field) ? message : $"{field}: {message}");
            var error = new ImportError(file, line, field, message);
            if (_kept.Count < MaxErrorsKept)
            {
                _kept.Add(error);
            }

            _byField[field] = _byField.TryGetValue(field, out var seen) ? seen with { Count = seen.Count + 1 } : new FieldErrors(field, 1, error);
        }

        /// <summary>The current row's problems, for the rejects file.</summary>
        public string RowMessages => string.Join("; ", _recent);

        public void BeginRow() => _recent.Clear();

        public ImportReport Refused(CanonicalTable table, long rows, long rejected, string? rejectsFile = null) =>
            new(file, table.Name, true, rows, rejected, Count, _kept, null, rejectsFile) { ErrorsByField = ByField };
    }
}
