using System.Text.Encodings.Web;
using ImagingValue.Core.Review;
using ImagingValue.Core.Screening;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Html;

namespace ImagingValue.Web.Tests.Review;

public class TextHighlighterTests
{
    private static string Html(IHtmlContent content)
    {
        using var writer = new StringWriter();
        content.WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }

    [Fact]
    public void Render_MarksEvidence_EncodesTextAndLabels()
    {
        const string text = "LBP <script>x()</script> and Low back pain";
        var segments = TextHighlighter.Segments(text, [new TextMark(new TextSpan(29, 13), "low_back_pain\"><b>", "major")]);

        var html = Html(TextHighlighter.Render(segments));

        Assert.Equal("LBP &lt;script&gt;x()&lt;/script&gt; and <mark class=\"major\" title=\"low_back_pain&quot;&gt;&lt;b&gt;\">Low back pain</mark>", html);
    }

    [Fact]
    public void Segments_OverlappingSpans_EarlierThenLongerWins_TrimmedAndOutOfRangeLeftOut()
    {
        const string text = "HISTORY: r/o sacroiliitis.\nIMPRESSION: Sacroiliitis. Tarlov cyst.";
        var at = text.IndexOf("Sacroiliitis.", StringComparison.Ordinal);

        var segments = TextHighlighter.Segments(text,
        [
            new TextMark(new TextSpan(at, 13), "major: sacroiliitis"),
            new TextMark(new TextSpan(at - 1, 21), "x"),
            new TextMark(new TextSpan(at + 14, 11), "minor: tarlov_cyst"),
            new TextMark(new TextSpan(text.Length - 2, 5), "past the end"),
        ]);

        Assert.Equal(["Sacroiliitis. Tarlov"], segments.Where(s => s.Label is not null).Select(s => s.Text));
        Assert.Equal(text, string.Concat(segments.Select(s => s.Text)));
    }

    [Fact]
    public void IndicationMarks_CountedAndNotQualifyingWhereTheyStillAre_IgnoredAndLegacyLeftOut()
    {
        const string indication = "LBP, no trauma. ?mets";
        ScreeningEvidence[] evidence =
        [
            new(EvidenceSource.Indication, EvidenceRole.Counted, For: "low_back_pain", Concept: "low_back_pain", Text: "LBP, no trauma.", Mention: new TextSpan(0, 3), Sentence: new TextSpan(0, 15)),
            new(EvidenceSource.Indication, EvidenceRole.Ignored, For: "recent_trauma", Concept: "trauma", Text: "LBP, no trauma.", Mention: new TextSpan(8, 6), Sentence: new TextSpan(0, 15), Qualifiers: EvidenceQualifiers.Negated),
            new(EvidenceSource.Indication, EvidenceRole.Counted, For: "tumor", Concept: "tumor", Text: " ?mets", Mention: new TextSpan(17, 4), Sentence: new TextSpan(15, 6), Qualifiers: EvidenceQualifiers.Suspected | EvidenceQualifiers.Undated),
            new(EvidenceSource.Indication, EvidenceRole.Counted, For: "tumor", Concept: "tumor", Text: "moved", Sentence: new TextSpan(0, 5)),
            ScreeningEvidence.FromLegacyText("indication: \"LBP\" [low_back_pain]"),
        ];

        var segments = TextHighlighter.Segments(indication, TextHighlighter.IndicationMarks(indication, evidence));

        Assert.Equal([("LBP, no trauma.", "low_back_pain"), ("?mets", "tumor, suspected, undated")], segments.Where(s => s.Label is not null).Select(s => (s.Text, s.Label!)));
    }

    [Fact]
    public void FindingMarks_SentenceSpansWithClassLabels_MajorStyled()
    {
        const string report = "FINDINGS: Sacroiliitis. Tarlov cyst.";
        FindingEvidence[] evidence =
        [
            new(FindingClass.Major, "sacroiliitis", "Sacroiliitis.", new TextSpan(10, 13), false),
            new(FindingClass.Minor, "tarlov_cyst", "Tarlov cyst.", new TextSpan(24, 12), true),
        ];

        var segments = TextHighlighter.Segments(report, TextHighlighter.FindingMarks(report, evidence));

        Assert.Equal(
            [("Sacroiliitis.", "major: sacroiliitis", "major"), ("Tarlov cyst.", "minor: tarlov_cyst, possible", null)],
            segments.Where(s => s.Label is not null).Select(s => (s.Text, s.Label!, s.Css)));
    }
}
