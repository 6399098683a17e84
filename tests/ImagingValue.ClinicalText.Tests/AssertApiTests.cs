using static ImagingValue.ClinicalText.Tests.TestText;

namespace ImagingValue.ClinicalText.Tests;

public class AssertApiTests
{
    [Theory]
    [InlineData("no fever but hx breast ca", "fever", true, false)]
    [InlineData("no fever but hx breast ca", "breast ca", false, true)]
    [InlineData("Patient denies numbness", "numbness", true, false)]
    [InlineData("h/o tarlov cyst", "tarlov cyst", false, true)]
    [InlineData("tingling ruled out", "tingling", true, false)]
    public void Assert_PhraseInSentence_AssertsAnyPhrase(string sentence, string phrase, bool negated, bool historical)
    {
        var a = Analyzer.Assert(sentence, phrase);
        Assert.Equal(negated, a.Negated);
        Assert.Equal(historical, a.Historical);
    }

    [Fact]
    public void Assert_PhraseMissing_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => Analyzer.Assert("no fever", "trauma"));
        Assert.Equal("targetPhrase", ex.ParamName);
    }

    [Fact]
    public void Assert_PhraseIsCaseInsensitive() => Assert.True(Analyzer.Assert("No FEVER", "fever").Negated);

    [Fact]
    public void Assert_UncertainPhrase_ReportsEvidence()
    {
        var a = Analyzer.Assert("r/o occult sacral fx", "occult sacral fx");
        Assert.True(a.Uncertain);
        Assert.Equal(new ModifierEvidence("POSSIBLE_EXISTENCE", "r/o"), Assert.Single(a.Modifiers));
    }

    [Fact]
    public void Assert_FamilyMember_ExperiencerOther() =>
        Assert.Equal(Experiencer.Other, Analyzer.Assert("mother had breast cancer", "breast cancer").Experiencer);

    [Fact]
    public void Assert_PhraseOverlappingTrigger_NotModifiedByIt()
    {
        // "no" is inside the phrase, so it cannot negate it; "history of" before it still applies.
        var a = Analyzer.Assert("history of no show", "no show");
        Assert.False(a.Negated);
        Assert.True(a.Historical);
    }

    [Fact]
    public void Assert_PhraseInSecondSentence_UsesThatSentence() =>
        Assert.False(Analyzer.Assert("No trauma. Fever today.", "fever").Negated);

    [Fact]
    public void Assert_ConceptPhrase_RespectsAllowedTypes()
    {
        var rules = ContextRuleSet.FromJson("""{"context_rules": [{"literal": "denies", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "allowed_types": ["infection"]}]}""");
        var analyzer = new ClinicalTextAnalyzer(rules, TargetRuleSet.LowBackPainDefaults);
        Assert.True(analyzer.Assert("denies fever", "fever").Negated);
        Assert.False(analyzer.Assert("denies trauma", "trauma").Negated);
    }
}

public class ConcurrencyTests
{
    [Fact]
    public void Analyze_ManyThreads_SameResults()
    {
        string[] texts = ["LBP x 3 months, fell 2 weeks ago", "no fever but hx breast ca", "r/o occult sacral fx", "mother had breast cancer"];
        var expected = texts.Select(t => Describe(Analyzer.Analyze(t, Reference))).ToArray();
        Parallel.For(0, 2000, i =>
        {
            var k = i % texts.Length;
            Assert.Equal(expected[k], Describe(Analyzer.Analyze(texts[k], Reference)));
        });
    }

    private static string Describe(IReadOnlyList<Mention> mentions) =>
        string.Join("|", mentions.Select(m => $"{m.Concept}:{m.Start}:{m.Assertion.Negated}:{m.Assertion.Historical}:{m.Assertion.Experiencer}:{m.Time?.Earliest}"));
}
