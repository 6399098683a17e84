using static ImagingValue.ClinicalText.Tests.TestText;

namespace ImagingValue.ClinicalText.Tests;

/// <summary>Phrasings found when screening the synthetic paper cohort: where one modifier's scope must stop.</summary>
public class ScopeBoundaryTests
{
    [Theory]
    [InlineData("hx lung ca, r/o occult sacral fx", "occult sacral fx")]
    [InlineData("h/o cervical ca s/p XRT, r/o sacral insufficiency fracture", "insufficiency fracture")]
    [InlineData("hx breast ca, ?sacral insufficiency fracture", "insufficiency fracture")]
    [InlineData("s/p fall onto buttocks, ?occult sacral fracture", "occult sacral fracture")]
    public void Analyze_HistoryThenANewQuestion_QuestionIsUncertainNotHistorical(string text, string question)
    {
        var m = At(text, question);
        Assert.True(m.Assertion.Uncertain);
        Assert.False(m.Assertion.Historical);
    }

    [Fact]
    public void Analyze_HistoryThenANewQuestion_HistoryStillApplies() =>
        Assert.True(At("hx lung ca, r/o occult sacral fx", "lung ca").Assertion.Historical);

    [Theory]
    [InlineData("Sacral pain, fell as a teenager")]
    [InlineData("coccyx pain, fell on ice as a child")]
    [InlineData("tailbone injury in high school")]
    public void Analyze_LifeStageLongAgo_Historical(string text) =>
        Assert.True(Only(text, "trauma").Assertion.Historical);

    [Theory]
    [InlineData("LBP, h/o melanoma", "tumor")]
    [InlineData("lytic lesion sacrum on xray", "tumor")]
    [InlineData("LBP, PET avid sacral lesion", "tumor")]
    [InlineData("known psoriatic spondylitis, please evaluate", "inflammatory_arthritis")]
    [InlineData("sacral pressure ulcer stage 4, ?osteo", "infection")]
    [InlineData("LBP, positive blood cultures", "infection")]
    [InlineData("rear-ended 1 week ago, low back pain", "trauma")]
    [InlineData("sacrococcygeal pain x3mo", "low_back_pain")]
    public void Analyze_ConceptPhrasings_Found(string text, string concept) =>
        Assert.Contains(Analyzer.Analyze(text, Reference), m => m.Concept == concept && !m.Assertion.Negated);

    [Fact]
    public void Analyze_RearEndedOneWeekAgo_TimeAttached()
    {
        var m = Only("rear-ended 1 week ago, low back pain", "trauma");
        Assert.NotNull(m.Time);
        Assert.InRange(m.Time!.DaysBefore(Reference), 3.5, 10.5);
    }

    [Theory]
    [InlineData("No trauma, chronic low back pain")]
    [InlineData("no injury, LBP x 3 months")]
    [InlineData("denies fever, tailbone pain for 6 weeks")]
    [InlineData("without hx of trauma, tailbone pain")]
    [InlineData("LBP, fracture ruled out on xray")]
    [InlineData("mother with lymphoma, tailbone pain")]
    public void Analyze_ClauseBoundComplaintAfterAComma_NotModifiedByTheListBeforeIt(string text)
    {
        var complaint = Only(text, "low_back_pain");
        Assert.Equal(Assertion.Affirmed with { Modifiers = complaint.Assertion.Modifiers }, complaint.Assertion);
        Assert.Empty(complaint.Assertion.Modifiers);
    }

    [Theory]
    [InlineData("no low back pain", true)]
    [InlineData("denies trauma, fever", true)]
    public void Analyze_SameClauseOrUnboundConcept_StillNegated(string text, bool negated) =>
        Assert.All(Analyzer.Analyze(text, Reference), m => Assert.Equal(negated, m.Assertion.Negated));

    [Fact]
    public void FromJson_ClauseBoundField_Read()
    {
        var rules = TargetRuleSet.FromJson("""{"target_rules": [{"literal": "knee pain", "category": "knee", "clause_bound": true}]}""");
        Assert.True(Assert.Single(rules.Rules).ClauseBound);
        var analyzer = new ClinicalTextAnalyzer(ContextRuleSet.Default, rules);
        Assert.False(Assert.Single(analyzer.Analyze("no fever, knee pain")).Assertion.Negated);
    }
}
