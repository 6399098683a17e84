using ImagingValue.Core.Data;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

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

    /// <summary>
    /// Reads a mapping file; errors name the file, line and key. Every entry must name a source column: an empty one,
    /// or one source column given to two canonical columns, would silently leave a column unmapped.
    /// </summary>
    public static ColumnMap Load(string path)
    {
        YamlNode? root;
        try
        {
            var yaml = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                yaml.Load(reader);
            }

            root = yaml.Documents.Count > 0 ? yaml.Documents[0].RootNode : null;
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{path}:{ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message} {Expected}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these on some broken flow collections (found by the fuzz suite).
            throw new FormatException($"{path}: not readable as YAML (is a [ or {{ left open?) {Expected}", ex);
        }

        var map = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        if (root is null || root is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return new ColumnMap(map);
        }

        foreach (var (kindNode, columnsNode) in Mapping(root, path, "the map"))
        {
            var kind = Scalar(kindNode);
            var table = CanonicalTable.All.FirstOrDefault(t => string.Equals(t.Name, kind, StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException($"{path}:{kindNode.Start.Line}: {kind}: not an input kind (orders, conditions, reports, reviews)");
            var sourceToCanonical = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (canonicalNode, sourceNode) in Mapping(columnsNode, path, kind))
            {
                var canonical = Scalar(canonicalNode);
                var where = $"{path}:{canonicalNode.Start.Line}: {kind}.{canonical}";
                if (table.IndexOf(canonical) < 0)
                {
                    throw new FormatException($"{where}: not a canonical {kind} column ({string.Join(", ", table.Columns.Select(c => c.Name))})");
                }

                if (sourceNode is not YamlScalarNode { Value: { } source } || string.IsNullOrWhiteSpace(source) || (sourceNode is YamlScalarNode { Style: ScalarStyle.Plain } && source is "~" or "null"))
                {
                    throw new FormatException($"{where}: names no source column (give the column of your file, or remove the line)");
                }

                if (sourceToCanonical.TryGetValue(source.Trim(), out var other))
                {
                    throw new FormatException($"{where}: source column '{source.Trim()}' is already mapped to {kind}.{other} (one source column feeds one canonical column)");
                }

                sourceToCanonical[source.Trim()] = canonical.ToLowerInvariant();
            }

            map[table.Name] = sourceToCanonical;
        }

        return new ColumnMap(map);
    }

    private const string Expected = "(expected `orders: {canonical_name: source_column}`)";

    private static IEnumerable<KeyValuePair<YamlNode, YamlNode>> Mapping(YamlNode node, string path, string what) =>
        node as YamlMappingNode is { } mapping
            ? mapping.Children
            : throw new FormatException($"{path}:{node.Start.Line}: {what}: expected a mapping of canonical names to source columns {Expected}");

    private static string Scalar(YamlNode node) => (node as YamlScalarNode)?.Value ?? string.Empty;

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
