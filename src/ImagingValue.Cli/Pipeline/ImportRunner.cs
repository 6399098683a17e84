using System.Globalization;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using ImagingValue.Core.Text;
using ImagingValue.Import.Csv;

namespace ImagingValue.Cli.Pipeline;

/// <summary>What importing a command's files did: whether every row went in, how many were rejected, which files were refused.</summary>
/// <param name="Clean">No file refused and no row rejected.</param>
/// <param name="RowsRejected">Rows not imported, refused files' rows included.</param>
/// <param name="FilesRefused">The files of which nothing was imported, as named on the command line.</param>
internal sealed record ImportOutcome(bool Clean, long RowsRejected, IReadOnlyList<string> FilesRefused);

/// <summary>Imports the files a command names, in dependency order, and tells the person what happened.</summary>
internal static class ImportRunner
{
    /// <summary>Imports each (kind, path) pair; the outcome is not clean when any file was refused or had bad rows.</summary>
    public static async Task<ImportOutcome> RunAsync(
        IImportStore store, IEnumerable<(CanonicalTable Table, string Path)> files, ColumnMap map, bool strict, string? rejectsDirectory, CancellationToken cancellationToken, bool quiet = false)
    {
        var ok = true;
        long rejected = 0;
        var refused = new List<string>();
        foreach (var (table, path) in files)
        {
            var name = Path.GetFileName(path);
            var progress = new StderrProgress(name);
            var report = await new CsvImporter(store, progress).ImportAsync(table, path, map, strict, rejectsDirectory, cancellationToken);
            progress.Done();
            foreach (var error in report.Errors)
            {
                Console.Error.WriteLine(error.ToString());
            }

            if (report.ErrorCount > report.Errors.Count)
            {
                Console.Error.WriteLine($"{path}: ... and {Plural.Count(report.ErrorCount - report.Errors.Count, "more error", "more errors")} (all are in {report.RejectsFile})");
            }

            rejected += report.RejectedRows;
            if (report.Refused)
            {
                refused.Add(path);
                Console.Error.WriteLine(strict && report.ErrorCount > 0 && report.RowsRead > 0
                    ? $"{path}: refused under --strict ({Plural.Count(report.RejectedRows, "bad row")}): nothing imported"
                    : $"{path}: not imported");
                ok = false;
                continue;
            }

            var c = report.Counts!;
            if (!quiet || report.ErrorCount > 0)
            {
                Console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{path}: {table.Name}: {report.RowsRead:N0} {Plural.Noun(report.RowsRead, "row")} read, {c.Inserted:N0} new, {c.Updated:N0} updated, {c.Unchanged:N0} unchanged, {report.RejectedRows:N0} rejected")
                    + (report.RejectsFile is null ? string.Empty : $" (see {report.RejectsFile})"));
            }

            // Said even when quiet: a column left unused or empty is how a misconfigured map shows (a dropped status
            // column makes every order completed).
            if (report.UnusedColumns is { Count: > 0 } unused)
            {
                Console.Error.WriteLine($"{path}: {table.Name}: columns not used (kept as extra data, check --map): {string.Join(", ", unused)}");
            }

            if (report.EmptyColumns is { Count: > 0 } empty)
            {
                Console.Error.WriteLine($"{path}: {table.Name}: optional columns with no value in any row: {string.Join(", ", empty)}");
            }

            ok &= report.ErrorCount == 0;
        }

        return new ImportOutcome(ok, rejected, refused);
    }

    /// <summary>How many rows <c>import --check</c> shows of each file.</summary>
    public const int CheckRows = 5;

    /// <summary>
    /// <c>import --check</c>: reads each file as an import would, prints its first rows as canonical columns and the
    /// errors counted per field, and stores nothing. True when no file was refused and no row had an error.
    /// </summary>
    public static async Task<bool> CheckAsync(IEnumerable<(CanonicalTable Table, string Path)> files, ColumnMap map, TextWriter output, CancellationToken cancellationToken)
    {
        var clean = true;
        foreach (var (table, path) in files)
        {
            var store = new CheckStore(CheckRows);
            var report = await new CsvImporter(store).ImportAsync(table, path, map, strict: false, rejectsDirectory: null, cancellationToken);
            var profile = map.ProfileFor(table);
            var encoding = profile.Encoding?.WebName ?? "utf-8";
            if (report.Refused)
            {
                output.WriteLine($"{path}: {table.Name}: not readable as mapped (nothing stored)");
                foreach (var error in report.Errors)
                {
                    output.WriteLine($"  {error}");
                }

                clean = false;
                continue;
            }

            var delimiter = report.Delimiter == '\t' ? "tab" : $"'{report.Delimiter}'";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{path}: {table.Name} (delimiter {delimiter}, {encoding}): {report.RowsRead:N0} {Plural.Noun(report.RowsRead, "row")} read, {report.RowsRead - report.RejectedRows:N0} would be stored, {report.RejectedRows:N0} rejected; nothing stored"));
            var rows = store.Rows;
            output.WriteLine($"  {"column",-22} {"from",-20} {string.Join(" | ", rows.Select(r => $"line {r.Line}"))}");
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var source = i < report.SourceColumns.Count ? report.SourceColumns[i] : null;
                if (source is null && rows.All(r => r.Values[i] is null))
                {
                    continue;
                }

                output.WriteLine($"  {table.Columns[i].Name,-22} {source ?? "(default)",-20} {string.Join(" | ", rows.Select(r => Shown(r.Values[i])))}");
            }

            foreach (var field in report.ErrorsByField.OrderByDescending(f => f.Count))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Plural.Count(field.Count, "error")} in {(field.Field.Length == 0 ? "the file" : field.Field)}, first: {field.First}"));
            }

            if (report.UnusedColumns is { Count: > 0 } unused)
            {
                output.WriteLine($"  columns not used (kept as extra data, check --map): {string.Join(", ", unused)}");
            }

            clean &= report.ErrorCount == 0;
        }

        return clean;
    }

    /// <summary>A value for the check table: short, on one line, and visibly empty when absent.</summary>
    private static string Shown(string? value) =>
        value is null ? "-" : value.Length > 24 ? string.Concat(value.AsSpan(0, 23).ToString().ReplaceLineEndings(" "), "…") : value.ReplaceLineEndings(" ");

    /// <summary>Progress on stderr: an updating line on a terminal, a line per step otherwise.</summary>
    private sealed class StderrProgress(string name) : IProgress<long>
    {
        private bool _printed;

        public void Report(long value)
        {
            _printed = true;
            var text = string.Create(CultureInfo.InvariantCulture, $"{name}: {value:N0} {Plural.Noun(value, "row")} read");
            if (Console.IsErrorRedirected)
            {
                Console.Error.WriteLine(text);
            }
            else
            {
                Console.Error.Write("\r" + text);
            }
        }

        public void Done()
        {
            if (_printed && !Console.IsErrorRedirected)
            {
                Console.Error.WriteLine();
            }
        }
    }
}
