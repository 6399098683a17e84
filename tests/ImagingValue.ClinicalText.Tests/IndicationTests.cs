using static ImagingValue.ClinicalText.Tests.TestText;

namespace ImagingValue.ClinicalText.Tests;

/// <summary>Whole indications as clinicians write them, checked mention by mention.</summary>
public class IndicationTests
{
    [Fact]
    public void Analyze_MultiSentenceIndication_EveryMentionAsserted()
    {
        const string text = "INDICATION: Chronic low back pain x 6 months. No trauma, no fever. Hx of prostate ca s/p prostatectomy.";
        var mentions = Analyzer.Analyze(text, Reference);
        Assert.Equal(["low_back_pain", "trauma", "infection", "tumor"], mentions.Select(m => m.Concept).ToArray());
        Assert.False(mentions[0].Assertion.Negated);
        Assert.InRange(mentions[0].Time!.DaysBefore(Reference), 170, 195);
        Assert.True(mentions[1].Assertion.Negated);
        Assert.True(mentions[2].Assertion.Negated);
        Assert.True(mentions[3].Assertion.Historical);
        Assert.False(mentions[3].Assertion.Negated);
    }

    [Fact]
    public void Analyze_FallThenQueryFracture_TimeOnFallOnly()
    {
        const string text = "Sacral pain after fall on ice 2 days ago, ?sacral insufficiency fx";
        Assert.InRange(At(text, "fall").Time!.DaysBefore(Reference), 1.9, 2.1);
        Assert.Null(At(text, "Sacral pain").Time);
        var fx = Only(text, "occult_fracture");
        Assert.True(fx.Assertion.Uncertain);
        Assert.Null(fx.Time);
    }

    [Fact]
    public void Analyze_HistoryScope_DoesNotRunThroughLaterNegatedList()
    {
        const string text = "no hx of ca, no wt loss, no fevers.";
        Assert.True(Only(text, "tumor").Assertion.Historical);
        var fevers = Only(text, "infection");
        Assert.True(fevers.Assertion.Negated);
        Assert.False(fevers.Assertion.Historical);
    }

    [Fact]
    public void Analyze_FamilyHistoryListThenHpi_OnlyListIsOther()
    {
        const string text = "FAMILY HISTORY:\nMother - breast cancer\nFather - colon ca\nHPI: LBP for 3 months";
        var mentions = Analyzer.Analyze(text, Reference);
        Assert.Equal(2, mentions.Count(m => m.Concept == "tumor" && m.Assertion.Experiencer == Experiencer.Other));
        var lbp = Assert.Single(mentions, m => m.Concept == "low_back_pain");
        Assert.Equal(Experiencer.Patient, lbp.Assertion.Experiencer);
        Assert.NotNull(lbp.Time);
    }

    [Fact]
    public void Analyze_DateWithoutPreposition_StillResolved() =>
        Assert.Equal(new DateTime(2014, 10, 12), At("pt fell 10/12/2014, coccyx pain since", "fell").Time!.Earliest);

    [Fact]
    public void Analyze_ForThePastMonths_ResolvesDurationStart()
    {
        var m = Only("pain in the lower back for the past 3 months, not improving with PT", "low_back_pain");
        Assert.Equal("for the past 3 months", m.Time!.Text);
        Assert.False(m.Assertion.Negated);
        Assert.False(m.Assertion.Historical);
    }

    [Fact]
    public void Analyze_RuleOutInfectionVsTumor_BothUncertain()
    {
        var mentions = Analyzer.Analyze("Low back pain. Rule out infection vs tumor.", Reference);
        Assert.False(mentions[0].Assertion.Uncertain);
        Assert.True(mentions[1].Assertion.Uncertain);
        Assert.True(mentions[2].Assertion.Uncertain);
    }

    [Fact]
    public void Analyze_FamilyThenPatientAfterSemicolon_PatientKept()
    {
        var mentions = Analyzer.Analyze("Mother with breast ca; pt with LBP", Reference);
        Assert.Equal(Experiencer.Other, mentions[0].Assertion.Experiencer);
        Assert.Equal(Experiencer.Patient, mentions[1].Assertion.Experiencer);
    }

    [Fact]
    public void Analyze_HypotheticalDoesNotLeakIntoNextSentence()
    {
        var mentions = Analyzer.Analyze("Return if fever. Fell yesterday.", Reference);
        Assert.True(mentions[0].Assertion.Hypothetical);
        Assert.False(mentions[1].Assertion.Hypothetical);
        Assert.NotNull(mentions[1].Time);
    }

    [Fact]
    public void Analyze_SameTextTwice_SameMentions()
    {
        const string text = "LBP x 3 months, fell 2 weeks ago. no fever but hx breast ca";
        Assert.Equal(Analyzer.Analyze(text, Reference).Select(m => m.ToString()), Analyzer.Analyze(text, Reference).Select(m => m.ToString()));
    }
}
