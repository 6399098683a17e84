using System.Text.RegularExpressions;

namespace ImagingValue.ClinicalText;

/// <summary>
/// Concept rules: <c>{"target_rules": [{"literal": "...", "category": "&lt;concept id&gt;", "pattern": "optional regex",
/// "case_sensitive": false, "clause_bound": false}]}</c>.
/// </summary>
public sealed class TargetRuleSet
{
    private const string ListName = "target_rules";

    private static readonly string[] KnownFields = ["literal", "category", "pattern", "case_sensitive", "clause_bound", "metadata", "comment"];

    private static readonly Lazy<TargetRuleSet> LazyLowBackPain = new(() => FromJson(EmbeddedRules.Read("lbp_targets.json")));

    private static readonly Lazy<TargetRuleSet> LazySacrumReportFindings = new(() => FromJson(EmbeddedRules.Read("sacrum_report_findings.json")));

    private TargetRuleSet(IReadOnlyList<TargetRule> rules) => Rules = rules;

    /// <summary>The embedded low back pain concept set (<c>Rules/lbp_targets.json</c>): low_back_pain, tumor, infection,
    /// inflammatory_arthritis, trauma, fracture, occult_fracture.</summary>
    public static TargetRuleSet LowBackPainDefaults => LazyLowBackPain.Value;

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

    /// <summary>This set followed by <paramref name="other"/>.</summary>
    public TargetRuleSet Concat(TargetRuleSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new TargetRuleSet([.. Rules, .. other.Rules]);
    }
}
