namespace ImagingValue.ClinicalText.Tests;

/// <summary>
/// Scope rules added in round 3 (README, "Rule files" and "ConText rule notes"). The mechanisms are shown on rule sets
/// of their own, so the test fails when the mechanism, not a trigger list, changes; the last tests show the shipped
/// rules on the sentences that called for them.
/// </summary>
public class RuleScopeExtensionTests
{
    private static ClinicalTextAnalyzer With(string rules) => TestText.WithContextRules($$"""{"context_rules": [{{rules}}]}""");

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void ClauseBound_StopsTheScopeAtAComma(bool clauseBound, bool feverHistorical)
    {
        var analyzer = With($$"""{"literal": "in 2009", "category": "HISTORICAL", "direction": "BACKWARD", "max_scope": 6, "clause_bound": {{(clauseBound ? "true" : "false")}}}""");
        Assert.Equal(feverHistorical, analyzer.Assert("Fever, fell in 2009", "fever").Historical);
        Assert.True(analyzer.Assert("Fever, fell in 2009", "fell").Historical);
    }

    [Fact]
    public void ClauseBound_NotABoolean_IsARuleError()
    {
        var ex = Assert.Throws<FormatException>(() => With("""{"literal": "in 2009", "category": "HISTORICAL", "direction": "BACKWARD", "clause_bound": "yes"}"""));
        Assert.Contains("clause_bound", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SameCategoryTrigger_ReachingOnlyBackward_DoesNotEndAForwardScope()
    {
        var analyzer = With("""
            {"literal": "s/p", "category": "HISTORICAL", "direction": "FORWARD", "max_scope": 8},
            {"literal": "in 2009", "category": "HISTORICAL", "direction": "BACKWARD", "max_scope": 2}
            """);
        Assert.True(analyzer.Assert("h/o CAD s/p CABG in 2009 and CHF who presents", "CHF").Historical);
    }

    [Fact]
    public void SameCategoryTrigger_ReachingForward_StillRestartsTheScope()
    {
        // "no" reaches the sentence end unless "without" restarts the negation; "without" itself reaches one word, so
        // "fever" stays affirmed only if the restart happened.
        var analyzer = With("""
            {"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD"},
            {"literal": "without", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "max_scope": 1}
            """);
        Assert.False(analyzer.Assert("no cough without new rash or fever", "fever").Negated);
        Assert.True(analyzer.Assert("no cough without new rash or fever", "cough").Negated);
    }

    [Fact]
    public void PatternAndLiteralOnTheSameTokens_PatternWins()
    {
        var analyzer = With("""
            {"literal": "denies", "category": "NEGATED_EXISTENCE", "direction": "FORWARD"},
            {"literal": "denies (end)", "category": "NEGATED_EXISTENCE", "direction": "BACKWARD", "max_scope": 3, "pattern": "(?<=^| )denies$"}
            """);
        Assert.True(analyzer.Assert("Chest pain denies", "chest pain").Negated);
        Assert.True(analyzer.Assert("denies chest pain", "chest pain").Negated);
    }

    [Theory]
    [InlineData("Father: MI at age 50.", "MI")]
    [InlineData("Mother had breast cancer in 2004.", "breast cancer")]
    public void AnotherPersonsCondition_IsNotThePatientsHistory(string sentence, string target)
    {
        var a = TestText.Analyzer.Assert(sentence, target);
        Assert.Equal(Experiencer.Other, a.Experiencer);
        Assert.False(a.Historical);
    }

    [Theory]
    [InlineData("Pt and wife report a fall 2 days ago.", "fall", Experiencer.Patient)]
    [InlineData("Her husband was recently diagnosed with influenza.", "influenza", Experiencer.Other)]
    [InlineData("The patient's mother states that the child has had a fever for 3 days.", "fever", Experiencer.Patient)]
    [InlineData("Sick contacts: grandson at home with fever and cough.", "cough", Experiencer.Other)]
    public void Spouse_IsTheExperiencerOnlyWhenTheIllnessIsSaidOfThem(string sentence, string target, Experiencer expected) =>
        Assert.Equal(expected, TestText.Analyzer.Assert(sentence, target).Experiencer);

    [Theory]
    [InlineData("The patient denies chest pain or shortness of breath and states that the epigastric pain began yesterday.", "epigastric pain")]
    [InlineData("She denies any vaginal bleeding, the contractions started four hours ago.", "contractions")]
    [InlineData("No acute fracture is identified and there is moderate degenerative disc disease at L4-L5.", "degenerative disc disease")]
    [InlineData("There is no fracture of the distal radius, soft tissue swelling is present over the dorsal wrist.", "soft tissue swelling")]
    [InlineData("She has no history of seizures, was witnessed to have generalized tonic-clonic activity this morning.", "tonic-clonic activity")]
    [InlineData("Mother with a history of migraines, and the child has had two staring spells this week.", "staring spells")]
    public void NewClause_EndsTheScopesBeforeIt(string sentence, string target)
    {
        var a = TestText.Analyzer.Assert(sentence, target);
        Assert.False(a.Negated);
        Assert.False(a.Historical);
        Assert.Equal(Experiencer.Patient, a.Experiencer);
    }

    [Theory]
    [InlineData("No evidence of intracranial hemorrhage, mass effect, midline shift, hydrocephalus, extra-axial fluid collection, acute territorial infarct, or calvarial fracture.", "calvarial fracture")]
    [InlineData("He has no history of diabetes mellitus, hypertension, hyperlipidemia, coronary artery disease, stroke, peripheral vascular disease, or chronic kidney disease.", "chronic kidney disease")]
    [InlineData("No effusion, pneumothorax, or consolidation is present.", "consolidation")]
    public void ListWithoutANewClause_StaysNegatedToTheEnd(string sentence, string target) =>
        Assert.True(TestText.Analyzer.Assert(sentence, target).Negated);

    [Fact]
    public void ConditionalClause_KeepsItsConsequenceHypothetical() =>
        Assert.True(TestText.Analyzer.Assert("The patient was counseled that if untreated, this could progress to renal failure.", "renal failure").Hypothetical);
}
