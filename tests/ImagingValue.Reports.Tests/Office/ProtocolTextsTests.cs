using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using ImagingValue.Core.Analytics;
using ImagingValue.Protocols;
using ImagingValue.Reports.Html;
using ImagingValue.Reports.Office;
using ImagingValue.Reports.Tests.Support;

namespace ImagingValue.Reports.Tests.Office;

/// <summary>The deck's, the feedback's and the report's clinical words come from the audited protocol (YAML <c>education</c>).</summary>
public sealed class ProtocolTextsTests : IDisposable
{
    // Sentences only the sacrum protocol says (coccyx and sacroiliac joint advice).
    private static readonly string[] _sacrumOnly = ["sacrum and coccyx", "tail-bone", "Tail-bone", "coccydynia", "SI joints"];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Deck_SacrumProtocol_SaysWordForWordWhatTheDeckSaidBeforeTheWordsMovedIntoItsYaml()
    {
        var slides = DeckSlides(Some.PaperAudit(ProtocolLoader.Load("sacrum-mri-lbp").Protocol));

        Assert.Equal(
            ["When MRI of the sacrum and/or coccyx is ordered for low back, sacral or tailbone pain with no red flag, how often does it find a likely, actionable cause of the pain?",
             "And how often does it change what we do for the patient?"],
            slides[1][1..3]);
        Assert.Equal(
            ["What the guidelines say",
             "ACR Appropriateness Criteria, low back pain: imaging is usually not appropriate for uncomplicated low back pain without red flags.",
             "ACR, suspected sacroiliitis or spondyloarthritis: radiographs of the SI joints first; MRI of the SI joints when radiographs are negative or equivocal.",
             "ACP/APS: do not routinely image non-specific low back pain; image for severe or progressive neurologic deficits or a suspected serious underlying condition.",
             "Choosing Wisely: no imaging in the first six weeks of low back pain unless red flags are present."],
            slides[4][..5]);
        Assert.Equal("When MRI is the right call", slides[5][0]);
        Assert.Equal(
            ["What to do instead",
             "Conservative care first: reassurance, activity, simple analgesia.",
             "Physical therapy.",
             "Tail-bone pain (coccydynia): radiographs of the sacrum and coccyx.",
             "Suspected sacroiliitis: radiographs of the SI joints; MRI of the SI joints if they are negative or equivocal.",
             "Re-assess for red flags at each visit; order MRI when one appears."],
            slides[6][..6]);
    }

