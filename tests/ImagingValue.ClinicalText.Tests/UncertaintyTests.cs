using static ImagingValue.ClinicalText.Tests.TestText;

namespace ImagingValue.ClinicalText.Tests;

public class UncertaintyTests
{
    [Theory]
    [InlineData("r/o occult sacral fx", "occult_fracture")]
    [InlineData("R/O fracture", "fracture")]
    [InlineData("rule out fracture", "fracture")]
    [InlineData("?fracture", "fracture")]
    [InlineData("? sacroiliitis", "inflammatory_arthritis")]
    [InlineData("concern for metastasis", "tumor")]
    [InlineData("possible fracture", "fracture")]
    [InlineData("possibly infection", "infection")]
    [InlineData("probable sacroiliitis", "inflammatory_arthritis")]
    [InlineData("suspected insufficiency fracture", "occult_fracture")]
    [InlineData("insufficiency fracture suspected", "occult_fracture")]
    [InlineData("suspicious for malignancy", "tumor")]
    [InlineData("question of discitis", "infection")]
    [InlineData("questionable fracture", "fracture")]
    [InlineData("fracture cannot be excluded", "fracture")]
    [InlineData("occult fracture cannot be ruled out", "occult_fracture")]
    [InlineData("eval for infection", "infection")]
    [InlineData("evaluate for osteomyelitis", "infection")]
    [InlineData("worrisome for tumor", "tumor")]
    [InlineData("differential includes metastasis", "tumor")]
    [InlineData("MRI to exclude fracture", "fracture")]
    [InlineData("fracture is possible", "fracture")]
    [InlineData("ddx sacroiliitis", "inflammatory_arthritis")]
    [InlineData("likely stress fracture", "occult_fracture")]
    public void Analyze_UncertaintyTrigger_MarksUncertainNotNegated(string text, string concept)
    {
        var m = Only(text, concept);
        Assert.True(m.Assertion.Uncertain);
        Assert.False(m.Assertion.Negated);
    }

    // "r/o X, hx of Y": the history after the comma is a new item, not part of the question (as for "no X, hx of Y").
    [Theory]
    [InlineData("r/o mets, hx of breast ca", "breast ca")]
    [InlineData("rule out fracture, h/o lymphoma", "lymphoma")]
    public void Analyze_RuleOutThenHistoryAfterComma_HistoryIsNotUncertain(string text, string history)
    {
        var m = At(text, history);
        Assert.True(m.Assertion.Historical);
        Assert.False(m.Assertion.Uncertain);
    }

    [Fact]
    public void Analyze_RuleOutThenHistoryAfterComma_RuledOutItemStillUncertain() =>
        Assert.True(At("r/o fracture, hx of breast ca", "fracture").Assertion.Uncertain);

    [Fact]
    public void Analyze_NotRuledOut_IsUncertainNotNegated()
    {
        var m = Only("fracture not ruled out", "fracture");
        Assert.True(m.Assertion.Uncertain);
        Assert.False(m.Assertion.Negated);
        Assert.Equal("not ruled out", Assert.Single(m.Assertion.Modifiers).Text);
    }

    [Theory]
    [InlineData("fracture vs tumor")]
    [InlineData("fracture versus tumor")]
    public void Analyze_Versus_MarksBothSidesUncertain(string text)
    {
        Assert.True(Only(text, "fracture").Assertion.Uncertain);
        Assert.True(Only(text, "tumor").Assertion.Uncertain);
    }

    [Fact]
    public void Analyze_RuleOutOccultSacralFx_PrefersLongestConcept()
    {
        var m = Only("r/o occult sacral fx", "occult_fracture");
        Assert.Equal("occult sacral fx", m.MatchedText);
        Assert.DoesNotContain(Analyzer.Analyze("r/o occult sacral fx", Reference), x => x.Concept == "fracture");
        Assert.Equal(new ModifierEvidence("POSSIBLE_EXISTENCE", "r/o"), Assert.Single(m.Assertion.Modifiers));
    }

    [Fact]
    public void Analyze_QuestionMarkScope_IsShort()
    {
        var text = "?fracture with chronic pain and LBP";
        Assert.True(At(text, "fracture").Assertion.Uncertain);
        Assert.False(At(text, "LBP").Assertion.Uncertain);
    }

    [Fact]
    public void Analyze_UncertaintyThenBut_LaterTargetCertain()
    {
        var text = "possible fracture but definite LBP";
        Assert.True(At(text, "fracture").Assertion.Uncertain);
        Assert.False(At(text, "LBP").Assertion.Uncertain);
    }

    [Fact]
    public void Analyze_LowBackPainEvaluation_IsNotUncertain() =>
        Assert.False(Only("MRI for eval of LBP", "low_back_pain").Assertion.Uncertain);
}
