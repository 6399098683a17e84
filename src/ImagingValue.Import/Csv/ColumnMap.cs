using System.Text;
using ImagingValue.Core.Data;
using ImagingValue.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImagingValue.Import.Csv;

/// <summary>
/// A site profile, from YAML: per input kind, how the site's export names its columns (<c>orders: {order_id: ORDER_NUM}</c>),
/// and, where the export is not canonical, how to read it: per column a date <c>format</c> or a <c>values</c> map,
/// per file the <c>delimiter</c>, <c>encoding</c> and <c>time_zone</c> (docs/data-formats.md, "The column map").
/// Columns the map does not name keep their own name (case-insensitive).
/// </summary>
public sealed class ColumnMap
{
    private static readonly string[] _settings = ["delimiter", "encoding", "time_zone", "columns"];
    private static readonly string[] _entryKeys = ["column", "format", "values"];

    private readonly Dictionary<string, FileProfile> _profiles;

    private ColumnMap(Dictionary<string, FileProfile> profiles) => _profiles = profiles;

    /// <summary>The identity map.</summary>
    public static ColumnMap None { get; } = new(new(StringComparer.Ordinal));

    /// <summary>
    /// Reads a mapping file; errors name the file, line and key. Every entry must name a source column: an empty one,
    /// or one source column given to two canonical columns, would silently leave a column unmapped. A key the profile
    /// does not know (a misspelt setting or column) is an error too, never ignored.
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

        var profiles = new Dictionary<string, FileProfile>(StringComparer.Ordinal);
        if (root is null || root is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return new ColumnMap(profiles);
        }

        foreach (var (kindNode, columnsNode) in Mapping(root, path, "the map"))
        {
            var kind = Scalar(kindNode);
            var table = CanonicalTable.All.FirstOrDefault(t => string.Equals(t.Name, kind, StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException($"{path}:{kindNode.Start.Line}: {kind}: not an input kind (orders, conditions, reports, reviews){NearestName.Hint(kind, CanonicalTable.All.Select(t => t.Name))}");
            profiles[table.Name] = ReadProfile(table, kind, columnsNode, path);
        }

        return new ColumnMap(profiles);
    }

    private static FileProfile ReadProfile(CanonicalTable table, string kind, YamlNode node, string path)
    {
        var profile = new FileProfile();
        var entries = new List<(string Canonical, YamlNode Key, YamlNode Value)>();
        foreach (var (keyNode, valueNode) in Mapping(node, path, kind))
        {
            var key = Scalar(keyNode);
            var where = $"{path}:{keyNode.Start.Line}: {kind}.{key}";
            switch (key.ToLowerInvariant())
            {
                case "columns":
                    entries.AddRange(Mapping(valueNode, path, $"{kind}.columns").Select(e => (Scalar(e.Key), e.Key, e.Value)));
                    break;
                case "delimiter":
                    profile.Delimiter = ParseDelimiter(Scalar(valueNode)) ?? throw new FormatException($"{where}: '{Scalar(valueNode)}' is not a delimiter (comma, semicolon, tab, pipe, or the character in quotes: \";\")");
                    break;
                case "encoding":
                    profile.Encoding = ParseEncoding(Scalar(valueNode)) ?? throw new FormatException($"{where}: '{Scalar(valueNode)}' is not an encoding this reads (utf-8, windows-1252, latin-1)");
                    break;
                case "time_zone":
                    profile.TimeZone = SiteTimeZone.TryFind(Scalar(valueNode), out var zone, out var zoneError) ? zone : throw new FormatException($"{where}: {zoneError}");
                    break;
                default:
                    if (table.IndexOf(key) < 0)
                    {
                        throw new FormatException($"{where}: not a canonical {kind} column ({string.Join(", ", table.Columns.Select(c => c.Name))}) nor a file setting ({string.Join(", ", _settings)}){NearestName.Hint(key, table.Columns.Select(c => c.Name).Concat(_settings))}");
                    }

                    entries.Add((key, keyNode, valueNode));
                    break;
            }
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var rules = new Dictionary<string, (string? Format, Dictionary<string, string>? Values)>(StringComparer.Ordinal);
        foreach (var (canonical, keyNode, valueNode) in entries)
        {
            var where = $"{path}:{keyNode.Start.Line}: {kind}.{canonical}";
            var index = table.IndexOf(canonical);
            if (index < 0)
            {
                throw new FormatException($"{where}: not a canonical {kind} column ({string.Join(", ", table.Columns.Select(c => c.Name))}){NearestName.Hint(canonical, table.Columns.Select(c => c.Name))}");
            }

            var column = table.Columns[index];
            if (!seen.Add(column.Name))
            {
                throw new FormatException($"{where}: given twice (once is enough)");
            }

            // `canonical: SOURCE`, or `canonical: {column: SOURCE, format: ..., values: {...}}`, where column may be left out.
            var sourceNode = valueNode;
            if (valueNode is YamlMappingNode entry)
            {
                sourceNode = null;
                string? format = null;
                string? formatWhere = null;
                Dictionary<string, string>? values = null;
                foreach (var (partNode, partValue) in entry.Children)
                {
                    var part = Scalar(partNode);
                    var partWhere = $"{path}:{partNode.Start.Line}: {kind}.{canonical}.{part}";
                    switch (part)
                    {
                        case "column":
                            sourceNode = partValue;
                            break;
                        case "format":
                            format = ReadFormat(column, Scalar(partValue), partWhere);
                            formatWhere = partWhere;
                            break;
                        case "values":
                            values = ReadValues(column, partValue, path, $"{kind}.{canonical}.values");
                            break;
                        default:
                            throw new FormatException($"{partWhere}: not a column setting ({string.Join(", ", _entryKeys)}){NearestName.Hint(part, _entryKeys)}");
                    }
                }

                if (format is not null && ColumnRule.ReadsOffset(format) && profile.TimeZone is null)
                {
                    throw new FormatException($"{formatWhere}: '{format}' reads a UTC offset: give the file a time_zone, the zone its instants become local times of");
                }

                rules[column.Name] = (format, values);
                if (sourceNode is null)
                {
                    continue;
                }
            }

            if (sourceNode is not YamlScalarNode { Value: { } source } || string.IsNullOrWhiteSpace(source) || (sourceNode is YamlScalarNode { Style: ScalarStyle.Plain } && source is "~" or "null"))
            {
                throw new FormatException($"{where}: names no source column (give the column of your file, or remove the line)");
            }

            if (profile.SourceToCanonical.TryGetValue(source.Trim(), out var other))
            {
                throw new FormatException($"{where}: source column '{source.Trim()}' is already mapped to {kind}.{other} (one source column feeds one canonical column)");
            }

            profile.SourceToCanonical[source.Trim()] = column.Name;
        }

        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            var rule = rules.GetValueOrDefault(column.Name);
            // A time zone reaches every date-time column, formatted or not: an ISO instant with an offset is converted too.
            if (rule.Format is not null || rule.Values is not null || (profile.TimeZone is not null && column.Type == ColumnType.DateTime))
            {
                profile.RuleByIndex[i] = new ColumnRule(column, rule.Format, rule.Values, profile.TimeZone);
            }
        }

        return profile;
    }

    private static string ReadFormat(CanonicalColumn column, string format, string where)
    {
        if (column.Type is not (ColumnType.Date or ColumnType.DateTime))
        {
            throw new FormatException($"{where}: {column.Name} is not a date or date-time column (a format reads dates)");
        }

        if (!ColumnRule.IsReadableFormat(format))
        {
            throw new FormatException($"{where}: '{format}' is not a date format this can read back (e.g. dd.MM.yyyy, M/d/yyyy h:mm tt, yyyy-MM-dd HH:mm:ss.fff, or excel)");
        }

        return format;
    }

    private static Dictionary<string, string> ReadValues(CanonicalColumn column, YamlNode node, string path, string what)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (fromNode, toNode) in Mapping(node, path, what))
        {
            var from = Scalar(fromNode).Trim();
            var where = $"{path}:{fromNode.Start.Line}: {what}.{from}";
            if (!CanonicalValues.TryNormalize(column, Scalar(toNode), out var to, out var problem) || to is null)
            {
                throw new FormatException($"{where}: {problem ?? "maps to nothing"} (the value a site's '{from}' becomes must be a canonical {column.Name})");
            }

            if (!values.TryAdd(from, to))
            {
                throw new FormatException($"{where}: listed twice");
            }
        }

