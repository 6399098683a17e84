using static ImagingValue.ClinicalText.Tests.TestText;

namespace ImagingValue.ClinicalText.Tests;

public class ExperiencerHistoryTests
{
    [Theory]
    [InlineData("mother had breast cancer", "tumor")]
    [InlineData("family history of colon cancer", "tumor")]
    [InlineData("FHx colon ca", "tumor")]
    [InlineData("FH: prostate ca", "tumor")]
    [InlineData("father with AS", "inflammatory_arthritis")]
    [InlineData("sister with lymphoma", "tumor")]
    [InlineData("brother has ankylosing spondylitis", "inflammatory_arthritis")]
    [InlineData("aunt with ovarian ca", "tumor")]
    [InlineData("uncle had myeloma", "tumor")]
    [InlineData("grandmother with leukemia", "tumor")]
    [InlineData("grandfather had prostate cancer", "tumor")]
    [InlineData("cousin with sarcoma", "tumor")]
    [InlineData("son has psoriatic arthritis", "inflammatory_arthritis")]
    [InlineData("daughter with RA", "inflammatory_arthritis")]
    [InlineData("pt's mother had lymphoma", "tumor")]
    [InlineData("Pt's father: colon ca", "tumor")]
    [InlineData("breast cancer in her mother", "tumor")]
    [InlineData("lymphoma in paternal uncle", "tumor")]
    public void Analyze_RelativeOrFamilyHistory_ExperiencerOther(string text, string concept)
    {
        var m = Only(text, concept);
        Assert.Equal(Experiencer.Other, m.Assertion.Experiencer);
        Assert.Contains(m.Assertion.Modifiers, e => e.Category == "FAMILY");
    }

    [Fact]
    public void Analyze_FamilyHistoryHeader_ScopesWholeSection()
    {
        var text = "FAMILY HISTORY: breast cancer. Colon ca in grandfather.\nINDICATION: LBP x 3 months";
        var mentions = Analyzer.Analyze(text, Reference);
        Assert.All(mentions.Where(m => m.Concept == "tumor"), m => Assert.Equal(Experiencer.Other, m.Assertion.Experiencer));
        Assert.Equal(2, mentions.Count(m => m.Concept == "tumor"));
        var lbp = Assert.Single(mentions, m => m.Concept == "low_back_pain");
        Assert.Equal(Experiencer.Patient, lbp.Assertion.Experiencer);
        Assert.Equal(new ModifierEvidence("FAMILY", "FAMILY HISTORY"), mentions[0].Assertion.Modifiers[0]);
    }

    [Fact]
    public void Analyze_FamilyHistorySectionEndsAtBlankLine() =>
        Assert.Equal(Experiencer.Patient, Only("FAMILY HISTORY: colon ca\n\nLBP", "low_back_pain").Assertion.Experiencer);

    [Fact]
    public void Analyze_PatientOwnCancer_ExperiencerPatient() =>
        Assert.Equal(Experiencer.Patient, Only("hx breast ca", "tumor").Assertion.Experiencer);

    // A relative named after the item ("... in father") reaches back over its own clause only: the patient's symptom
    // before a comma stays the patient's ("headaches, FHx brain tumor in father" read the headaches as the father's).
    [Theory]
    [InlineData("LBP, breast cancer in her mother")]
    [InlineData("low back pain, FHx colon ca in father")]
    public void Analyze_RelativeNamedAfter_DoesNotReachBackOverComma(string text)
    {
        Assert.Equal(Experiencer.Patient, Only(text, "low_back_pain").Assertion.Experiencer);
        Assert.Equal(Experiencer.Other, Only(text, "tumor").Assertion.Experiencer);
    }

    [Fact]
    public void Analyze_MotherAfterPatientSymptom_DoesNotReachBack() =>
        Assert.Equal(Experiencer.Patient, Only("LBP, mother had breast cancer", "low_back_pain").Assertion.Experiencer);

    [Theory]
    [InlineData("hx of breast ca", "tumor")]
    [InlineData("h/o lymphoma", "tumor")]
    [InlineData("history of prostate cancer", "tumor")]
    [InlineData("hx breast ca", "tumor")]
    [InlineData("s/p fall", "trauma")]
    [InlineData("status post MVC", "trauma")]
    [InlineData("prior fracture", "fracture")]
    [InlineData("previous osteomyelitis", "infection")]
    [InlineData("remote trauma", "trauma")]
    [InlineData("old fracture", "fracture")]
    [InlineData("fracture in the past", "fracture")]
    [InlineData("PMH breast ca", "tumor")]
    [InlineData("PMHx: lymphoma", "tumor")]
    [InlineData("MVC 10 years ago", "trauma")]
    [InlineData("h/o ca", "tumor")]
    public void Analyze_HistoryTrigger_MarksHistoricalOnly(string text, string concept)
    {
        var m = Only(text, concept);
        Assert.True(m.Assertion.Historical);
        Assert.False(m.Assertion.Negated);
        Assert.Equal(Experiencer.Patient, m.Assertion.Experiencer);
    }

    [Theory]
    [InlineData("LBP prior to fall")]
    [InlineData("80 year old with LBP")]
    [InlineData("fell 2 days prior, now LBP")]
    [InlineData("prior MRI normal, persistent LBP")]
    [InlineData("LBP over last month")]
    public void Analyze_HistoryLookalike_NotHistorical(string text) =>
        Assert.False(Only(text, "low_back_pain").Assertion.Historical);

    [Theory]
    [InlineData("Return if fever", "infection")]
    [InlineData("if fever develops", "infection")]
    [InlineData("in case of fracture", "fracture")]
    [InlineData("should fever develop", "infection")]
    [InlineData("should there be fever, return", "infection")]
    [InlineData("MRI if LBP persists", "low_back_pain")]
    public void Analyze_HypotheticalTrigger_MarksHypothetical(string text, string concept)
    {
        var m = Only(text, concept);
        Assert.True(m.Assertion.Hypothetical);
        Assert.False(m.Assertion.Negated);
    }

    [Fact]
    public void Analyze_FamilyAndNegation_Combine()
    {
        var m = Only("no family history of cancer", "tumor");
        Assert.True(m.Assertion.Negated);
        Assert.Equal(Experiencer.Other, m.Assertion.Experiencer);
        Assert.Equal(2, m.Assertion.Modifiers.Count);
        Assert.Equal("no", m.Assertion.Modifiers[0].Text);
    }
}
