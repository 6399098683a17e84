namespace ImagingValue.ClinicalText;

/// <summary>
/// The rule files that ship with the library, by name (the file name without <c>.json</c>), so a protocol can name
/// them: <c>context_rules</c> (the English ConText modifiers), <c>lbp_targets</c> (low back pain and its red flags),
/// <c>lumbar_targets</c> (the lumbar spine protocol's additions), <c>headache_targets</c> (headache and its red flags),
/// <c>sacrum_report_findings</c> (findings of sacrum/coccyx MRI reports).
/// </summary>
public static class BuiltInRules
{
    /// <summary>The built-in modifier (ConText) rule sets.</summary>
    public static IReadOnlyList<string> ModifierSets { get; } = ["context_rules"];

    /// <summary>The built-in target (concept) rule sets.</summary>
    public static IReadOnlyList<string> TargetSets { get; } = ["lbp_targets", "lumbar_targets", "headache_targets", "sacrum_report_findings"];

    /// <summary>The JSON text of a built-in rule set; null when there is none by that name.</summary>
    public static string? Text(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ModifierSets.Contains(name, StringComparer.Ordinal) || TargetSets.Contains(name, StringComparer.Ordinal)
            ? EmbeddedRules.Read(name + ".json")
            : null;
    }

    /// <summary>A built-in modifier set by name, parsed once.</summary>
    public static ContextRuleSet? Modifiers(string name) => name == "context_rules" ? ContextRuleSet.Default : null;

    /// <summary>A built-in target set by name, parsed once.</summary>
    public static TargetRuleSet? Targets(string name) => name switch
    {
        "lbp_targets" => TargetRuleSet.LowBackPainDefaults,
        "lumbar_targets" => TargetRuleSet.Lumbar,
        "headache_targets" => TargetRuleSet.Headache,
        "sacrum_report_findings" => TargetRuleSet.SacrumReportFindings,
        _ => null,
    };
}