        return values;
    }

    private static char? ParseDelimiter(string text) => text.ToLowerInvariant() switch
    {
        "," or "comma" => ',',
        ";" or "semicolon" => ';',
        "\t" or "\\t" or "tab" => '\t',
        "|" or "pipe" => '|',
        _ => null,
    };

    private static Encoding? ParseEncoding(string text)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "utf-8" or "utf8":
                // Not throwing: a bad byte becomes U+FFFD and the importer names its line and field.
                return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
            case "latin-1" or "latin1" or "iso-8859-1":
                return Encoding.Latin1;
            case "windows-1252" or "cp1252":
                // Code pages beyond Latin-1 ship with .NET but must be registered once.
                Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
                return Encoding.GetEncoding(1252);
            default:
                return null;
        }
    }

    private const string Expected = "(expected `orders: {canonical_name: source_column}`)";

    private static IEnumerable<KeyValuePair<YamlNode, YamlNode>> Mapping(YamlNode node, string path, string what) =>
        node as YamlMappingNode is { } mapping
            ? mapping.Children
            : throw new FormatException($"{path}:{node.Start.Line}: {what}: expected a mapping of canonical names to source columns {Expected}");

    private static string Scalar(YamlNode node) => (node as YamlScalarNode)?.Value ?? string.Empty;

    /// <summary>How to read the file of <paramref name="table"/> (the defaults when the map says nothing of it).</summary>
    public FileProfile ProfileFor(CanonicalTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return _profiles.TryGetValue(table.Name, out var profile) ? profile : FileProfile.Default;
    }

    /// <summary>The source columns the map names for <paramref name="table"/>, each with its canonical name.</summary>
    public IReadOnlyDictionary<string, string> SourcesFor(CanonicalTable table) => ProfileFor(table).SourceToCanonical;

    /// <summary>The canonical name for a source header of <paramref name="table"/>.</summary>
    public string CanonicalName(CanonicalTable table, string sourceHeader)
    {
        var header = sourceHeader.Trim();
        return ProfileFor(table).SourceToCanonical.TryGetValue(header, out var canonical) ? canonical : header.ToLowerInvariant();
    }
}

/// <summary>How one input file of a site is read: its column names, delimiter, encoding, time zone and per-column rules.</summary>
public sealed class FileProfile
{
    internal static FileProfile Default { get; } = new();

    internal Dictionary<string, string> SourceToCanonical { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The field separator; null to detect it from the header.</summary>
    public char? Delimiter { get; internal set; }

    /// <summary>The file's encoding; null for UTF-8 (with or without a byte-order mark).</summary>
    public Encoding? Encoding { get; internal set; }

    /// <summary>The zone instants with an offset become local times of.</summary>
    public TimeZoneInfo? TimeZone { get; internal set; }

    /// <summary>Rules by canonical column index; a column without one is read as canonical.</summary>
    public IReadOnlyDictionary<int, ColumnRule> Rules => RuleByIndex;

    internal Dictionary<int, ColumnRule> RuleByIndex { get; } = [];
}
