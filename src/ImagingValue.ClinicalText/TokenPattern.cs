using System.Text.Json;

namespace ImagingValue.ClinicalText;

/// <summary>
/// medspaCy/spaCy token patterns (<c>"pattern": [{"LOWER": "no"}, {"LOWER": {"IN": ["new", "other"]}, "OP": "?"}]</c>),
/// as medspaCy's published <c>context_rules.json</c> writes them. A pattern is expanded once, at load time, into the
/// finite set of literal token sequences it matches; those go into the same token trie as literal rules, so a
/// token pattern costs nothing per sentence (no regex). Only what expands finitely is accepted: the attributes
/// LOWER, TEXT and ORTH (compared lower-case, like every modifier) with a string or an <c>IN</c> list, and the
/// operator <c>?</c>.
/// </summary>
internal static class TokenPattern
{
    // "family" in medspaCy's file expands to ~150 forms; a site pattern a hundred times larger is still a small
    // trie. Beyond that a rule is almost certainly a mistake (or needs a regex), so loading stops with a message.
    private const int MaxForms = 20_000;

    private static readonly string[] TextAttributes = ["LOWER", "TEXT", "ORTH"];

    /// <summary>Every token sequence the pattern matches, each as normalized token strings; no empty sequence.</summary>
    public static List<string[]> Expand(JsonElement pattern, string listName, int index)
    {
        if (pattern.GetArrayLength() == 0)
        {
            throw RuleJson.Error(listName, index, "pattern", "a token pattern needs at least one token");
        }

        var forms = new List<List<string>> { new() };
        var position = 0;
        foreach (var token in pattern.EnumerateArray())
        {
            var field = $"pattern[{position}]";
            var (alternatives, optional) = ReadToken(token, listName, index, field);
            var next = new List<List<string>>();
            foreach (var form in forms)
            {
                if (optional)
                {
                    next.Add(form);
                }

                foreach (var alternative in alternatives)
                {
                    next.Add([.. form, .. alternative]);
                }
            }

            if (next.Count > MaxForms)
            {
                throw RuleJson.Error(listName, index, field, $"the pattern expands to more than {MaxForms} phrases; use a regex pattern string");
            }

            forms = next;
            position++;
        }

        var distinct = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var form in forms.Where(f => f.Count > 0))
        {
            distinct.TryAdd(string.Join(' ', form), [.. form]);
        }

        if (distinct.Count == 0)
        {
            throw RuleJson.Error(listName, index, "pattern", "matches no words (every token is optional or punctuation we drop)");
        }

        return [.. distinct.Values];
    }

    // One pattern token: the token sequences it may stand for (our tokenizer may split "x-ray" into two tokens or
    // drop "'" entirely, so each alternative is itself a sequence) and whether it may be absent.
    private static (List<string[]> Alternatives, bool Optional) ReadToken(JsonElement token, string listName, int index, string field)
    {
        if (token.ValueKind != JsonValueKind.Object)
        {
            throw RuleJson.Error(listName, index, field, "each pattern token must be a JSON object such as {\"LOWER\": \"no\"}");
        }

        List<string[]>? alternatives = null;
        var optional = false;
        foreach (var property in token.EnumerateObject())
        {
            if (property.Name == "OP")
            {
                var op = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                if (op != "?")
                {
                    throw RuleJson.Error(listName, index, $"{field}.OP", $"only \"?\" is supported (a finite set of phrases), not {property.Value.GetRawText()}");
                }

                optional = true;
            }
            else if (TextAttributes.Contains(property.Name))
            {
                if (alternatives is not null)
                {
                    throw RuleJson.Error(listName, index, $"{field}.{property.Name}", "give one of LOWER, TEXT, ORTH per token");
                }

                alternatives = ReadValues(property.Value, listName, index, $"{field}.{property.Name}");
            }
            else
            {
                throw RuleJson.Error(listName, index, $"{field}.{property.Name}", "unsupported token attribute (expected LOWER, TEXT, ORTH or OP)");
            }
        }

        if (alternatives is null)
        {
            throw RuleJson.Error(listName, index, field, "a pattern token needs LOWER, TEXT or ORTH");
        }

        // An alternative our tokenizer reads as nothing ("'") is the same as the token being absent.
        if (alternatives.RemoveAll(a => a.Length == 0) > 0)
        {
            optional = true;
        }

        return (alternatives, optional);
    }

    private static List<string[]> ReadValues(JsonElement value, string listName, int index, string field)
    {
        var strings = new List<string>();
        if (value.ValueKind == JsonValueKind.String)
        {
            strings.Add(value.GetString()!);
        }
        else if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("IN", out var list)
            && list.ValueKind == JsonValueKind.Array && value.EnumerateObject().Count() == 1)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    throw RuleJson.Error(listName, index, field, "IN must list strings");
                }

                strings.Add(item.GetString()!);
            }
        }
        else
        {
            throw RuleJson.Error(listName, index, field, "must be a string or {\"IN\": [strings]}");
        }

        return [.. strings.Select(s => Tokenizer.Tokenize(s).Select(t => t.Norm).ToArray())];
    }
}
