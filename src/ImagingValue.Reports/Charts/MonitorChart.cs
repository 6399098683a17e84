using ImagingValue.Core.Monitoring;
using ScottPlot;

namespace ImagingValue.Reports.Charts;

/// <summary>
/// The monitoring chart: included exams per month as a C chart, its centre line and upper limit per phase, and a
/// dashed line at each intervention. Phases differ by line style as well as colour, so it reads in grey.
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

    public static string Svg(MonitorResult monitor, int width = 760, int height = 360)
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

        foreach (var part in monitor.MonthlyChart.Parts)
        {
            double[] span = [part.From - 0.5, part.To + 0.5];
            var centre = plot.Add.Scatter(span, [part.Cl, part.Cl]);
            centre.Color = Colors.SteelBlue;
            centre.MarkerSize = 0;
            centre.LineWidth = 2;
            var ucl = part.Ucl.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
            if (double.IsFinite(ucl))
            {
                var upper = plot.Add.Scatter(span, [ucl, ucl]);
                upper.Color = Colors.Gray;
                upper.MarkerSize = 0;
                upper.LinePattern = LinePattern.Dotted;
            }
        }

        foreach (var intervention in monitor.Interventions)
        {
            var month = intervention.Date.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            var index = monitor.Months.Select(m => m.Month).ToList().IndexOf(month);
            if (index >= 0)
            {
                var line = plot.Add.VerticalLine(index + 1.5);
                line.LinePattern = LinePattern.Dashed;
                line.Color = Colors.DarkOrange;
                line.Text = intervention.Kind;
                line.LabelOppositeAxis = true;
            }
        }

        var ticks = points.Select((m, i) => (m, i)).Where(t => t.m.Month.EndsWith("-01", StringComparison.Ordinal) || t.i == 0).ToList();
        plot.Axes.Bottom.SetTicks(ticks.Select(t => t.i + 1.0).ToArray(), ticks.Select(t => t.m.Month).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsX(0, points.Count + 1);
        plot.YLabel("Included exams per month");
        plot.Title("Monthly included exams (C chart: centre line solid, upper limit dotted)");
        return plot.GetSvgXml(width, height);
    }
}

/// <summary>One month of the monitoring chart.</summary>
/// <param name="Month">yyyy-MM.</param>
/// <param name="Included">Included exams; null when the data does not reach the month (no data, not zero).</param>
public sealed record MonthPoint(string Month, int? Included);
