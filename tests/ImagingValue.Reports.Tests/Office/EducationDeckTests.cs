using DocumentFormat.OpenXml.Packaging;
using ImagingValue.Core.Analytics;
using ImagingValue.Protocols;
using ImagingValue.Reports.Office;
using ImagingValue.Reports.Tests.Support;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace ImagingValue.Reports.Tests.Office;

public sealed class EducationDeckTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_PaperAudit_PassesOffice2019Validation()
    {
        var path = Write(Some.PaperAudit());

        using var document = PresentationDocument.Open(path, false);
        OpenXmlAssert.Valid(document);
    }

    [Fact]
    public void Write_PartialInput_TitleSlideStatesTheRejectedRowsAndRefusedFile()
    {
        var audit = Some.PaperAudit();
        var path = Write(audit with { Summary = audit.Summary with { Input = new InputSummary(3, ["conditions.csv"], Partial: true) } });

        using var document = PresentationDocument.Open(path, false);
        Assert.Contains("Partial input: 3 rows rejected; file refused: conditions.csv; the figures leave them out.", SlideTexts(document)[0].Split('\n'));
        OpenXmlAssert.Valid(document);
    }

    [Fact]
    public void Write_PaperAudit_EightSlidesAt16By9()
    {
        var path = Write(Some.PaperAudit());

        using var document = PresentationDocument.Open(path, false);
        var presentation = document.PresentationPart!.Presentation;
        Assert.Equal(8, presentation.SlideIdList!.Elements<P.SlideId>().Count());
        Assert.Equal(8, document.PresentationPart.SlideParts.Count());
        Assert.Equal(16.0 / 9, (double)presentation.SlideSize!.Cx!.Value / presentation.SlideSize.Cy!.Value, 3);
        Assert.Equal(
            ["Sacrum MRI for low back pain", "The question", "What the local audit found", "What it cost", "What the guidelines say", "When imaging is the right call", "What to do instead", "Included exams per year"],
            SlideTexts(document).Select(t => t.Split('\n')[0]));
    }

    [Fact]
    public void Write_PaperAudit_FindingsSlideCarriesTheAuditsFigures()
    {
        var path = Write(Some.PaperAudit());

        using var document = PresentationDocument.Open(path, false);
        var findings = SlideTexts(document)[2];
        Assert.Contains("98 exams included", findings, StringComparison.Ordinal);
        Assert.Contains("2 of 98 reviewed exams (2.0%, 95% CI 0.6%–7.1%)", findings, StringComparison.Ordinal);
        Assert.Contains("0 major and 12 minor, of 98", findings, StringComparison.Ordinal);
        Assert.Contains("43 of 98 (43.9%)", findings, StringComparison.Ordinal);
        Assert.Contains("85 of 98 (86.7%)", findings, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PaperAudit_CostSlideCarriesChargesAndFollowUp()
    {
        var path = Write(Some.PaperAudit());

        using var document = PresentationDocument.Open(path, false);
        var cost = SlideTexts(document)[3];
        Assert.Contains("Charge per exam: $4,900", cost, StringComparison.Ordinal);
        Assert.Contains("$480,200", cost, StringComparison.Ordinal);
        Assert.Contains("Charges per major finding: $240,100", cost, StringComparison.Ordinal);
        Assert.Contains("1 such exam in 3 months against 6.13 expected at the review period's 2.04 a month (-83.7%), about $25,112", cost, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FollowUpAfterTheData_NoDataForThisWindowAndNothingAvoided()
    {
        var path = Write(Some.UncoveredAudit());

        using var document = PresentationDocument.Open(path, false);
        var all = string.Join('\n', SlideTexts(document));
        Assert.Contains("no data for this window", SlideTexts(document)[3], StringComparison.Ordinal);
        Assert.DoesNotContain("-100", all, StringComparison.Ordinal);
        Assert.DoesNotContain("avoided", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_DifferentAudit_DifferentFigures()
    {
        var audit = Some.Audit(included: 50, major: 3);

        var path = Write(audit);

        using var document = PresentationDocument.Open(path, false);
        var texts = SlideTexts(document);
        var (low, high) = Core.Statistics.BinomialInterval.Wilson(3, 50);
        var ci = $"95% CI {low * 100:0.0}%–{high * 100:0.0}%";
        Assert.Contains($"3 of 50 reviewed exams (6.0%, {ci})", texts[2], StringComparison.Ordinal);
        Assert.DoesNotContain("2 of 98", texts[2], StringComparison.Ordinal);
        Assert.Contains("$245,000", texts[3], StringComparison.Ordinal);
        Assert.Contains("Charges per major finding: $81,667", texts[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NoMajorFinding_SaysSoInsteadOfPerFindingCharge()
    {
        var path = Write(Some.Audit(included: 20, major: 0));

        using var document = PresentationDocument.Open(path, false);
        var texts = SlideTexts(document);
        Assert.Contains("0 of 20 reviewed exams (0.0%, 95% CI 0.0%–16.1%)", texts[2], StringComparison.Ordinal);
        Assert.Contains("No major finding", texts[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NoExamReviewed_SaysNotReviewedYetAndClaimsNoFinding()
    {
        var path = Write(Some.Audit(included: 18, major: 0, reviewed: 0));

        using var document = PresentationDocument.Open(path, false);
        var all = string.Join('\n', SlideTexts(document));
        Assert.Contains("not reviewed yet (0 of 18 included exams reviewed)", all, StringComparison.Ordinal);
        Assert.DoesNotContain("No major finding", all, StringComparison.Ordinal);
        Assert.DoesNotContain("bought an actionable diagnosis", all, StringComparison.Ordinal);
        Assert.DoesNotContain("We reviewed every such exam", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Change in management", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PartlyReviewed_StatesHowManyOfTheIncludedWereReviewed()
    {
        var path = Write(Some.Audit(included: 18, major: 0, reviewed: 12));

        using var document = PresentationDocument.Open(path, false);
        var texts = SlideTexts(document);
        Assert.Contains("12 of 18 included exams reviewed", texts[2], StringComparison.Ordinal);
        Assert.Contains("0 of the 12 reviewed so far", texts[2], StringComparison.Ordinal);
        Assert.DoesNotContain("No major finding", texts[3], StringComparison.Ordinal);
        Assert.DoesNotContain("We reviewed every such exam", texts[1], StringComparison.Ordinal);
        Assert.Contains("Charges per major finding: not known until every included exam is reviewed (12 of 18 so far)", texts[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PaperAudit_RedFlagSlideListsTheProtocolsFlags()
    {
        var path = Write(Some.PaperAudit());

        using var document = PresentationDocument.Open(path, false);
        var lines = SlideTexts(document)[5].Split('\n');
        foreach (var flag in TestProtocol.Sacrum.RedFlags)
        {
            Assert.Contains(flag.Label, lines);
        }
    }

    [Fact]
    public void Write_ExcludedExams_RedFlagSlideCountsOnlyRedFlagExclusions()
    {
        var included = Some.Order(orderedAt: new DateTime(2015, 1, 1));
        var tumor = Some.Order(orderedAt: new DateTime(2015, 2, 1));
        var trauma = Some.Order(orderedAt: new DateTime(2015, 3, 1));
        var otherIndication = Some.Order(orderedAt: new DateTime(2015, 4, 1));
        var audit = AuditAnalyzer.Analyze(
            TestProtocol.Sacrum,
            Some.PaperOptions,
            [included, tumor, trauma, otherIndication],
            [Some.Included(included), Some.Excluded(tumor, "tumor"), Some.Excluded(trauma, "recent_trauma"), Some.Excluded(otherIndication, "no_qualifying_indication")],
            [Some.Review(included.OrderId)]);

        var path = Write(audit);

        using var document = PresentationDocument.Open(path, false);
        var texts = SlideTexts(document);
        Assert.Contains("A red flag excluded 2 of the 4 exams in this audit", texts[5], StringComparison.Ordinal);
        Assert.Contains("1 exam included (4 MRI sacrum exams in the period; 3 excluded", texts[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PaperAudit_GuidelineAndAlternativeSlidesNameTheAdvice()
    {
        var path = Write(Some.PaperAudit(ProtocolLoader.Load("sacrum-mri-lbp").Protocol));

        using var document = PresentationDocument.Open(path, false);
        var texts = SlideTexts(document);
        Assert.Contains("ACR Appropriateness Criteria", texts[4], StringComparison.Ordinal);
        Assert.Contains("radiographs of the SI joints first", texts[4], StringComparison.Ordinal);
        Assert.Contains("ACP/APS", texts[4], StringComparison.Ordinal);
        Assert.Contains("Physical therapy", texts[6], StringComparison.Ordinal);
        Assert.Contains("coccydynia", texts[6], StringComparison.Ordinal);
        Assert.Contains("2013-07-01 to 2017-06-30", texts[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PaperAudit_ChartIsAPngPictureWithAltText()
    {
        var audit = Some.PaperAudit();

        var path = Write(audit);

        using var document = PresentationDocument.Open(path, false);
        var slide = document.PresentationPart!.SlideParts.Last(s => s.Slide.Descendants<P.Picture>().Any());
        var picture = Assert.Single(slide.Slide.Descendants<P.Picture>());
        var description = picture.NonVisualPictureProperties!.NonVisualDrawingProperties!.Description?.Value;
        Assert.False(string.IsNullOrWhiteSpace(description));
        Assert.Contains("2018-07..2018-09 (3 mo, post): 1", description, StringComparison.Ordinal);
        var embed = picture.BlipFill!.Blip!.Embed!.Value!;
        var image = (ImagePart)slide.GetPartById(embed);
        Assert.Equal("image/png", image.ContentType);
        using var stream = image.GetStream();
        var header = new byte[8];
        stream.ReadExactly(header);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, header);
    }

    private string Write(AuditResult audit)
    {
        var path = _temp.File("deck.pptx");
        EducationDeck.Write(path, audit, Some.GeneratedAt);
        return path;
    }

    /// <summary>Each slide's text in order, one paragraph a line.</summary>
    internal static List<string> SlideTexts(PresentationDocument document)
    {
        var part = document.PresentationPart!;
        return part.Presentation.SlideIdList!.Elements<P.SlideId>()
            .Select(id => (SlidePart)part.GetPartById(id.RelationshipId!.Value!))
            .Select(slide => string.Join('\n', slide.Slide.Descendants<A.Paragraph>().Select(p => string.Concat(p.Descendants<A.Text>().Select(t => t.Text)))))
            .ToList();
    }
}