    [Fact]
    public void Deck_LumbarProtocol_SaysTheLumbarGuidelinesAndNothingOfTheSacrum()
    {
        var lumbar = ProtocolLoader.Load("lumbar-imaging-lbp").Protocol;

        var slides = DeckSlides(Some.PaperAudit(lumbar));

        var education = lumbar.Education!;
        Assert.Equal(education.Question, slides[1][1..3]);
        Assert.Contains("lumbar spine", slides[1][1], StringComparison.Ordinal);
        Assert.Equal(education.Guidelines.Select(g => g.Text), slides[4][1..(1 + education.Guidelines.Count)]);
        Assert.Contains(slides[4], line => line.StartsWith("NICE NG59:", StringComparison.Ordinal));
        Assert.Equal("When lumbar spine imaging is the right call", slides[5][0]);
        Assert.Equal(education.Instead, slides[6][1..(1 + education.Instead.Count)]);
        var all = string.Join('\n', slides.SelectMany(s => s));
        Assert.All(_sacrumOnly, phrase => Assert.DoesNotContain(phrase, all, StringComparison.Ordinal));
        Assert.DoesNotContain("When MRI is the right call", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Feedback_SacrumProtocol_EndsWithTheSameAdviceAsBefore()
    {
        var text = FeedbackText(Some.PaperAudit(ProtocolLoader.Load("sacrum-mri-lbp").Protocol));

        Assert.Contains(
            "from this department found a likely, actionable cause of the pain; without a red flag, start with conservative care and physical therapy, and when imaging is needed order radiographs first (of the SI joints for suspected sacroiliitis, of the sacrum and coccyx for tail-bone pain).",
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Feedback_LumbarProtocol_GivesTheLumbarAdviceAndNothingOfTheSacrum()
    {
        var lumbar = ProtocolLoader.Load("lumbar-imaging-lbp").Protocol;

        var text = FeedbackText(Some.PaperAudit(lumbar));

        Assert.Contains("cause of the pain; " + lumbar.Education!.FeedbackAdvice, text, StringComparison.Ordinal);
        Assert.Contains("MRI, not radiographs", text, StringComparison.Ordinal);
        Assert.All(_sacrumOnly, phrase => Assert.DoesNotContain(phrase, text, StringComparison.Ordinal));
    }

    [Fact]
    public void Report_LumbarProtocol_AsksTheLumbarQuestionAndNothingOfTheSacrum()
    {
        var lumbar = ProtocolLoader.Load("lumbar-imaging-lbp").Protocol;

        var html = AuditReport.Render(Some.PaperAudit(lumbar), Some.GeneratedAt);

        Assert.Contains(System.Net.WebUtility.HtmlEncode(lumbar.Description), html, StringComparison.Ordinal);
        Assert.Contains("Radiograph, CT or MRI of the lumbar spine", html, StringComparison.Ordinal);
        Assert.All(_sacrumOnly, phrase => Assert.DoesNotContain(phrase, html, StringComparison.Ordinal));
    }

    [Fact]
    public void Deck_ProtocolWithACardButNoEducation_QuotesTheCardsBasisSourcesAndAdvice()
    {
        var lumbar = ProtocolLoader.Load("lumbar-imaging-lbp").Protocol;
        var bare = lumbar with { Education = null };

        var slides = DeckSlides(Some.PaperAudit(bare));

        Assert.Equal(
            [lumbar.Card!.Basis, .. lumbar.SourcesOf(lumbar.Card.BasisSources).Select(s => s.Title)],
            slides[4][1..]);
        Assert.Equal("When imaging is the right call", slides[5][0]);
        Assert.Equal(lumbar.Card.Advice.Select(a => a.Text), slides[6][1..]);
        Assert.Equal($"When {lumbar.TargetExam.Label} is ordered for {lumbar.Indication.Label} with no red flag, how often does it find a likely, actionable cause of the pain?", slides[1][1]);
        Assert.Contains("cause of the pain; without a red flag: advise staying active, with heat", FeedbackText(Some.PaperAudit(bare)), StringComparison.Ordinal);
    }

    [Fact]
    public void Deck_ProtocolWithNeitherCardNorEducation_UsesGenericWords()
    {
        var slides = DeckSlides(Some.PaperAudit());

        Assert.Equal(["What the guidelines say", "For low back pain without red flags, imaging is usually not appropriate."], slides[4]);
        Assert.Equal(["What to do instead", "Re-assess for red flags at each visit; image when one appears."], slides[6]);
        Assert.Contains("cause of the pain; without a red flag, imaging is usually not appropriate.", FeedbackText(Some.PaperAudit()), StringComparison.Ordinal);
    }

    private List<string[]> DeckSlides(AuditResult audit)
    {
        var path = _temp.File($"deck-{Guid.NewGuid():N}.pptx");
        EducationDeck.Write(path, audit, Some.GeneratedAt);
        using var document = PresentationDocument.Open(path, false);
        return [.. EducationDeckTests.SlideTexts(document).Select(s => s.Split('\n'))];
    }

    private string FeedbackText(AuditResult audit)
    {
        var path = _temp.File($"feedback-{Guid.NewGuid():N}.docx");
        DepartmentFeedback.Write(path, audit, Some.GeneratedAt);
        using var document = WordprocessingDocument.Open(path, false);
        return string.Join('\n', document.MainDocumentPart!.Document.Body!.Descendants<Paragraph>().Select(p => string.Concat(p.Descendants<Text>().Select(t => t.Text))));
    }
}
