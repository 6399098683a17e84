using System.Collections;
using System.Globalization;
using System.Reflection;
using ImagingValue.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization.NamingConventions;

namespace ImagingValue.Protocols;

/// <summary>
/// A YAML document as written, so an error can say <c>file:line</c> and what the field should be: the deserializer that
/// reads the protocol keeps no positions once it has built the objects, and names internal types in its messages.
/// </summary>
internal sealed class YamlLines
{
    private readonly string _source;
    private readonly YamlNode? _root;

    private YamlLines(string source, YamlNode? root)
    {
        _source = source;
        _root = root;
    }

    /// <summary>Reads <paramref name="yaml"/>; a syntax error is a <see cref="FormatException"/> naming the source and line.</summary>
    public static YamlLines Load(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{source}:{ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw Unreadable(source, ex);
        }

        return new YamlLines(source, stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null);
    }

    /// <summary>
    /// YamlDotNet throws InvalidOperationException or ArgumentException, not YamlException, on some broken flow
    /// collections (a <c>[</c> left open before more lines, found by the fuzz suite): still the user's mistake, so one readable line.
    /// </summary>
    public static FormatException Unreadable(string source, Exception ex) =>
        new($"{source}: not readable as YAML (is a [ or {{ left open?)", ex);

    /// <summary><c>source:line</c> of the deepest node along <paramref name="path"/> (keys and list indexes) that exists.</summary>
    public string At(params object[] path)
    {
        var node = _root;
        var line = node?.Start.Line ?? 1;
        foreach (var step in path)
        {
            node = Child(node, step);
            if (node is null)
            {
                break;
            }

            line = node.Start.Line;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{_source}:{line}");
    }

    /// <summary>An error about the field at <paramref name="path"/>: <c>source:line: path: message</c>.</summary>
    public FormatException Error(string message, params object[] path) => new($"{At(path)}: {Describe(path)}: {message}");

    /// <summary>A path as the YAML writes it: <c>red_flags[2].concepts</c>.</summary>
    public static string Describe(IEnumerable<object> path) =>
        string.Concat(path.Select((step, i) => step is int index ? $"[{index}]" : i == 0 ? (string)step : "." + step));

    /// <summary>
    /// Refuses a key that <paramref name="documentType"/> (read with snake_case keys) does not have, naming the keys it
    /// does have, and a value of the wrong kind (a list where one value goes, text where a number goes).
    /// </summary>
    public void RequireShape(Type documentType)
    {
        if (_root is not null)
        {
            Check(_root, documentType, []);
        }
    }

    private void Check(YamlNode node, Type type, List<object> path)
    {
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" } empty && empty.Style == ScalarStyle.Plain)
        {
            // An empty value reads as "not given" and silently drops what it was meant to say (a red flag without
            // codes, a charge of nothing): refused where it stands, as the person wrote it.
            throw Error(path.Count > 0 && path[^1] is int ? "an empty list item (remove it, or give it a value)" : "no value (give one, or remove the key)", [.. path]);
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            Require<YamlScalarNode>(node, path, "one value, not a list or mapping");
        }
        else if (type == typeof(int) || type == typeof(decimal) || type == typeof(double) || type == typeof(bool))
        {
            var text = Require<YamlScalarNode>(node, path, "one value, not a list or mapping").Value ?? string.Empty;
            var ok = type == typeof(bool)
                ? text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase)
                : type == typeof(int) ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                : decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            if (!ok)
            {
                throw Error($"'{text}' is not {(type == typeof(bool) ? "true or false" : type == typeof(int) ? "a whole number" : "a number")}", [.. path]);
            }
        }
        else if (IsCollection(type, out var item) && type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            foreach (var (key, value) in Require<YamlMappingNode>(node, path, "a mapping of names to entries").Children)
            {
                Check(value, item, [.. path, ((YamlScalarNode)key).Value ?? string.Empty]);
            }
        }
        else if (IsCollection(type, out item))
        {
            var list = Require<YamlSequenceNode>(node, path, "a list, e.g. [a, b]");
            for (var i = 0; i < list.Children.Count; i++)
            {
                Check(list.Children[i], item, [.. path, i]);
            }
        }
        else
        {
            var keys = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite)
                .ToDictionary(p => UnderscoredNamingConvention.Instance.Apply(p.Name), p => p.PropertyType, StringComparer.Ordinal);
            foreach (var (keyNode, value) in Require<YamlMappingNode>(node, path, "a mapping of keys to values").Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                if (!keys.TryGetValue(key, out var valueType))
                {
                    var where = path.Count == 0 ? "the protocol" : Describe(path);
                    throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                        $"{_source}:{keyNode.Start.Line}: {(path.Count == 0 ? key : Describe([.. path, key]))}: unknown key in {where} (valid keys: {string.Join(", ", keys.Keys)}){NearestName.Hint(key, keys.Keys)}"));
                }

                Check(value, valueType, [.. path, key]);
            }
        }
    }

    private T Require<T>(YamlNode node, List<object> path, string expected)
        where T : YamlNode =>
        node as T ?? throw Error($"expected {expected}", [.. path]);

    private static bool IsCollection(Type type, out Type item)
    {
        item = typeof(object);
        if (!type.IsGenericType || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return false;
        }

        var arguments = type.GetGenericArguments();
        item = arguments[^1];
        return true;
    }

    private static YamlNode? Child(YamlNode? node, object step) => (node, step) switch
    {
        (YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null,
        (YamlSequenceNode list, int index) => index < list.Children.Count ? list.Children[index] : null,
        _ => null,
    };
}
