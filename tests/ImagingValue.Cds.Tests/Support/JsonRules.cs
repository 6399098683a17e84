using System.Text.Json.Nodes;

namespace ImagingValue.Cds.Tests.Support;

/// <summary>CDS Hooks response rules checked in C# (the spec's "no null or empty values", cds-resp-*).</summary>
internal static class JsonRules
{
    /// <summary>The <c>pama-rating-consult-id</c> of every rating update in a response, in order.</summary>
    public static IEnumerable<string> ConsultIds(JsonObject response) =>
        response["systemActions"]!.AsArray()
            .Select(a => a!["resource"]!["extension"]!.AsArray().Single(e => e!["url"]!.GetValue<string>() == Services.PamaRating.ConsultIdUrl)!["valueUri"]!.GetValue<string>());

    /// <summary>The paths of null or empty values, except <c>cards: []</c>.</summary>
    public static List<string> NullOrEmpty(JsonNode? node, string path = "$")
    {
        var found = new List<string>();
        switch (node)
        {
            case null:
                found.Add(path);
                break;
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    found.Add(path);
                }

                foreach (var (key, value) in obj)
                {
                    if (path == "$" && key == "cards" && value is JsonArray { Count: 0 })
                    {
                        continue;
                    }

                    found.AddRange(NullOrEmpty(value, $"{path}.{key}"));
                }

                break;
            case JsonArray array:
                if (array.Count == 0)
                {
                    found.Add(path);
                }

                for (var i = 0; i < array.Count; i++)
                {
                    found.AddRange(NullOrEmpty(array[i], $"{path}[{i}]"));
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Length == 0:
                found.Add(path);
                break;
        }

        return found;
    }
}
