using System.Text.Json;

namespace ImagingValue.ClinicalText;

/// <summary>Calendar units a time expression can count in.</summary>
internal enum TimeUnit
{
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// <summary>"yesterday", "this morning": a day offset and an hour window on that day.</summary>
internal sealed record NamedTime(int DayOffset, int FromHour, int ToHour);

/// <summary>The words of time expressions, read from <c>Rules/time_rules.json</c> so they can change without code.</summary>
internal sealed class TimeVocabulary
{
    private TimeVocabulary()
    {
    }

    public static TimeVocabulary Default { get; } = FromJson(EmbeddedRules.Read("time_rules.json"));

    public Dictionary<string, (TimeUnit Unit, bool Fuzzy)> Units { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> Numbers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> Months { get; } = new(StringComparer.Ordinal);

    public HashSet<string> AgoWords { get; } = new(StringComparer.Ordinal);

    public HashSet<string> DurationPrefixes { get; } = new(StringComparer.Ordinal);

    public HashSet<string> DurationSuffixes { get; } = new(StringComparer.Ordinal);

    /// <summary>Words after a count that make it the length of what follows, up to now: "2 months of physiotherapy".</summary>
    public HashSet<string> DurationOfWords { get; } = new(StringComparer.Ordinal);

    public HashSet<string> RelativeWords { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Fillers { get; } = new(StringComparer.Ordinal);

    public HashSet<string> DatePrepositions { get; } = new(StringComparer.Ordinal);

    public HashSet<string> ClauseBreaks { get; } = new(StringComparer.Ordinal);

    public HashSet<string> BareBlockers { get; } = new(StringComparer.Ordinal);

    /// <summary>British fractions: the denominator of "3/52" and the unit it counts (weeks). Optional in a rule file.</summary>
    public Dictionary<int, (TimeUnit Unit, bool Fuzzy)> FractionUnits { get; } = [];

    public TokenTrie<NamedTime> NamedTimes { get; } = new();

    public static TimeVocabulary FromJson(string json)
    {
        using var doc = RuleJson.Parse(json, "time_rules");
        var root = doc.RootElement;
        var v = new TimeVocabulary();
        foreach (var unit in Array(root, "units"))
        {
            var name = unit.GetProperty("unit").GetString()!;
            if (!Enum.TryParse<TimeUnit>(name, ignoreCase: true, out var parsed))
            {
                throw new FormatException($"time_rules.units: unknown unit '{name}'");
            }

            var fuzzy = unit.TryGetProperty("fuzzy", out var f) && f.GetBoolean();
            foreach (var form in unit.GetProperty("forms").EnumerateArray())
            {
                v.Units[form.GetString()!.ToLowerInvariant()] = (parsed, fuzzy);
            }
        }

        ReadMap(root, "numbers", v.Numbers);
        ReadMap(root, "months", v.Months);
        ReadSet(root, "ago_words", v.AgoWords);
        ReadSet(root, "duration_prefixes", v.DurationPrefixes);
        ReadSet(root, "duration_suffixes", v.DurationSuffixes);
        ReadSet(root, "duration_of_words", v.DurationOfWords);
        ReadSet(root, "relative_words", v.RelativeWords);
        ReadSet(root, "fillers", v.Fillers);
        ReadSet(root, "date_prepositions", v.DatePrepositions);
        ReadSet(root, "clause_breaks", v.ClauseBreaks);
        ReadSet(root, "bare_duration_blockers", v.BareBlockers);
        if (root.TryGetProperty("fraction_units", out var fractions))
        {
            if (fractions.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("time_rules.fraction_units: must be an object of denominator: unit");
            }

            foreach (var p in fractions.EnumerateObject())
            {
                var unit = p.Value.GetString();
                if (!int.TryParse(p.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var denominator)
                    || denominator < 2 || !v.Units.TryGetValue(unit?.ToLowerInvariant() ?? string.Empty, out var counted))
                {
                    throw new FormatException($"time_rules.fraction_units: '{p.Name}': '{unit}' needs a whole denominator of 2 or more and a unit form listed under units");
                }

                v.FractionUnits[denominator] = counted;
            }
        }

        foreach (var named in Array(root, "named_times"))
        {
            var literal = named.GetProperty("literal").GetString()!;
            var key = Tokenizer.Tokenize(literal).Select(t => t.Norm).ToArray();
            v.NamedTimes.Add(key, new NamedTime(
                named.GetProperty("day_offset").GetInt32(),
                named.GetProperty("from_hour").GetInt32(),
                named.GetProperty("to_hour").GetInt32()));
        }

        return v;
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement root, string name) =>
        root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
            : throw new FormatException($"time_rules: missing array '{name}'");

    private static void ReadSet(JsonElement root, string name, HashSet<string> into)
    {
        foreach (var item in Array(root, name))
        {
            into.Add(item.GetString()!.ToLowerInvariant());
        }
    }

    private static void ReadMap(JsonElement root, string name, Dictionary<string, int> into)
    {
        if (!root.TryGetProperty(name, out var map) || map.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"time_rules: missing object '{name}'");
        }

        foreach (var p in map.EnumerateObject())
        {
            into[p.Name.ToLowerInvariant()] = p.Value.GetInt32();
        }
    }
}
