namespace ImagingValue.ClinicalText.Tests;

public class RuleLoadingTests
{
    [Fact]
    public void Default_LoadsEmbeddedRules()
    {
        Assert.True(ContextRuleSet.Default.Rules.Count > 100);
        Assert.Contains(ContextRuleSet.Default.Rules, r => r.Literal == "no" && r.Direction == ContextDirection.Forward);
        Assert.Contains(ContextRuleSet.Default.Rules, r => r.Direction == ContextDirection.Pseudo);
        Assert.Contains(ContextRuleSet.Default.Rules, r => r.Direction == ContextDirection.Terminate);
    }

    [Fact]
    public void LowBackPainDefaults_CoverEveryConcept()
    {
        var concepts = TargetRuleSet.LowBackPainDefaults.Rules.Select(r => r.Category).ToHashSet();
        foreach (var c in new[] { "low_back_pain", "tumor", "infection", "inflammatory_arthritis", "trauma", "fracture", "occult_fracture" })
        {
            Assert.Contains(c, concepts);
        }
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("""{"rules": []}""", "\"context_rules\" array")]
    [InlineData("""{"context_rules": [42]}""", "context_rules[0]")]
    [InlineData("""{"context_rules": [{"category": "NEGATED_EXISTENCE", "direction": "FORWARD"}]}""", "context_rules[0].literal")]
    [InlineData("""{"context_rules": [{"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD"}, {"literal": "x", "category": "NEGATED_EXISTENCE", "direction": "SIDEWAYS"}]}""", "context_rules[1].direction")]
    [InlineData("""{"context_rules": [{"literal": "no", "category": "NOPE", "direction": "FORWARD"}]}""", "context_rules[0].category")]
    [InlineData("""{"context_rules": [{"literal": "no", "direction": "FORWARD"}]}""", "context_rules[0].category")]
    [InlineData("""{"context_rules": [{"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "max_scope": 0}]}""", "context_rules[0].max_scope")]
    [InlineData("""{"context_rules": [{"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "max_scope": "5"}]}""", "context_rules[0].max_scope")]
    [InlineData("""{"context_rules": [{"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "pattern": "(unclosed"}]}""", "context_rules[0].pattern")]
    [InlineData("""{"context_rules": [{"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "allowed_types": "tumor"}]}""", "context_rules[0].allowed_types")]
    [InlineData("""{"context_rules": [{"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "allowed_types": ["a"], "excluded_types": ["b"]}]}""", "context_rules[0].excluded_types")]
    [InlineData("""{"context_rules": [{"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "maxscope": 3}]}""", "context_rules[0].maxscope")]
    [InlineData("""{"context_rules": [{"literal": "...", "category": "NEGATED_EXISTENCE", "direction": "FORWARD"}]}""", "context_rules[0].literal")]
    [InlineData("""{"context_rules": [{"literal": "no", "category": 3, "direction": "FORWARD"}]}""", "context_rules[0].category")]
    public void ContextRuleSet_FromJson_BadInput_NamesRuleAndField(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => ContextRuleSet.FromJson(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"target_rules": [{"literal": "x"}]}""", "target_rules[0].category")]
    [InlineData("""{"target_rules": [{"category": "x"}]}""", "target_rules[0].literal")]
    [InlineData("""{"target_rules": [{"literal": "a", "category": "c"}, {"literal": "b", "category": "c", "case_sensitive": "yes"}]}""", "target_rules[1].case_sensitive")]
    [InlineData("""{"target_rules": [{"literal": "a", "category": "c", "pattern": "[a-"}]}""", "target_rules[0].pattern")]
    [InlineData("""{"target_rules": {}}""", "\"target_rules\" array")]
    [InlineData("""{"target_rules": [{"literal": "a", "category": "c", "any_order": [["pain"]]}]}""", "target_rules[0].any_order: must be two arrays of phrases")]
    [InlineData("""{"target_rules": [{"literal": "a", "category": "c", "any_order": [["pain"], []]}]}""", "target_rules[0].any_order: must be two arrays of phrases")]
    [InlineData("""{"target_rules": [{"literal": "a", "category": "c", "any_order": [["pain"], ["..."]]}]}""", "target_rules[0].any_order: must be two arrays of phrases, e.g. [[\"pain\", \"ache\"], [\"tailbone\", \"lumbar area\"]]; '...' has no words")]
    [InlineData("""{"target_rules": [{"literal": "a", "category": "c", "any_order": [["pain"], ["back"]], "pattern": "x"}]}""", "target_rules[0].any_order: a rule has a pattern or any_order, not both")]
    [InlineData("""{"target_rules": [{"literal": "a", "category": "c", "any_order": [["pain"], ["back"]], "max_between": 0}]}""", "target_rules[0].max_between")]
    public void TargetRuleSet_FromJson_BadInput_NamesRuleAndField(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => TargetRuleSet.FromJson(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContextRuleSet_FromJson_ReadsEveryField()
    {
        var set = ContextRuleSet.FromJson("""
            {"context_rules": [{"literal": "nix", "category": "negated_existence", "direction": "backward", "max_scope": 2,
              "allowed_types": ["tumor"], "terminated_by": ["historical"], "metadata": {"source": "site"}}]}
            """);
        var r = Assert.Single(set.Rules);
        Assert.Equal("NEGATED_EXISTENCE", r.Category);
        Assert.Equal(ContextDirection.Backward, r.Direction);
        Assert.Equal(2, r.MaxScope);
        Assert.Contains("tumor", r.AllowedTypes!);
        Assert.Contains("HISTORICAL", r.TerminatedBy!);
    }

    [Fact]
    public void Concat_SiteTrigger_AppliesWithoutCode()
    {
        var site = ContextRuleSet.FromJson("""{"context_rules": [{"literal": "nixed", "category": "NEGATED_EXISTENCE", "direction": "BACKWARD"}]}""");
        var combined = ContextRuleSet.Default.Concat(site);
        Assert.Equal(ContextRuleSet.Default.Rules.Count + 1, combined.Rules.Count);
        Assert.False(Assert.Single(TestText.Analyzer.Analyze("fracture nixed")).Assertion.Negated);
        var analyzer = new ClinicalTextAnalyzer(combined, TargetRuleSet.LowBackPainDefaults);
        Assert.True(Assert.Single(analyzer.Analyze("fracture nixed")).Assertion.Negated);
    }

    [Fact]
    public void Concat_SiteTarget_FoundWithoutCode()
    {
        var site = TargetRuleSet.FromJson("""{"target_rules": [{"literal": "Paget disease", "category": "paget"}]}""");
        var analyzer = new ClinicalTextAnalyzer(ContextRuleSet.Default, TargetRuleSet.LowBackPainDefaults.Concat(site));
        Assert.True(Assert.Single(analyzer.Analyze("no paget disease")).Assertion.Negated);
    }

    [Fact]
    public void AllowedTypes_LimitWhatATriggerModifies()
    {
        var rules = ContextRuleSet.FromJson("""{"context_rules": [{"literal": "denies", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "allowed_types": ["infection"]}]}""");
        var analyzer = new ClinicalTextAnalyzer(rules, TargetRuleSet.LowBackPainDefaults);
        var mentions = analyzer.Analyze("denies fever and trauma");
        Assert.True(Assert.Single(mentions, m => m.Concept == "infection").Assertion.Negated);
        Assert.False(Assert.Single(mentions, m => m.Concept == "trauma").Assertion.Negated);
    }

    [Fact]
    public void ExcludedTypes_KeepATriggerOffAConcept()
    {
        var rules = ContextRuleSet.FromJson("""{"context_rules": [{"literal": "denies", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "excluded_types": ["infection"]}]}""");
        var analyzer = new ClinicalTextAnalyzer(rules, TargetRuleSet.LowBackPainDefaults);
        var mentions = analyzer.Analyze("denies fever and trauma");
        Assert.False(Assert.Single(mentions, m => m.Concept == "infection").Assertion.Negated);
        Assert.True(Assert.Single(mentions, m => m.Concept == "trauma").Assertion.Negated);
    }

    [Fact]
    public void TerminatedBy_EndsScopeAtOtherCategory()
    {
        const string json = """
            {"context_rules": [
              {"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "terminated_by": ["HISTORICAL"]},
              {"literal": "hx", "category": "HISTORICAL", "direction": "FORWARD"}]}
            """;
        var analyzer = TestText.WithContextRules(json);
        var mentions = analyzer.Analyze("no fever hx lymphoma");
        Assert.True(Assert.Single(mentions, m => m.Concept == "infection").Assertion.Negated);
        Assert.False(Assert.Single(mentions, m => m.Concept == "tumor").Assertion.Negated);
    }

    [Fact]
    public void SameCategoryTrigger_RestartsScope()
    {
        const string json = """
            {"context_rules": [
              {"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "max_scope": 3},
              {"literal": "denies", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "max_scope": 1}]}
            """;
        var analyzer = TestText.WithContextRules(json);
        // "no" would reach "fever" (3 words) but "denies" restarts the scope with its own max of 1 word.
        var mentions = analyzer.Analyze("no denies chills fever");
        Assert.False(Assert.Single(mentions).Assertion.Negated);
    }

    [Fact]
    public void PatternRule_MatchesOnTokens()
    {
        var targets = TargetRuleSet.FromJson("""{"target_rules": [{"literal": "T-level", "category": "level", "pattern": "t1[0-2]"}]}""");
        var analyzer = new ClinicalTextAnalyzer(ContextRuleSet.Default, targets);
        var m = Assert.Single(analyzer.Analyze("no T11 lesion"));
        Assert.Equal("T11", m.MatchedText);
        Assert.True(m.Assertion.Negated);
        Assert.Empty(analyzer.Analyze("T111"));
    }

    [Fact]
    public void CaseSensitiveRule_OnlyMatchesAsWritten()
    {
        var targets = TargetRuleSet.FromJson("""{"target_rules": [{"literal": "MS", "category": "ms", "case_sensitive": true}]}""");
        var analyzer = new ClinicalTextAnalyzer(ContextRuleSet.Default, targets);
        Assert.Single(analyzer.Analyze("hx MS"));
        Assert.Empty(analyzer.Analyze("ms smith"));
    }
}
