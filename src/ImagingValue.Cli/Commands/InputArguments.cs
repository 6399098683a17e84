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

    /// <summary>
    /// Why the <c>--map</c> profiles' <c>time_zone</c>s cannot go together, or null: every file's times must be local
    /// times of one clock, <paramref name="siteZone"/> (a workspace's <c>init --time-zone</c>) or, with none (a one-shot
    /// audit), the zone the first profile names.
    /// </summary>
    public static string? ZoneConflict(IEnumerable<(CanonicalTable Table, string Path)> files, ColumnMap map, TimeZoneInfo? siteZone)
    {
        (string Table, TimeZoneInfo Zone)? first = null;
        foreach (var (table, _) in files)
        {
            if (map.ProfileFor(table).TimeZone is not { } fileZone)
            {
                continue;
            }

            if (siteZone is not null && fileZone.Id != siteZone.Id)
            {
                return $"the --map profile's {table.Name}.time_zone is {fileZone.Id}, but this workspace's times are local times of {siteZone.Id} (init --time-zone)";
            }

            if (first is { } other && other.Zone.Id != fileZone.Id)
            {
                return $"the --map profile's {table.Name}.time_zone is {fileZone.Id}, but its {other.Table}.time_zone is {other.Zone.Id}: the files' times would be on two clocks";
            }

            first ??= (table.Name, fileZone);
        }

        return null;
    }
}
