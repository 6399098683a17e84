using static ImagingValue.ClinicalText.Tests.TestText;

namespace ImagingValue.ClinicalText.Tests;

/// <summary>
/// ConText section handling: a section header's triggers modify every target in its section (to the next header or a
/// blank line). Past-history sections are historical, family-history sections other, instruction sections
/// hypothetical; an order's "HISTORY:"/"Hx:" (its clinical indication) and "PLAN:" modify nothing.
/// </summary>
public class SectionModifierTests
{
    [Fact]
    public void PastMedicalHistorySection_ListItems_AreHistorical_NextSectionIsNot()
    {
        const string text = "PAST MEDICAL HISTORY:\n1. Hypertension\n2. Lymphoma s/p chemotherapy\n3. Osteomyelitis of the foot\n\nHPI: LBP x 3 weeks, fever.";
        var mentions = Analyzer.Analyze(text, Reference);
        Assert.True(Assert.Single(mentions, m => m.Concept == "tumor").Assertion.Historical);
        var infections = mentions.Where(m => m.Concept == "infection").ToList();
        Assert.Equal(2, infections.Count);
        Assert.True(infections[0].Assertion.Historical);
        Assert.False(infections[1].Assertion.Historical);
        Assert.False(Assert.Single(mentions, m => m.Concept == "low_back_pain").Assertion.Historical);
    }

    [Theory]
    [InlineData("Past medical history: lymphoma, HTN.")]
    [InlineData("PMH: HTN; DM. Lymphoma in 2010.")]
    [InlineData("PAST HISTORY: HTN. Lymphoma.")]
    [InlineData("MEDICAL HISTORY: Lymphoma.")]
    [InlineData("PAST SURGICAL HISTORY: Resection of lymphoma.")]
    public void PastHistoryHeaders_MakeTheirSectionHistorical(string text) =>
        Assert.True(Only(text, "tumor").Assertion.Historical);

    [Theory]
    [InlineData("HISTORY: lymphoma staging, LBP.")]
    [InlineData("Hx: lymphoma.")]
    [InlineData("CLINICAL HISTORY: lymphoma.")]
    [InlineData("History: new lymphoma.")]
    public void IndicationHistoryHeaders_AreNotPastHistory(string text) =>
        Assert.False(Only(text, "tumor").Assertion.Historical);

    [Theory]
    [InlineData("DISCHARGE INSTRUCTIONS: Rest. Fever over 101 needs a call.")]
    [InlineData("Discharge instructions: no lifting. Fever or chills: see your doctor.")]
    [InlineData("PATIENT INSTRUCTIONS:\nTake ibuprofen with food.\nFever, chills or drainage from the wound.")]
    public void InstructionSections_AreHypothetical(string text) =>
        Assert.True(Only(text, "infection").Assertion.Hypothetical);

    [Fact]
    public void InstructionSection_EndsAtNextHeader()
    {
        var mentions = Analyzer.Analyze("DISCHARGE INSTRUCTIONS: call for fever.\nDIAGNOSIS: sacral insufficiency fracture.", Reference);
        Assert.True(Assert.Single(mentions, m => m.Concept == "infection").Assertion.Hypothetical);
        Assert.False(Assert.Single(mentions, m => m.Concept == "occult_fracture").Assertion.Hypothetical);
    }

    [Theory]
    [InlineData("PLAN: MRI sacrum for insufficiency fracture.")]
    [InlineData("Plan: treat osteomyelitis with 6 weeks of IV antibiotics.")]
    public void PlanSection_ModifiesNothing(string text)
    {
        var a = Assert.Single(Analyzer.Analyze(text, Reference)).Assertion;
        Assert.False(a.Hypothetical);
        Assert.False(a.Historical);
    }

    [Fact]
    public void FamilyHistorySection_EndsAtSocialHistory()
    {
        var mentions = Analyzer.Analyze("FAMILY HISTORY: Lymphoma in mother. SOCIAL HISTORY: IV drug use.", Reference);
        Assert.Equal(Experiencer.Other, Assert.Single(mentions, m => m.Concept == "tumor").Assertion.Experiencer);
        Assert.Equal(Experiencer.Patient, Assert.Single(mentions, m => m.Concept == "infection").Assertion.Experiencer);
    }
}
