using ImagingValue.ClinicalText;

namespace ImagingValue.Protocols;

/// <summary>Whether a rule set holds ConText modifiers or target concepts.</summary>
internal enum RuleKind
{
    Modifiers,
    Targets,
}

/// <summary>
/// One text rule set a protocol names: a built-in set by name (<c>lbp_targets</c>), or a site's rule file by a path
/// relative to the protocol file (<c>knee_targets.json</c>), read and checked when the protocol loads.
/// </summary>
internal sealed record RuleSetSource(string Name, string Text, ContextRuleSet? Modifiers, TargetRuleSet? Targets)
{
    public static RuleSetSource BuiltIn(string name) =>
        new(name, BuiltInRules.Text(name)!, BuiltInRules.Modifiers(name), BuiltInRules.Targets(name));

    /// <summary>Reads the set a protocol names at <paramref name="path"/>; errors name the protocol's line, or the rule file and its rule.</summary>
    public static RuleSetSource Resolve(string reference, RuleKind kind, string? directory, YamlLines lines, params object[] path)
    {
        var where = $"{lines.At(path)}: {YamlLines.Describe(path)}";
        if (!reference.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            var names = kind == RuleKind.Modifiers ? BuiltInRules.ModifierSets : BuiltInRules.TargetSets;
            if (!names.Contains(reference, StringComparer.Ordinal))
            {
                throw new FormatException($"{where}: '{reference}' is not a built-in {(kind == RuleKind.Modifiers ? "modifier" : "target")} rule set ({string.Join(", ", names)}); a site rule file is named by a path ending in .json");
            }

            return BuiltIn(reference);
        }

        if (directory is null)
        {
            throw new FormatException($"{where}: '{reference}': a rule file is found relative to the protocol file, and this protocol has none");
        }

        var file = Path.GetFullPath(Path.Combine(directory, reference));
        if (!File.Exists(file))
        {
            throw new FormatException($"{where}: rule file '{reference}' not found (looked for {file})");
        }

        var text = File.ReadAllText(file);
        try
        {
            return kind == RuleKind.Modifiers
                ? new RuleSetSource(reference, text, ContextRuleSet.FromJson(text), null)
                : new RuleSetSource(reference, text, null, TargetRuleSet.FromJson(text));
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{file}: {ex.Message} (named at {where})", ex);
        }
    }
}
