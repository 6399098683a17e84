using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using ImagingValue.Core.Analytics;
using ImagingValue.Reports.Html;
using ImagingValue.Reports.Office;
using ImagingValue.Reports.Tests.Support;
using A = DocumentFormat.OpenXml.Drawing;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace ImagingValue.Reports.Tests;

/// <summary>With one of everything, every output writes "1 exam", never "1 exams" (issue 13, "the report prints").</summary>
public sealed partial class CountWordingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>One included exam in the period (reviewed, no major finding) and one in the three-month follow-up.</summary>
    private static AuditResult OneOfEach() => Some.Audit(included: 1, major: 0);

    [Fact]
    public void Report_OneExam_CountsAgreeWithTheirNouns()
    {
        var text = Tags().Replace(AuditReport.Render(OneOfEach(), Some.GeneratedAt), " ");

        Assert.Empty(OnePlural().Matches(text).Select(m => m.Value));
        Assert.Contains("The 1 included exam was charged", text, StringComparison.Ordinal);
        Assert.Contains("1 such exam in 3 months", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Deck_OneExam_CountsAgreeWithTheirNouns()
    {
        var path = _temp.File("deck.pptx");
        EducationDeck.Write(path, OneOfEach(), Some.GeneratedAt);

        using var document = PresentationDocument.Open(path, false);
        var text = string.Join('\n', document.PresentationPart!.SlideParts.SelectMany(s => s.Slide.Descendants<A.Text>()).Select(t => t.Text));
        Assert.Empty(OnePlural().Matches(text).Select(m => m.Value));
        Assert.Contains("1 exam included", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Feedback_OneExam_CountsAgreeWithTheirNouns()
    {
        var path = _temp.File("feedback.docx");
        DepartmentFeedback.Write(path, OneOfEach(), Some.GeneratedAt);

        using var document = WordprocessingDocument.Open(path, false);
        var text = string.Join('\n', document.MainDocumentPart!.Document.Body!.Descendants<W.Paragraph>().Select(p => p.InnerText));
        Assert.Matches(@"\b1 (reviewed )?[\w -]+? exam (for|from) ", text);
        Assert.Empty(OnePlural().Matches(text).Select(m => m.Value));
    }

    /// <summary>"1 exams", "1 included exams", "1 months": a count of one followed by a plural noun.</summary>
    [GeneratedRegex(@"(?<![\d.,])1 (?:[a-z-]+ ){0,2}(?:exams|orders|months|days|rows|reviews|others|interventions|findings|disagreements)\b")]
    private static partial Regex OnePlural();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
