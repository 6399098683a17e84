using System.Text.Encodings.Web;
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
        var segments = TextHighlighter.Segments("LBP <script>x()</script> and Low back pain", [("low back pain", "low_back_pain\"><b>")]);

        var html = Html(TextHighlighter.Render(segments));

        Assert.Equal("LBP &lt;script&gt;x()&lt;/script&gt; and <mark title=\"low_back_pain&quot;&gt;&lt;b&gt;\">Low back pain</mark>", html);
    }

    [Fact]
    public void Segments_OverlappingPhrases_EarlierThenLongerWins_AndStartAtSkipsTheHistory()
    {
        var text = "HISTORY: r/o sacroiliitis.\nIMPRESSION: Sacroiliitis. Tarlov cyst.";

        var segments = TextHighlighter.Segments(text, [("Sacroiliitis.", "major: sacroiliitis"), ("Sacroiliitis. Tarlov", "x"), ("Tarlov cyst", "minor: tarlov_cyst")], TextHighlighter.FindingsStart(text));

        Assert.Equal(["Sacroiliitis. Tarlov"], segments.Where(s => s.Label is not null).Select(s => s.Text));
        Assert.Equal(text, string.Concat(segments.Select(s => s.Text)));
    }

    [Fact]
    public void QuotedPhrases_CountedEvidenceOnly()
    {
        string[] evidence = ["indication: \"low back pain\" [low_back_pain]", "ignored indication: \"no trauma\" [trauma, negated]", "code: M54.5 [low_back_pain]"];

        var phrases = TextHighlighter.QuotedPhrases(evidence, "indication").ToList();

        Assert.Equal([("low back pain", "low_back_pain")], phrases);
    }
}
