namespace ImagingValue.ClinicalText.Tests;

/// <summary>One shared analyzer (it is thread-safe) and a fixed order time.</summary>
internal static class TestText
{
    public static readonly DateTime Reference = new(2015, 3, 17, 14, 18, 0, DateTimeKind.Unspecified);

    public static ClinicalTextAnalyzer Analyzer { get; } =
        new(ContextRuleSet.Default, TargetRuleSet.LowBackPainDefaults);

    /// <summary>An analyzer with the context rules of <paramref name="json"/> (medspaCy's shape) and the shipped targets.</summary>
    public static ClinicalTextAnalyzer WithContextRules(string json) =>
        new(ContextRuleSet.FromJson(json), TargetRuleSet.LowBackPainDefaults);

    /// <summary>The only mention of <paramref name="concept"/> in <paramref name="text"/>.</summary>
    public static Mention Only(string text, string concept) =>
        Xunit.Assert.Single(Analyzer.Analyze(text, Reference), m => m.Concept == concept);

    /// <summary>The mention whose matched text is <paramref name="matched"/>.</summary>
    public static Mention At(string text, string matched) =>
        Xunit.Assert.Single(Analyzer.Analyze(text, Reference), m => string.Equals(m.MatchedText, matched, StringComparison.OrdinalIgnoreCase));
}
