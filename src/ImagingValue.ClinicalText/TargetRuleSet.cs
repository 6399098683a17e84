using System.Text.RegularExpressions;

namespace ImagingValue.ClinicalText;

/// <summary>
/// Concept rules: <c>{"target_rules": [{"literal": "...", "category": "&lt;concept id&gt;", "pattern": "optional regex",
/// "case_sensitive": false, "clause_bound": false}]}</c>.
/// </summary>
public sealed class TargetRuleSet
{
    private const string ListName = "target_rules";

    private static readonly string[] KnownFields = ["literal", "category", "pattern", "case_sensitive", "clause_bound", "any_order", "between", "max_between", "metadata", "comment"];

    // Words between the two parts of an any_order rule when the rule does not say.
    private const int DefaultMaxBetween = 3;

    private static readonly Lazy<TargetRuleSet> LazyLowBackPain = new(() => FromJson(EmbeddedRules.Read("lbp_targets.json")));

    private static readonly Lazy<TargetRuleSet> LazyLumbar = new(() => FromJson(EmbeddedRules.Read("lumbar_targets.json")));

    private static readonly Lazy<TargetRuleSet> LazyHeadache = new(() => FromJson(EmbeddedRules.Read("headache_targets.json")));

    private static readonly Lazy<TargetRuleSet> LazySacrumReportFindings = new(() => FromJson(EmbeddedRules.Read("sacrum_report_findings.json")));

    private TargetRuleSet(IReadOnlyList<TargetRule> rules) => Rules = rules;

    /// <summary>The embedded low back pain concept set (<c>Rules/lbp_targets.json</c>): low_back_pain, tumor, infection,
    /// inflammatory_arthritis, trauma, fracture, occult_fracture.</summary>
    public static TargetRuleSet LowBackPainDefaults => LazyLowBackPain.Value;

    /// <summary>The embedded lumbar set (<c>Rules/lumbar_targets.json</c>), used beside <see cref="LowBackPainDefaults"/>:
    /// low_back_pain as a symptom and a site in either order, conservative_care, intervention_candidate.</summary>
    public static TargetRuleSet Lumbar => LazyLumbar.Value;

    /// <summary>The embedded headache set (<c>Rules/headache_targets.json</c>), used beside <see cref="LowBackPainDefaults"/> and
    /// <see cref="Lumbar"/>: headache (by name, or a symptom and a head site in either order) and the headache red flags.</summary>
    public static TargetRuleSet Headache => LazyHeadache.Value;

    /// <summary>The embedded findings concepts for sacrum/coccyx MRI reports (<c>Rules/sacrum_report_findings.json</c>):
    /// sacroiliitis, acute_fracture, bone_tumor, bone_infection, si_degeneration, facet_arthropathy, tarlov_cyst,
    /// old_trauma, disc_degeneration, uterine_fibroid, ovarian_cyst, renal_lesion, lymph_nodes, bowel_finding.</summary>
    public static TargetRuleSet SacrumReportFindings => LazySacrumReportFindings.Value;

    public IReadOnlyList<TargetRule> Rules { get; }

    /// <summary>Reads a rule file. Throws <see cref="FormatException"/> naming the rule index and field on bad input.</summary>
    public static TargetRuleSet FromJson(string json)
    {
        using var doc = RuleJson.Parse(json, ListName);
        var rules = new List<TargetRule>();
        var index = 0;
        foreach (var item in RuleJson.Rules(doc, ListName))
        {
            RuleJson.RequireObject(item, ListName, index);
            RuleJson.RejectUnknownFields(item, ListName, index, KnownFields);
            var literal = RuleJson.RequiredString(item, ListName, index, "literal");
            var category = RuleJson.RequiredString(item, ListName, index, "category");
            var pattern = RuleJson.OptionalString(item, ListName, index, "pattern");
            var caseSensitive = RuleJson.OptionalBool(item, ListName, index, "case_sensitive");
            var clauseBound = RuleJson.OptionalBool(item, ListName, index, "clause_bound");
            var anyOrder = AnyOrder(item, index);
            if (anyOrder is not null && pattern is not null)
            {
                throw RuleJson.Error(ListName, index, "any_order", "a rule has a pattern or any_order, not both");
            }

            if (anyOrder is not null)
            {
                var between = RuleJson.OptionalStringSet(item, ListName, index, "between")?.Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
                var maxBetween = RuleJson.OptionalPositiveInt(item, ListName, index, "max_between") ?? DefaultMaxBetween;
                rules.Add(new TargetRule(literal, category, null, false, clauseBound, anyOrder, between, maxBetween));
                index++;
                continue;
            }

            if (pattern is not null)
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException ex)
                {
                    throw RuleJson.Error(ListName, index, "pattern", $"is not a valid regular expression ({ex.Message})");
                }
            }
            else if (Tokenizer.Tokenize(literal).Count == 0)
            {
                throw RuleJson.Error(ListName, index, "literal", $"'{literal}' contains no matchable tokens");
            }

            rules.Add(new TargetRule(literal, category, pattern, caseSensitive, clauseBound));
            index++;
        }

        return new TargetRuleSet(rules);
    }

    /// <summary><c>any_order</c>: exactly two non-empty lists of phrases, read as normalised tokens; null when absent.</summary>
    private static List<IReadOnlyList<string[]>>? AnyOrder(System.Text.Json.JsonElement item, int index)
    {
        if (!item.TryGetProperty("any_order", out var value) || value.ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            return null;
        }

        const string Shape = "must be two arrays of phrases, e.g. [[\"pain\", \"ache\"], [\"tailbone\", \"lumbar area\"]]";
        if (value.ValueKind != System.Text.Json.JsonValueKind.Array || value.GetArrayLength() != 2)
        {
            throw RuleJson.Error(ListName, index, "any_order", Shape);
        }

        var parts = new List<IReadOnlyList<string[]>>();
        foreach (var part in value.EnumerateArray())
        {
            if (part.ValueKind != System.Text.Json.JsonValueKind.Array || part.GetArrayLength() == 0)
            {
                throw RuleJson.Error(ListName, index, "any_order", Shape);
            }

            var phrases = new List<string[]>();
            foreach (var phrase in part.EnumerateArray())
            {
                var tokens = phrase.ValueKind == System.Text.Json.JsonValueKind.String ? Tokenizer.Tokenize(phrase.GetString()!).Select(t => t.Norm).ToArray() : [];
                if (tokens.Length == 0)
                {
                    throw RuleJson.Error(ListName, index, "any_order", $"{Shape}; '{phrase}' has no words");
                }

                phrases.Add(tokens);
            }

            parts.Add(phrases);
        }

        return parts;
    }

    /// <summary>This set followed by <paramref name="other"/>.</summary>
    public TargetRuleSet Concat(TargetRuleSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new TargetRuleSet([.. Rules, .. other.Rules]);
    }
}
