using ImagingValue.Core.Data;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace ImagingValue.Import.Csv;

/// <summary>
/// Renames a site's export columns to canonical ones, from YAML: <c>orders: {order_id: ORDER_NUM, ordered_at: ORDER_DTTM}</c>.
/// Columns the map does not name keep their own name (case-insensitive).
/// </summary>
public sealed class ColumnMap
{
    private readonly Dictionary<string, Dictionary<string, string>> _sourceToCanonical;

    private ColumnMap(Dictionary<string, Dictionary<string, string>> sourceToCanonical) => _sourceToCanonical = sourceToCanonical;

    /// <summary>The identity map.</summary>
    public static ColumnMap None { get; } = new(new(StringComparer.Ordinal));

    /// <summary>Reads a mapping file; errors name the file, line and key.</summary>
    public static ColumnMap Load(string path)
    {
        Dictionary<string, Dictionary<string, string>>? raw;
        try
        {
            var yaml = File.ReadAllText(path);
            raw = new DeserializerBuilder().Build().Deserialize<Dictionary<string, Dictionary<string, string>>?>(yaml);
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{path}:{ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message} (expected `orders: {{canonical_name: source_column}}`)", ex);
        }

        var map = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (kind, columns) in raw ?? [])
        {
            var table = CanonicalTable.All.FirstOrDefault(t => string.Equals(t.Name, kind, StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException($"{path}: {kind}: not an input kind (orders, conditions, reports, reviews)");
            var sourceToCanonical = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (canonical, source) in columns ?? [])
            {
                if (table.IndexOf(canonical) < 0)
                {
                    throw new FormatException($"{path}: {kind}.{canonical}: not a canonical {kind} column ({string.Join(", ", table.Columns.Select(c => c.Name))})");
                }

                sourceToCanonical[source] = canonical.ToLowerInvariant();
            }

            map[table.Name] = sourceToCanonical;
        }

        return new ColumnMap(map);
    }

    /// <summary>The source columns the map names for <paramref name="table"/>, each with its canonical name.</summary>
    public IReadOnlyDictionary<string, string> SourcesFor(CanonicalTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return _sourceToCanonical.TryGetValue(table.Name, out var columns) ? columns : new Dictionary<string, string>();
    }

    /// <summary>The canonical name for a source header of <paramref name="table"/>.</summary>
    public string CanonicalName(CanonicalTable table, string sourceHeader)
    {
        ArgumentNullException.ThrowIfNull(table);
        var header = sourceHeader.Trim();
        return _sourceToCanonical.TryGetValue(table.Name, out var columns) && columns.TryGetValue(header, out var canonical)
            ? canonical
            : header.ToLowerInvariant();
    }
}
