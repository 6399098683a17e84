using System.CommandLine;
using ImagingValue.Core.Data;
using ImagingValue.Import.Csv;

namespace ImagingValue.Cli.Commands;

/// <summary>The input files import and audit take (contracts section 2).</summary>
internal sealed class InputArguments(bool ordersRequired)
{
    public Option<string?> Orders { get; } = new("--orders") { Description = "orders.csv", Required = ordersRequired };

    public Option<string?> Conditions { get; } = new("--conditions") { Description = "conditions.csv (patient history)" };

    public Option<string?> Reports { get; } = new("--reports") { Description = "reports.csv" };

    public Option<string?> Reviews { get; } = new("--reviews") { Description = "reviews.csv" };

    public Option<string?> Map { get; } = new("--map") { Description = "YAML column mapping or site profile for a site's export (orders: {canonical_name: source_column}, or per column a format or values, per file delimiter, encoding, time_zone)" };

    public Option<bool> Strict { get; } = new("--strict") { Description = "Refuse a whole file if any row is bad" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Orders, Conditions, Reports, Reviews, Map, Strict })
        {
            command.Options.Add(option);
        }
    }

    public IReadOnlyList<(CanonicalTable Table, string Path)> Files(ParseResult parse) =>
        new (CanonicalTable Table, string? Path)[]
        {
            (CanonicalTable.Orders, parse.GetValue(Orders)),
            (CanonicalTable.Conditions, parse.GetValue(Conditions)),
            (CanonicalTable.Reports, parse.GetValue(Reports)),
            (CanonicalTable.Reviews, parse.GetValue(Reviews)),
        }
        .Where(f => f.Path is not null)
        .Select(f => (f.Table, f.Path!))
        .ToList();

    public ColumnMap ColumnMap(ParseResult parse) => parse.GetValue(Map) is { } path ? Import.Csv.ColumnMap.Load(path) : Import.Csv.ColumnMap.None;
}
