using System.Text.Json;

namespace ImagingValue.ClinicalText;

/// <summary>
/// Strict reading of rule files. Every problem becomes a <see cref="FormatException"/> that names the rule list,
/// the rule's index and the field, e.g. <c>context_rules[3].direction: ...</c>, so a site editing JSON by hand
/// can find the mistake.
/// </summary>
internal static class RuleJson
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static JsonDocument Parse(string json, string listName)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{listName}: the rule file is not valid JSON ({ex.Message})", ex);
        }
    }

    public static JsonElement.ArrayEnumerator Rules(JsonDocument doc, string listName)
    {
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{listName}: the rule file must be a JSON object with a \"{listName}\" array");
        }

        if (!doc.RootElement.TryGetProperty(listName, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{listName}: the rule file must have a \"{listName}\" array");
        }

        return list.EnumerateArray();
    }

    public static void RequireObject(JsonElement rule, string listName, int index)
    {
        if (rule.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{listName}[{index}]: each rule must be a JSON object");
        }
    }

    public static void RejectUnknownFields(JsonElement rule, string listName, int index, IReadOnlyCollection<string> known)
    {
        foreach (var property in rule.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                throw Error(listName, index, property.Name, $"unknown field (expected one of {string.Join(", ", known)})");
            }
        }
    }

    public static string RequiredString(JsonElement rule, string listName, int index, string field)
    {
        var value = OptionalString(rule, listName, index, field);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Error(listName, index, field, "is required and must be a non-empty string");
        }

        return value;
    }

    public static string? OptionalString(JsonElement rule, string listName, int index, string field)
    {
        if (!rule.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(listName, index, field, $"must be a string, not {value.ValueKind}");
        }

        return value.GetString();
    }

    public static bool OptionalBool(JsonElement rule, string listName, int index, string field)
    {
        if (!rule.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(listName, index, field, $"must be true or false, not {value.ValueKind}"),
        };
    }

    public static int? OptionalPositiveInt(JsonElement rule, string listName, int index, string field)
    {
        if (!rule.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || n < 1)
        {
            throw Error(listName, index, field, "must be a positive whole number of tokens or null");
        }

        return n;
    }

    public static HashSet<string>? OptionalStringSet(JsonElement rule, string listName, int index, string field)
    {
        if (!rule.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(listName, index, field, "must be an array of strings");
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                throw Error(listName, index, field, "must be an array of non-empty strings");
            }

            set.Add(item.GetString()!);
        }

        return set;
    }

    public static FormatException Error(string listName, int index, string field, string problem) =>
        new($"{listName}[{index}].{field}: {problem}");
}
