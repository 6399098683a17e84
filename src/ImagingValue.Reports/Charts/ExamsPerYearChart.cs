using System.Globalization;
using ImagingValue.Core.Analytics;
using ScottPlot;

namespace ImagingValue.Reports.Charts;

/// <summary>
/// The paper's Figure 4: included exams per year of the review, then the post-intervention window.
/// Bars carry their counts and the follow-up bar is labelled and hatched, so the chart reads without colour.
/// </summary>
public static class ExamsPerYearChart
{
    /// <summary>The label of a bar whose window the data does not cover.</summary>
    public const string NoData = "no data";

    static ExamsPerYearChart() => Fonts.Default = "DejaVu Sans";

    public static string Svg(IReadOnlyList<YearCount> years, int width = 760, int height = 380)
    {
        ArgumentNullException.ThrowIfNull(years);
        return Build(years).GetSvgXml(width, height);
    }

    /// <summary>The same chart as <see cref="Svg"/>, as PNG bytes (for Office documents).</summary>
    public static byte[] Png(IReadOnlyList<YearCount> years, int width = 760, int height = 380)
    {
        ArgumentNullException.ThrowIfNull(years);
        return Build(years).GetImageBytes(width, height, ImageFormat.Png);
    }

    private static Plot Build(IReadOnlyList<YearCount> years)
    {
        var plot = new Plot();
        // A window with no data has no bar, only the words "no data": a zero is a count, this is not.
        var bars = years.Select((y, i) => new Bar
        {
            Position = i,
            Value = y.Included ?? 0,
            FillColor = y.Included is null ? Colors.Transparent : y.IsFollowUp ? Colors.DarkOrange : Colors.SteelBlue,
            FillHatch = y.IsFollowUp && y.Included is not null ? new ScottPlot.Hatches.Striped() : null,
            FillHatchColor = Colors.White.WithAlpha(0.6),
            Label = y.Included?.ToString(CultureInfo.InvariantCulture) ?? NoData,
        }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 14;
        plot.Axes.Bottom.SetTicks(
            years.Select((_, i) => (double)i).ToArray(),
            years.Select(y => y.Label.Replace(" (", "\n(", StringComparison.Ordinal)).ToArray());
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.YLabel("Included exams");
        plot.Title("Included exams per year, and after the intervention");
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        return plot;
    }
}
