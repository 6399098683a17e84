using ImagingValue.Core.Monitoring;
using ScottPlot;

namespace ImagingValue.Reports.Charts;

/// <summary>
/// The monitoring chart: included exams per month as a C chart, its centre line and upper limit per phase, and a
/// dashed line at each intervention. Months outside the limits are ringed, and a phase whose runs signal has a dashed
/// centre line; a legend below the chart names each mark. Phases differ by line style as well as colour, so it reads in grey.
/// </summary>
public static class MonitorChart
{
    static MonitorChart() => Fonts.Default = "DejaVu Sans";

    /// <summary>
    /// Every month the chart spans, in order (x = 1, 2, ...): the months with data and their counts (zero included),
    /// then the months with no data, whose count is null: they get no point, only a shaded span labelled "no data".
    /// </summary>
    public static IReadOnlyList<MonthPoint> Points(MonitorResult monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        return [.. monitor.Months.Select(m => new MonthPoint(m.Month, m.Included)), .. (monitor.NoDataMonths ?? []).Select(m => new MonthPoint(m, null))];
    }

    public const string Title = "Included exams per month (C chart)";

    /// <summary>The class of the ring drawn around each month outside its phase's control limits.</summary>
    public const string OutsideLimitClass = "outside-limit";

    /// <summary>The class of the centre line of a phase whose runs (Anhøj rules) signal a shift or too few crossings.</summary>
    public const string RunsSignalClass = "runs-signal";

    /// <summary>Signals are drawn in this colour only, so the SVG can tell them from everything else.</summary>
    private static readonly Color _signalColor = Color.FromHex("#C00000");

    private static readonly Color _runsSignalColor = Color.FromHex("#C00001");

    /// <summary>The legend's swatches: the same red to the eye, another colour to <see cref="ChartSvg.MarkStroked"/>, so only marks on data are classed.</summary>
    private static readonly Color _signalLegendColor = Color.FromHex("#C00002");

    private static readonly Color _runsSignalLegendColor = Color.FromHex("#C00003");

    public static string Svg(MonitorResult monitor, int width = 760, int height = 480)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        var plot = new Plot();
        var points = Points(monitor);
        var xs = Enumerable.Range(1, monitor.Months.Count).Select(i => (double)i).ToArray();
        var ys = monitor.Months.Select(m => (double)m.Included).ToArray();
        var counts = plot.Add.Scatter(xs, ys);
        counts.Color = Colors.Black;
        counts.MarkerSize = 4;

        if (points.Count > monitor.Months.Count)
        {
            var span = plot.Add.HorizontalSpan(monitor.Months.Count + 0.5, points.Count + 0.5);
            span.FillStyle.Color = Colors.Gray.WithAlpha(0.2);
            span.FillStyle.Hatch = new ScottPlot.Hatches.Striped();
            span.FillStyle.HatchColor = Colors.Gray.WithAlpha(0.4);
            var label = plot.Add.Text("no data", monitor.Months.Count + 1, 0);
            label.LabelFontSize = 12;
            label.LabelFontColor = Colors.Black;
        }

        var legend = new List<LegendItem>();
        foreach (var part in monitor.MonthlyChart.Parts)
        {
            double[] span = [part.From - 0.5, part.To + 0.5];
            var centre = plot.Add.Scatter(span, [part.Cl, part.Cl]);
            centre.MarkerSize = 0;
            centre.LineWidth = 2;
            centre.Color = part.RunsSignal ? _runsSignalColor : Colors.SteelBlue;
            centre.LinePattern = part.RunsSignal ? LinePattern.Dashed : LinePattern.Solid;
            foreach (var (limits, name) in new[] { (part.Ucl, "upper"), (part.Lcl, "lower") })
            {
                // A C chart's lower limit is 0 at low counts: no month can fall below it, so it is not drawn.
                var limit = name == "upper" ? limits.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max() : limits.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min();
                if (double.IsFinite(limit) && limit > 0)
                {
                    var line = plot.Add.Scatter(span, [limit, limit]);
                    line.Color = Colors.Gray;
                    line.MarkerSize = 0;
                    line.LinePattern = LinePattern.Dotted;
                }
            }
        }

