using System.Buffers.Binary;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ImagingValue.Core.Analytics;
using ImagingValue.Reports.Charts;

namespace ImagingValue.Reports.Tests.Charts;

public class ExamsPerYearChartTests
{
    private static readonly YearCount[] _years = [new("2014", 26, false), new("2015", 26, false), new("2018-07..2018-09 (3 mo, post)", 1, true)];

    [Fact]
    public void Svg_NoDataWindowAndZeroYear_DrawnDifferently()
    {
        YearCount[] years = [new("2014", 0, false), new("2019-01..2019-03 (3 mo, post)", null, true)];

        var svg = ExamsPerYearChart.Svg(years);

        // A year with no exam reads 0; a window with no data reads "no data", never 0.
        var labels = Regex.Matches(svg, @"<text[^>]*font-size=""14""[^>]*>\s*([^<]+?)\s*</text>").Select(m => m.Groups[1].Value);
        Assert.Equal(["0", "no data"], labels);
    }

    [Fact]
    public void Png_Years_PngOfTheRequestedSize()
    {
        var png = ExamsPerYearChart.Png(_years, 640, 320);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        // IHDR: width and height, big-endian, after the 8-byte signature, the chunk length and the chunk type.
        Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(320, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    [Fact]
    public void Svg_AfterRefactor_StillDrawsTheTitleAndCounts()
    {
        var svg = ExamsPerYearChart.Svg(_years);

        Assert.Contains("Included exams per year, and after the intervention", svg, StringComparison.Ordinal);
        // The bar labels: 26, 26 and 1, each in its own text element.
        var labels = Regex.Matches(svg, @"<text[^>]*font-size=""14""[^>]*>\s*(\d+)\s*</text>").Select(m => m.Groups[1].Value);
        Assert.Equal(["26", "26", "1"], labels);
    }

    [Fact]
    public void Svg_Printed_ScalesWithItsContainer()
    {
        var svg = XElement.Parse(ExamsPerYearChart.Svg(_years, 760, 380));

        // A fixed pixel width without a viewBox is cropped, not shrunk, when the page is narrower than the chart.
        Assert.Equal("0 0 760 380", (string?)svg.Attribute("viewBox"));
        Assert.Equal("100%", (string?)svg.Attribute("width"));
        Assert.Null(svg.Attribute("height"));
        Assert.Equal(ExamsPerYearChart.TitleOf(_years), svg.Descendants().Single(e => (string?)e.Attribute("class") == "chart-title").Value.Trim());
    }

    [Fact]
    public void Svg_FollowUpBar_FilledWithAStripedPattern()
    {
        var svg = XElement.Parse(ExamsPerYearChart.Svg(_years));

        // Skia's SVG canvas drops hatch shaders: the follow-up bar must carry its own pattern, and so must its legend swatch.
        var pattern = svg.Descendants().Single(e => e.Name.LocalName == "pattern");
        Assert.Equal(ExamsPerYearChart.FollowUpHatchId, (string?)pattern.Attribute("id"));
        Assert.Equal(2, pattern.Elements().Select(e => (string?)e.Attribute("fill")).Distinct().Count());
        var hatched = svg.Descendants().Where(e => (string?)e.Attribute("fill") == $"url(#{ExamsPerYearChart.FollowUpHatchId})").ToList();
        Assert.Equal(2, hatched.Count);
    }

    [Fact]
    public void Svg_NoFollowUp_NoPattern()
    {
        var svg = ExamsPerYearChart.Svg(_years[..2]);

        Assert.DoesNotContain("<pattern", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("After the intervention (follow-up window, hatched)", svg, StringComparison.Ordinal);
        // Without an intervention the title does not promise a bar after one.
        Assert.Equal("Included exams per year", XElement.Parse(svg).Descendants().Single(e => (string?)e.Attribute("class") == "chart-title").Value.Trim());
    }
}
