using System.Text.RegularExpressions;

namespace ImagingValue.ClinicalText;

/// <summary>
/// ConText modifier rules, in medspaCy's <c>{"context_rules": [...]}</c> JSON shape plus an optional
/// <c>terminated_by</c> list of categories.
/// </summary>
public sealed class ContextRuleSet
{
    private const string ListName = "context_rules";

    private static readonly string[] KnownFields =
        ["literal", "category", "direction", "pattern", "max_scope", "allowed_types", "excluded_types", "terminated_by", "terminated_by_next_clause", "terminates", "clause_bound", "metadata", "comment"];

    private static readonly Lazy<ContextRuleSet> LazyDefault = new(() => FromJson(EmbeddedRules.Read("context_rules.json")));

    private ContextRuleSet(IReadOnlyList<ContextRule> rules) => Rules = rules;

    /// <summary>The embedded English default set (<c>Rules/context_rules.json</c>).</summary>
    public static ContextRuleSet Default => LazyDefault.Value;

    /// <summary>The rules, in file order.</summary>
    public IReadOnlyList<ContextRule> Rules { get; }

    /// <summary>Reads a rule file. Throws <see cref="FormatException"/> naming the rule index and field on bad input.</summary>
    public static ContextRuleSet FromJson(string json)
    {
        using var doc = RuleJson.Parse(json, ListName);
        var rules = new List<ContextRule>();
        var index = 0;
        foreach (var item in RuleJson.Rules(doc, ListName))
        {
            rules.Add(ReadRule(item, index));
            index++;
        }

        return new ContextRuleSet(rules);
    }

    /// <summary>This set followed by <paramref name="other"/>: how a site adds triggers without code.</summary>
    public ContextRuleSet Concat(ContextRuleSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ContextRuleSet([.. Rules, .. other.Rules]);
    }

    private static ContextRule ReadRule(System.Text.Json.JsonElement item, int index)
    {
        RuleJson.RequireObject(item, ListName, index);
        RuleJson.RejectUnknownFields(item, ListName, index, KnownFields);
        var literal = RuleJson.RequiredString(item, ListName, index, "literal");
        var directionText = RuleJson.RequiredString(item, ListName, index, "direction");
        var direction = directionText.ToUpperInvariant() switch
        {
            "FORWARD" => ContextDirection.Forward,
            "BACKWARD" => ContextDirection.Backward,
            "BIDIRECTIONAL" => ContextDirection.Bidirectional,
            "TERMINATE" => ContextDirection.Terminate,
            "PSEUDO" => ContextDirection.Pseudo,
            _ => throw RuleJson.Error(ListName, index, "direction",
                $"'{directionText}' is not one of FORWARD, BACKWARD, BIDIRECTIONAL, TERMINATE, PSEUDO"),
        };

        // TERMINATE and PSEUDO rules modify nothing, so their category is only a label.
        var category = direction is ContextDirection.Terminate or ContextDirection.Pseudo
            ? RuleJson.OptionalString(item, ListName, index, "category") ?? direction.ToString().ToUpperInvariant()
            : RuleJson.RequiredString(item, ListName, index, "category").ToUpperInvariant();
        if (direction is not (ContextDirection.Terminate or ContextDirection.Pseudo) && !ContextCategories.All.Contains(category))
        {
            throw RuleJson.Error(ListName, index, "category",
                $"'{category}' is not one of {string.Join(", ", ContextCategories.All)}");
        }

        // "pattern" is either our regex (a string) or medspaCy's spaCy token pattern (an array of token objects).
        string? pattern = null;
        List<string[]>? tokenForms = null;
        if (item.TryGetProperty("pattern", out var patternElement) && patternElement.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            tokenForms = TokenPattern.Expand(patternElement, ListName, index);
        }
        else
        {
            pattern = RuleJson.OptionalString(item, ListName, index, "pattern");
        }

        if (pattern is not null)
        {
            ValidatePattern(pattern, index);
        }
        else if (tokenForms is null && Tokenizer.Tokenize(literal).Count == 0)
        {
            throw RuleJson.Error(ListName, index, "literal", $"'{literal}' contains no matchable tokens");
        }

        var allowed = RuleJson.OptionalStringSet(item, ListName, index, "allowed_types");
        var excluded = RuleJson.OptionalStringSet(item, ListName, index, "excluded_types");
        if (allowed is not null && excluded is not null)
        {
            throw RuleJson.Error(ListName, index, "excluded_types", "cannot be given together with allowed_types");
        }

        var terminatedBy = Categories(RuleJson.OptionalStringSet(item, ListName, index, "terminated_by"), index, "terminated_by", validate: false);
        var terminatedByNextClause = Categories(RuleJson.OptionalStringSet(item, ListName, index, "terminated_by_next_clause"), index, "terminated_by_next_clause", validate: true);
        var terminates = RuleJson.OptionalStringSet(item, ListName, index, "terminates");
        if (terminates is not null && direction != ContextDirection.Terminate)
        {
            throw RuleJson.Error(ListName, index, "terminates", "only a TERMINATE rule can limit the categories it ends");
        }

        terminates = Categories(terminates, index, "terminates", validate: true);

        return new ContextRule(
            literal,
            category,
            direction,
            pattern,
            RuleJson.OptionalPositiveInt(item, ListName, index, "max_scope"),
            allowed,
            excluded,
            terminatedBy,
            tokenForms,
            terminates,
            terminatedByNextClause,
            RuleJson.OptionalBool(item, ListName, index, "clause_bound"));
    }

    /// <summary>A set of categories, upper-cased; with <paramref name="validate"/>, each must be a known one.</summary>
    private static HashSet<string>? Categories(HashSet<string>? set, int index, string field, bool validate)
    {
        if (set is null)
        {
            return null;
        }

        var upper = new HashSet<string>(set.Select(c => c.ToUpperInvariant()), StringComparer.Ordinal);
        if (validate && upper.FirstOrDefault(c => !ContextCategories.All.Contains(c)) is { } unknown)
        {
            throw RuleJson.Error(ListName, index, field, $"'{unknown}' is not one of {string.Join(", ", ContextCategories.All)}");
        }

        return upper;
    }

    private static void ValidatePattern(string pattern, int index)
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
}