        var outside = monitor.MonthlyChart.Parts.SelectMany(p => p.Outside).Where(i => i >= 1 && i <= ys.Length).ToArray();
        if (outside.Length > 0)
        {
            var rings = plot.Add.Markers(outside.Select(i => (double)i).ToArray(), outside.Select(i => ys[i - 1]).ToArray(), MarkerShape.OpenCircle, 14, _signalColor);
            rings.MarkerLineWidth = 2;
        }

        legend.Add(new LegendItem { LabelText = "Exams in the month", LineColor = Colors.Black, LineWidth = 1, MarkerShape = MarkerShape.FilledCircle, MarkerSize = 4, MarkerFillColor = Colors.Black });
        legend.Add(new LegendItem { LabelText = "Centre line (mean of the phase)", LineColor = Colors.SteelBlue, LineWidth = 2 });
        legend.Add(new LegendItem { LabelText = "Control limit (3 sigma)", LineColor = Colors.Gray, LinePattern = LinePattern.Dotted, LineWidth = 1 });
        if (outside.Length > 0)
        {
            legend.Add(new LegendItem { LabelText = "Month outside the limits", MarkerShape = MarkerShape.OpenCircle, MarkerSize = 12, MarkerLineColor = _signalLegendColor, MarkerLineWidth = 2 });
        }

        if (monitor.MonthlyChart.Parts.Any(p => p.RunsSignal))
        {
            legend.Add(new LegendItem { LabelText = "Centre line of a phase with a runs signal (shift or too few crossings)", LineColor = _runsSignalLegendColor, LinePattern = LinePattern.Dashed, LineWidth = 2 });
        }

        foreach (var intervention in monitor.Interventions)
        {
            var month = intervention.Date.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            var index = monitor.Months.Select(m => m.Month).ToList().IndexOf(month);
            if (index >= 0)
            {
                // Named in the legend, not on the line: a label at the chart's edge ran into the title.
                var line = plot.Add.VerticalLine(index + 1.5);
                line.LinePattern = LinePattern.Dashed;
                line.Color = Colors.DarkOrange;
                legend.Add(new LegendItem
                {
                    LabelText = $"Intervention: {intervention.Kind}, {intervention.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}",
                    LineColor = Colors.DarkOrange,
                    LinePattern = LinePattern.Dashed,
                    LineWidth = 1,
                });
            }
        }

        var ticks = points.Select((m, i) => (m, i)).Where(t => t.m.Month.EndsWith("-01", StringComparison.Ordinal) || t.i == 0).ToList();
        plot.Axes.Bottom.SetTicks(ticks.Select(t => t.i + 1.0).ToArray(), ticks.Select(t => t.m.Month).ToArray());
        plot.Axes.Margins(bottom: 0);
        // Room left of the first month: its centred tick label otherwise runs into the y axis's "0".
        plot.Axes.SetLimitsX(-2, points.Count + 1);
        plot.YLabel("Included exams");
        plot.Title(Title);
        plot.Legend.DisplayPlottableLegendItems = false;
        plot.Legend.ManualItems.AddRange(legend);
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.ShowLegend(Edge.Bottom);
        return ChartSvg.Render(plot, width, height)
            .MarkTitle(Title)
            .MarkStroked(_signalColor, OutsideLimitClass)
            .MarkStroked(_runsSignalColor, RunsSignalClass)
            .ToString();
    }
}

/// <summary>One month of the monitoring chart.</summary>
/// <param name="Month">yyyy-MM.</param>
/// <param name="Included">Included exams; null when the data does not reach the month (no data, not zero).</param>
public sealed record MonthPoint(string Month, int? Included);
