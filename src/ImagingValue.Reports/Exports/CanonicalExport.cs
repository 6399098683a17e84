using System.Text.Json;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using ImagingValue.Import.Csv;

namespace ImagingValue.Reports.Exports;

/// <summary>How many rows each exported file holds.</summary>
public sealed record CanonicalExportCounts(IReadOnlyDictionary<string, long> RowsByFile);

/// <summary>
/// <c>export --out DIR</c>: the workspace's canonical tables as the CSV files import reads (orders, conditions,
/// reports, reviews), each row as stored, unknown columns after the canonical ones. Anyone can see exactly what was
/// stored, and importing the files into a new workspace gives the same data.
/// </summary>
public static class CanonicalExport
{
    public static readonly IReadOnlyList<CanonicalTable> Tables = [CanonicalTable.Orders, CanonicalTable.Conditions, CanonicalTable.Reports, CanonicalTable.Reviews];

    public static async Task<CanonicalExportCounts> WriteAsync(IClinicalDataStore data, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        Directory.CreateDirectory(directory);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            var file = table.Name + ".csv";
            var extras = await data.GetExtraColumnsAsync(table, cancellationToken);
            // Written beside the target and moved over it at the end: a failed export never leaves half a file.
            var path = Path.Combine(directory, file);
            var partial = path + ".partial";
            long rows = 0;
            using (var csv = new CsvWriter(partial))
            {
                csv.WriteRow([.. table.Columns.Select(c => c.Name), .. extras]);
                await foreach (var row in data.ReadRowsAsync(table, cancellationToken))
                {
                    csv.WriteRow([.. row.Values, .. ExtraValues(row.ExtraJson, extras)]);
                    rows++;
                }
            }

            File.Move(partial, path, overwrite: true);
            counts[file] = rows;
        }

        return new CanonicalExportCounts(counts);
    }

    private static IEnumerable<string?> ExtraValues(string? json, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return [];
        }

        var values = json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        return names.Select(n => values.GetValueOrDefault(n));
    }
}
