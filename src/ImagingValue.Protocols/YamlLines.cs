using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace ImagingValue.Protocols;

/// <summary>
/// Finds where a field of a YAML document is written, so an error can say <c>file:line</c>: the deserializer that
/// reads the protocol keeps no positions once it has built the objects.
/// </summary>
internal sealed class YamlLines
{
    private readonly string _source;
    private readonly YamlNode? _root;

    public YamlLines(string yaml, string source)
    {
        _source = source;
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        _root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
    }

    /// <summary><c>source:line</c> of the deepest node along <paramref name="path"/> (keys and list indexes) that exists.</summary>
    public string At(params object[] path)
    {
        var node = _root;
        var line = node?.Start.Line ?? 1;
        foreach (var step in path)
        {
            node = (node, step) switch
            {
                (YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null,
                (YamlSequenceNode list, int index) => index < list.Children.Count ? list.Children[index] : null,
                _ => null,
            };
            if (node is null)
            {
                break;
            }

            line = node.Start.Line;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{_source}:{line}");
    }

    /// <summary>A path as the YAML writes it: <c>red_flags[2].concepts</c>.</summary>
    public static string Describe(IEnumerable<object> path) =>
        string.Concat(path.Select((step, i) => step is int index ? $"[{index}]" : i == 0 ? (string)step : "." + step));
}
