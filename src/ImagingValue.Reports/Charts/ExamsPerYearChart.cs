using System.Globalization;
using ImagingValue.Core.Analytics;
using ScottPlot;

namespace ImagingValue.Reports.Charts;

/// <summary>
/// The paper's Figure 4: included exams per year of the review, then the post-intervention window.
/// Bars carry their counts and the follow-up bar is labelled and hatched (a pattern fill in SVG, so it prints hatched),
/// and a legend says which bar is which, so the chart reads without colour.
/// </summary>
public static class ExamsPerYearChart
{
    /// <summary>The label of a bar whose window the data does not cover.</summary>
    public const string NoData = "no data";

    /// <summary>The chart's title: it names the post-intervention bar only when the chart has one.</summary>
    public static string TitleOf(IReadOnlyList<YearCount> years) =>
        years.Any(y => y.IsFollowUp) ? "Included exams per year, and after the intervention" : "Included exams per year";

    /// <summary>The id of the SVG pattern that hatches the follow-up bar and its legend swatch.</summary>
    public const string FollowUpHatchId = "exams-per-year-follow-up-hatch";

    private static readonly Color _reviewColor = Colors.SteelBlue;
    private static readonly Color _followUpColor = Colors.DarkOrange;

    static ExamsPerYearChart() => Fonts.Default = "DejaVu Sans";

    public static string Svg(IReadOnlyList<YearCount> years, int width = 760, int height = 380)
    {
        ArgumentNullException.ThrowIfNull(years);
        var svg = ChartSvg.Render(Build(years), width, height).MarkTitle(TitleOf(years));
        return (years.Any(y => y.IsFollowUp && y.Included is not null) ? svg.Hatch(_followUpColor, Colors.White, FollowUpHatchId) : svg).ToString();
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
            FillColor = y.Included is null ? Colors.Transparent : y.IsFollowUp ? _followUpColor : _reviewColor,
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
        plot.Title(TitleOf(years));
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Review period (calendar year; part-years say how many months)", FillColor = _reviewColor, OutlineColor = Colors.Black });
        if (years.Any(y => y.IsFollowUp && y.Included is not null))
        {
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = "After the intervention (follow-up window, hatched)",
                FillColor = _followUpColor,
                FillHatch = new ScottPlot.Hatches.Striped(),
                FillHatchColor = Colors.White.WithAlpha(0.6),
                OutlineColor = Colors.Black,
            });
        }

        plot.ShowLegend(Edge.Bottom);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        return plot;
    }
}
