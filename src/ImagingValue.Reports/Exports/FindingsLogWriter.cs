using ImagingValue.Core.Review;
using ImagingValue.Import.Csv;

namespace ImagingValue.Reports.Exports;

/// <summary>Writes findings.csv: per exam with a report, the suggested major, minor and incidental findings and the sentences behind them.</summary>
public static class FindingsLogWriter
{
    public static readonly IReadOnlyList<string> Columns = ["order_id", "major_finding", "minor_finding", "incidental_finding", "evidence"];

    public static void Write(string path, IEnumerable<FindingSuggestion> suggestions)
    {
        ArgumentNullException.ThrowIfNull(suggestions);
        using var writer = new CsvWriter(path);
        writer.WriteRow(Columns);
        foreach (var s in suggestions.OrderBy(s => s.OrderId, StringComparer.Ordinal))
        {
            writer.WriteRow([s.OrderId, YesNo(s.Major), YesNo(s.Minor), YesNo(s.Incidental), string.Join(" | ", s.Lines)]);
        }
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
