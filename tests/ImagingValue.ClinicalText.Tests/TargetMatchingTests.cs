using static ImagingValue.ClinicalText.Tests.TestText;

namespace ImagingValue.ClinicalText.Tests;

public class TargetMatchingTests
{
    [Theory]
    [InlineData("low back pain", "low_back_pain")]
    [InlineData("Lower back pain", "low_back_pain")]
    [InlineData("low-back pain", "low_back_pain")]
    [InlineData("lbp", "low_back_pain")]
    [InlineData("Lbp", "low_back_pain")]
    [InlineData("lumbago", "low_back_pain")]
    [InlineData("lumbosacral pain", "low_back_pain")]
    [InlineData("sacral pain", "low_back_pain")]
    [InlineData("sacrum pain", "low_back_pain")]
    [InlineData("SI joint pain", "low_back_pain")]
    [InlineData("tailbone pain", "low_back_pain")]
    [InlineData("tail bone pain", "low_back_pain")]
    [InlineData("tailbone pn", "low_back_pain")]
    [InlineData("coccyx pain", "low_back_pain")]
    [InlineData("coccygeal pain", "low_back_pain")]
    [InlineData("coccydynia", "low_back_pain")]
    [InlineData("coccygodynia", "low_back_pain")]
    [InlineData("coccydinia", "low_back_pain")]
    [InlineData("sciatica", "low_back_pain")]
    [InlineData("pain in the low back", "low_back_pain")]
    [InlineData("low back ache", "low_back_pain")]
    [InlineData("backache", "low_back_pain")]
    [InlineData("carcinoma", "tumor")]
    [InlineData("malignancy", "tumor")]
    [InlineData("neoplasm", "tumor")]
    [InlineData("tumour", "tumor")]
    [InlineData("sacral mass", "tumor")]
    [InlineData("pelvic mass", "tumor")]
    [InlineData("mets", "tumor")]
    [InlineData("metastatic disease", "tumor")]
    [InlineData("myeloma", "tumor")]
    [InlineData("chordoma", "tumor")]
    [InlineData("breast ca", "tumor")]
    [InlineData("prostate ca", "tumor")]
    [InlineData("lung ca", "tumor")]
    [InlineData("colon ca", "tumor")]
    [InlineData("known CA", "tumor")]
    [InlineData("oncology patient", "tumor")]
    [InlineData("unexplained weight loss", "weight_loss")]
    [InlineData("saddle anesthesia", "cauda_equina")]
    [InlineData("progressive leg weakness", "neuro_deficit")]
    [InlineData("osteoporotic collapse", "osteoporotic_collapse")]
    [InlineData("night pain", "tumor")]
    [InlineData("osteomyelitis", "infection")]
    [InlineData("diskitis", "infection")]
    [InlineData("epidural abscess", "infection")]
    [InlineData("septic arthritis", "infection")]
    [InlineData("febrile", "infection")]
    [InlineData("elevated ESR/CRP", "infection")]
    [InlineData("IV drug use", "infection")]
    [InlineData("IVDU", "infection")]
    [InlineData("bacteremia", "infection")]
    [InlineData("ankylosing spondylitis", "inflammatory_arthritis")]
    [InlineData("AS", "inflammatory_arthritis")]
    [InlineData("axSpA", "inflammatory_arthritis")]
    [InlineData("spondyloarthropathy", "inflammatory_arthritis")]
    [InlineData("PsA", "inflammatory_arthritis")]
    [InlineData("reactive arthritis", "inflammatory_arthritis")]
    [InlineData("RA", "inflammatory_arthritis")]
    [InlineData("inflammatory back pain", "inflammatory_arthritis")]
    [InlineData("HLA-B27 positive", "inflammatory_arthritis")]
    [InlineData("IBD-associated arthritis", "inflammatory_arthritis")]
    [InlineData("enteropathic arthritis", "inflammatory_arthritis")]
    [InlineData("slipped and fell", "trauma")]
    [InlineData("MVA", "trauma")]
    [InlineData("motor vehicle collision", "trauma")]
    [InlineData("injured", "trauma")]
    [InlineData("landed on", "trauma")]
    [InlineData("direct blow", "trauma")]
    [InlineData("sports injury", "trauma")]
    [InlineData("fx", "fracture")]
    [InlineData("broken tailbone", "fracture")]
    [InlineData("occult fracture", "occult_fracture")]
    [InlineData("insufficiency fx", "occult_fracture")]
    [InlineData("stress fracture", "occult_fracture")]
    [InlineData("fragility fracture", "occult_fracture")]
    [InlineData("sacral insufficiency fracture", "occult_fracture")]
    public void Analyze_ConceptPhrase_FoundWithConcept(string text, string concept)
    {
        var m = Assert.Single(Analyzer.Analyze(text, Reference));
        Assert.Equal(concept, m.Concept);
    }

    [Theory]
    [InlineData("Tarlov cyst")]
    [InlineData("uterine fibroid")]
    [InlineData("lipoma")]
    [InlineData("vertebral hemangioma")]
    [InlineData("renal cyst")]
    [InlineData("such as")]
    [InlineData("ra")]
    [InlineData("psa 4.2")]
    [InlineData("ca")]
    [InlineData("mass")]
    [InlineData("buttock pain")]
    [InlineData("upper back pain")]
    [InlineData("mid back pain")]
    public void Analyze_NonConcept_FindsNothing(string text) => Assert.Empty(Analyzer.Analyze(text, Reference));

    [Fact]
    public void Analyze_LongestMatch_OccultFxBeatsFx()
    {
        var m = Assert.Single(Analyzer.Analyze("occult fx", Reference));
        Assert.Equal("occult_fracture", m.Concept);
        Assert.Equal("occult fx", m.MatchedText);
    }

    [Fact]
    public void Analyze_Offsets_PointAtTextAsWritten()
    {
        const string text = "Pt with  Low-Back Pain x3 mo.";
        var m = Only(text, "low_back_pain");
        Assert.Equal("Low-Back Pain", m.MatchedText);
        Assert.Equal(text.IndexOf("Low", StringComparison.Ordinal), m.Start);
        Assert.Equal("Low-Back Pain", text.Substring(m.Start, m.Length));
        Assert.Equal(text, m.Sentence);
    }

    [Fact]
    public void Analyze_SeveralConcepts_ReturnedInTextOrder()
    {
        var mentions = Analyzer.Analyze("LBP after fall, hx breast ca, fever, ?sacroiliitis, r/o fx", Reference);
        Assert.Equal(
            ["low_back_pain", "trauma", "tumor", "infection", "inflammatory_arthritis", "fracture"],
            mentions.Select(m => m.Concept).ToArray());
        Assert.True(mentions.Zip(mentions.Skip(1)).All(p => p.First.Start < p.Second.Start));
    }

    [Fact]
    public void Analyze_EmptyText_NoMentions() => Assert.Empty(Analyzer.Analyze(string.Empty));

    [Fact]
    public void Analyze_NullText_Throws() => Assert.Throws<ArgumentNullException>(() => Analyzer.Analyze(null!));

    [Fact]
    public void Analyze_TriggerOverlappingTarget_DoesNotModifyIt()
    {
        // A site target that contains a trigger word: the trigger inside it must not negate it.
        var targets = TargetRuleSet.FromJson("""{"target_rules": [{"literal": "no show", "category": "missed_visit"}]}""");
        var analyzer = new ClinicalTextAnalyzer(ContextRuleSet.Default, targets);
        var m = Assert.Single(analyzer.Analyze("patient was a no show"));
        Assert.False(m.Assertion.Negated);
    }
}
