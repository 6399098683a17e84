namespace ImagingValue.ClinicalText.Tests;

/// <summary>
/// medspaCy's published <c>resources/context_rules.json</c> (MIT; copy and provenance in <c>TestData/medspacy</c>)
/// loads unchanged and behaves as its rules say — the issue requires that a site can drop in medspaCy's file.
/// </summary>
public class MedspacyRuleFileTests
{
    private static readonly string Json =
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "medspacy", "context_rules.json"));

    private static readonly ClinicalTextAnalyzer Analyzer =
        new(ContextRuleSet.FromJson(Json), TargetRuleSet.LowBackPainDefaults);

    [Fact]
    public void PublishedFile_LoadsEveryRule()
    {
        var set = ContextRuleSet.FromJson(Json);
        Assert.Equal(95, set.Rules.Count);
        Assert.Equal(12, set.Rules.Count(r => r.Direction == ContextDirection.Terminate));
        Assert.Contains(set.Rules, r => r.Literal == "no evidence" && r.Category == ContextCategories.NegatedExistence);
    }

    [Theory]
    [InlineData("No evidence of fracture.", "fracture", "negated")]
    [InlineData("No new radiographic evidence of fracture.", "fracture", "negated")]
    [InlineData("Fracture has been ruled out.", "Fracture", "negated")]
    [InlineData("Patient denied fever.", "fever", "negated")]
    [InlineData("Pain free since surgery.", "Pain", "negated")]
    [InlineData("Return if fever develops.", "fever", "hypothetical")]
    [InlineData("Come back to clinic for fever.", "fever", "hypothetical")]
    [InlineData("Should he develop fever, call.", "fever", "hypothetical")]
    [InlineData("History of lymphoma.", "lymphoma", "historical")]
    [InlineData("Past medical history: lymphoma.", "lymphoma", "historical")]
    [InlineData("Possible fracture.", "fracture", "uncertain")]
    [InlineData("Mother's lymphoma.", "lymphoma", "other")]
    [InlineData("Mother with lymphoma.", "lymphoma", "other")]
    [InlineData("No fever but lymphoma.", "lymphoma", "affirmed")]
    public void PublishedFile_AssertsAsItsRulesSay(string sentence, string target, string expected)
    {
        var a = Analyzer.Assert(sentence, target);
        var actual = a.Negated ? "negated"
            : a.Hypothetical ? "hypothetical"
            : a.Historical ? "historical"
            : a.Uncertain ? "uncertain"
            : a.Experiencer == Experiencer.Other ? "other"
            : "affirmed";
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TokenPattern_OptionalTokens_ExpandToEveryForm()
    {
        // "no (new|other)? (mammographic|radiographic)? evidence (of|for)?" is 3 x 3 x 3 = 27 phrases.
        var rule = Assert.Single(ContextRuleSet.FromJson(Json).Rules, r => r.Literal == "no evidence");
        Assert.Equal(27, rule.TokenForms!.Count);
        Assert.Contains(rule.TokenForms, f => string.Join(' ', f) == "no evidence");
        Assert.Contains(rule.TokenForms, f => string.Join(' ', f) == "no other radiographic evidence for");
    }

    [Theory]
    [InlineData("""{"context_rules": [{"literal": "x", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "pattern": [{"LOWER": "no", "OP": "*"}]}]}""", "context_rules[0].pattern[0].OP")]
    [InlineData("""{"context_rules": [{"literal": "x", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "pattern": [{"LEMMA": "deny"}]}]}""", "context_rules[0].pattern[0].LEMMA")]
    [InlineData("""{"context_rules": [{"literal": "x", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "pattern": [{"LOWER": "no"}, {"LOWER": {"IN": "new"}}]}]}""", "context_rules[0].pattern[1].LOWER")]
    [InlineData("""{"context_rules": [{"literal": "x", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "pattern": [{"LOWER": "'"}]}]}""", "context_rules[0].pattern")]
    [InlineData("""{"context_rules": [{"literal": "x", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "pattern": []}]}""", "context_rules[0].pattern")]
    [InlineData("""{"context_rules": [{"literal": "x", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "pattern": ["no"]}]}""", "context_rules[0].pattern[0]")]
    [InlineData("""{"context_rules": [{"literal": "x", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "terminates": ["HISTORICAL"]}]}""", "context_rules[0].terminates")]
    [InlineData("""{"context_rules": [{"literal": "x", "direction": "TERMINATE", "terminates": ["PAST"]}]}""", "context_rules[0].terminates")]
    [InlineData("""{"context_rules": [{"literal": "x", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "terminated_by_next_clause": ["PAST"]}]}""", "context_rules[0].terminated_by_next_clause")]
    public void TokenPattern_BadInput_NamesRuleAndField(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => ContextRuleSet.FromJson(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Terminates_EndsOnlyTheNamedCategories()
    {
        const string json = """
            {"context_rules": [
              {"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD"},
              {"literal": "hx of", "category": "HISTORICAL", "direction": "FORWARD"},
              {"literal": "recent", "direction": "TERMINATE", "terminates": ["HISTORICAL"]}]}
            """;
        var analyzer = TestText.WithContextRules(json);
        Assert.True(analyzer.Assert("no recent fever", "fever").Negated);
        Assert.False(analyzer.Assert("hx of recent fever", "fever").Historical);
        Assert.True(analyzer.Assert("hx of fever", "fever").Historical);
    }

    [Fact]
    public void TerminatedByNextClause_EndsTheScopeOnlyAfterAComma()
    {
        const string json = """
            {"context_rules": [
              {"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "terminated_by_next_clause": ["HISTORICAL"]},
              {"literal": "denies", "category": "NEGATED_EXISTENCE", "direction": "FORWARD"},
              {"literal": "hx of", "category": "HISTORICAL", "direction": "FORWARD"}]}
            """;
        var analyzer = TestText.WithContextRules(json);
        Assert.False(analyzer.Assert("no trauma, hx of breast cancer", "breast cancer").Negated);
        Assert.True(analyzer.Assert("no hx of breast cancer", "breast cancer").Negated);
        Assert.True(analyzer.Assert("denies trauma, hx of breast cancer", "breast cancer").Negated);
    }
}
