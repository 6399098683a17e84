using static ImagingValue.ClinicalText.Tests.TestText;

namespace ImagingValue.ClinicalText.Tests;

public class NegationTests
{
    [Theory]
    [InlineData("no trauma", "trauma")]
    [InlineData("No history of trauma.", "trauma")]
    [InlineData("denies fever, chills", "infection")]
    [InlineData("negative for malignancy", "tumor")]
    [InlineData("without fever", "infection")]
    [InlineData("w/o fever", "infection")]
    [InlineData("fracture ruled out", "fracture")]
    [InlineData("Fracture has been ruled out.", "fracture")]
    [InlineData("No evidence of osteomyelitis", "infection")]
    [InlineData("Patient denies any fall", "trauma")]
    [InlineData("no recent trauma", "trauma")]
    [InlineData("Fever denied.", "infection")]
    [InlineData("HLA-B27 negative", "inflammatory_arthritis")]
    [InlineData("absence of fever", "infection")]
    [InlineData("free of malignancy", "tumor")]
    [InlineData("fever resolved", "infection")]
    [InlineData("NO TRAUMA", "trauma")]
    [InlineData("no h/o trauma", "trauma")]
    [InlineData("pt is not febrile", "infection")]
    public void Analyze_NegationTrigger_MarksNegated(string text, string concept)
    {
        var m = Only(text, concept);
        Assert.True(m.Assertion.Negated);
        Assert.Contains(m.Assertion.Modifiers, e => e.Category == "NEGATED_EXISTENCE");
    }

    // An order-entry template's answer: "N" negates its own item only, "Y" affirms.
    [Theory]
    [InlineData("Trauma: N. Fever: Y.", "Fever")]
    [InlineData("Fever: Y, Trauma: N", "Fever")]
    [InlineData("Fever: Y, IVDU: N", "Fever")]
    public void Analyze_TemplateAnswerYes_NotNegated(string text, string matched) =>
        Assert.False(At(text, matched).Assertion.Negated);

    [Theory]
    [InlineData("denies fever, chills, night sweats, weight loss, IVDU", "IVDU")]
    [InlineData("No fever or osteomyelitis", "osteomyelitis")]
    [InlineData("Trauma: N. Fever: N. Wt loss: N.", "Trauma")]
    [InlineData("Trauma: N. Fever: N. Wt loss: N.", "Wt loss")]
    [InlineData("Fever: N, IVDU: N, LBP x 10 days", "Fever")]
    [InlineData("Fever: N, IVDU: N, LBP x 10 days", "IVDU")]
    [InlineData("Fever: no, wt loss: no", "Fever")]
    public void Analyze_ListAfterNegation_NegatesEveryItem(string text, string matched) =>
        Assert.True(At(text, matched).Assertion.Negated);

    [Fact]
    public void Analyze_NoHistoryOf_IsNegatedAndHistorical()
    {
        var m = Only("No history of trauma.", "trauma");
        Assert.True(m.Assertion.Negated);
        Assert.True(m.Assertion.Historical);
    }

    [Fact]
    public void Analyze_ButTerminatesNegation_LaterTargetAffirmed()
    {
        var fever = Only("no fever but hx breast ca", "infection");
        var ca = Only("no fever but hx breast ca", "tumor");
        Assert.True(fever.Assertion.Negated);
        Assert.False(ca.Assertion.Negated);
        Assert.True(ca.Assertion.Historical);
        Assert.Equal(Experiencer.Patient, ca.Assertion.Experiencer);
    }

    [Theory]
    [InlineData("no fever however LBP x 3 months")]
    [InlineData("no fever, except LBP")]
    [InlineData("no fever although LBP persists")]
    [InlineData("no fever; LBP persists")]
    [InlineData("no trauma aside from LBP")]
    [InlineData("denies trauma, reports LBP")]
    [InlineData("no fever, pt with LBP")]
    [InlineData("No fever. LBP for months.")]
    [InlineData("No fever\nLBP for months")]
    public void Analyze_TerminatorOrBoundary_EndsNegationScope(string text) =>
        Assert.False(Only(text, "low_back_pain").Assertion.Negated);

    [Fact]
    public void Analyze_SecondaryTo_TerminatesScope()
    {
        var text = "no fever secondary to infection";
        Assert.True(At(text, "fever").Assertion.Negated);
        Assert.False(At(text, "infection").Assertion.Negated);
    }

    [Theory]
    [InlineData("no increase in low back pain")]
    [InlineData("no change in LBP")]
    [InlineData("not only LBP but also leg pain")]
    [InlineData("ambulates without difficulty despite LBP")]
    [InlineData("not necessarily LBP")]
    [InlineData("no improvement with PT, LBP x 3 months")]
    [InlineData("no relief with NSAIDs, persistent LBP")]
    [InlineData("LBP not resolved with therapy")]
    [InlineData("80 year old with LBP")]
    [InlineData("LBP, negative pregnancy test")]
    [InlineData("LBP, urine pregnancy test negative")]
    [InlineData("LBP. Neg serum hCG.")]
    public void Analyze_PseudoTrigger_DoesNotNegate(string text) =>
        Assert.False(Only(text, "low_back_pain").Assertion.Negated);

    [Fact]
    public void Analyze_GramNegative_DoesNotNegate() =>
        Assert.False(Only("gram negative sepsis", "infection").Assertion.Negated);

    [Fact]
    public void Analyze_NoWithMaxScope_StopsAfterThatManyWords()
    {
        // The shipped "no" reaches the end of its clause (ConText); a site rule can still bound it.
        var bounded = TestText.WithContextRules("""{"context_rules": [{"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "max_scope": 8}]}""");
        var text = "no fever with chills or sweats or rigors or anything unusual or malignancy";
        Assert.True(bounded.Assert(text, "fever").Negated);
        Assert.False(bounded.Assert(text, "malignancy").Negated);
        Assert.True(At(text, "malignancy").Assertion.Negated);
    }

    [Fact]
    public void Analyze_NegationBeforeTarget_DoesNotReachBackwards() =>
        Assert.False(Only("LBP, no fever", "low_back_pain").Assertion.Negated);

    [Fact]
    public void Analyze_NegatedEvidence_KeepsTriggerAsWritten()
    {
        var m = Only("Denies Fever", "infection");
        var e = Assert.Single(m.Assertion.Modifiers);
        Assert.Equal("NEGATED_EXISTENCE", e.Category);
        Assert.Equal("Denies", e.Text);
    }

    [Fact]
    public void Analyze_AffirmedTarget_HasNoModifiers()
    {
        var m = Only("acute LBP", "low_back_pain");
        Assert.False(m.Assertion.Negated);
        Assert.Empty(m.Assertion.Modifiers);
        Assert.Equal(Experiencer.Patient, m.Assertion.Experiencer);
    }
}
