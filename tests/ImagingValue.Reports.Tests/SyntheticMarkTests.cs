using DocumentFormat.OpenXml.Packaging;
using ImagingValue.Core.Analytics;
using ImagingValue.Reports.Html;
using ImagingValue.Reports.Office;
using ImagingValue.Reports.Tests.Support;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace ImagingValue.Reports.Tests;

/// <summary>Outputs made from synthetic data say so on every page and slide; outputs from real data never do (issue 13).</summary>
public sealed class SyntheticMarkTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static AuditResult Synthetic(AuditResult audit) => audit with { Summary = audit.Summary with { Synthetic = true } };

    [Fact]
    public void Report_Synthetic_MarkRepeatsOnEveryPrintedPage()
    {
        var html = AuditReport.Render(Synthetic(Some.PaperAudit()), Some.GeneratedAt);

        Assert.Contains("<div class=\"synthetic-mark\" role=\"note\">Synthetic data", html, StringComparison.Ordinal);
        // In print the notice sits in every page's top margin box, where it covers no title (a fixed banner did).
        Assert.Contains("@page{@top-center{content:\"" + AuditReport.SyntheticNotice + "\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("position:fixed", html, StringComparison.Ordinal);
        Assert.Contains("Synthetic data", html[..html.IndexOf("<main>", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public void Report_RealData_NeverMarked()
    {
        var html = AuditReport.Render(Some.PaperAudit(), Some.GeneratedAt);

        Assert.DoesNotContain("synthetic", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Deck_Synthetic_EverySlideSaysSyntheticData()
    {
        var path = _temp.File("deck.pptx");
        EducationDeck.Write(path, Synthetic(Some.PaperAudit()), Some.GeneratedAt);

        var texts = SlideTexts(path);
        Assert.Equal(8, texts.Count);
        Assert.All(texts, t => Assert.Contains("Synthetic data", t, StringComparison.Ordinal));
        using var document = PresentationDocument.Open(path, false);
        OpenXmlAssert.Valid(document);
    }

    [Fact]
    public void Deck_RealData_NoSlideMarked()
    {
        var path = _temp.File("deck.pptx");
        EducationDeck.Write(path, Some.PaperAudit(), Some.GeneratedAt);

        Assert.All(SlideTexts(path), t => Assert.DoesNotContain("ynthetic", t, StringComparison.Ordinal));
    }

    [Fact]
    public void Feedback_Synthetic_EverySectionHasAHeaderSayingSyntheticData()
    {
        var path = _temp.File("feedback.docx");
        DepartmentFeedback.Write(path, Synthetic(Some.PaperAudit()), Some.GeneratedAt);

        using var document = WordprocessingDocument.Open(path, false);
        OpenXmlAssert.Valid(document);
        var main = document.MainDocumentPart!;
        var sections = main.Document.Body!.Descendants<W.SectionProperties>().ToList();
        Assert.NotEmpty(sections);
        foreach (var section in sections)
        {
            var reference = section.Elements<W.HeaderReference>().Single(h => h.Type?.Value == W.HeaderFooterValues.Default);
            var header = (HeaderPart)main.GetPartById(reference.Id!.Value!);
            Assert.Contains("Synthetic data", header.Header.InnerText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Feedback_RealData_NoHeader()
    {
        var path = _temp.File("feedback.docx");
        DepartmentFeedback.Write(path, Some.PaperAudit(), Some.GeneratedAt);

        using var document = WordprocessingDocument.Open(path, false);
        Assert.Empty(document.MainDocumentPart!.HeaderParts);
        Assert.DoesNotContain("ynthetic", document.MainDocumentPart.Document.Body!.InnerText, StringComparison.Ordinal);
    }

    private static List<string> SlideTexts(string path)
    {
        using var document = PresentationDocument.Open(path, false);
        var part = document.PresentationPart!;
        return part.Presentation.SlideIdList!.Elements<P.SlideId>()
            .Select(id => (SlidePart)part.GetPartById(id.RelationshipId!.Value!))
            .Select(slide => string.Join('\n', slide.Slide.Descendants<A.Paragraph>().Select(p => string.Concat(p.Descendants<A.Text>().Select(t => t.Text)))))
            .ToList();
    }
}
