namespace ImagingValue.ClinicalText.Tests;

/// <summary>Concepts named by a symptom and a site in either order (target rules with <c>any_order</c>).</summary>
public class AnyOrderTests
{
    private static readonly ClinicalTextAnalyzer Analyzer = new(ContextRuleSet.Default, TargetRuleSet.FromJson("""
        {"target_rules": [
          {"literal": "knee symptom and site", "category": "knee_pain", "clause_bound": true,
           "any_order": [["pain", "ache", "discomfort"], ["knee", "kneecap", "left knee"]],
           "between": ["in", "the", "of", "area", "left", "right"], "max_between": 2},
          {"literal": "knee pain", "category": "knee_pain_phrase"},
          {"literal": "upper knee pain", "category": "IGNORE"}
        ]}
        """));

    [Theory]
    [InlineData("ache in the knee", "ache in the knee")]
    [InlineData("knee area discomfort", "knee area discomfort")]
    [InlineData("Discomfort of left knee, 3 weeks", "Discomfort of left knee")]
    [InlineData("kneecap pain", "kneecap pain")]
    public void Analyze_SymptomAndSiteEitherOrder_OneMentionOverBoth(string text, string matched)
    {
        var mention = Assert.Single(Analyzer.Analyze(text), m => m.Concept == "knee_pain");
        Assert.Equal(matched, mention.MatchedText);
        Assert.Equal(text.IndexOf(matched, StringComparison.Ordinal), mention.Start);
    }

    [Theory]
    [InlineData("pain after knee surgery")]           // a word that is not a linking word
    [InlineData("ache in the area of the knee")]      // too many words between
    [InlineData("knee, hip pain")]                    // punctuation ends the pairing
    [InlineData("knee pain")]                         // a fixed phrase of another concept wins
    [InlineData("upper knee pain")]                   // so does an IGNORE phrase
    public void Analyze_NoPairing_NoMention(string text) =>
        Assert.DoesNotContain(Analyzer.Analyze(text), m => m.Concept == "knee_pain");

    [Fact]
    public void Analyze_PairingIsAssertedLikeAnyMention()
    {
        Assert.True(Assert.Single(Analyzer.Analyze("no discomfort in the knee")).Assertion.Negated);
        Assert.Equal(Experiencer.Other, Assert.Single(Analyzer.Analyze("mother has ache in the knee")).Assertion.Experiencer);
    }

    [Fact]
    public void Analyze_PairingsInOrderWithOtherMentions()
    {
        var mentions = Analyzer.Analyze("knee pain; ache in the kneecap");
        Assert.Equal(["knee_pain_phrase", "knee_pain"], mentions.Select(m => m.Concept));
    }
}
