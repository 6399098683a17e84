using ImagingValue.Core.Data;
using ImagingValue.Core.Interventions;
using ImagingValue.Core.Monitoring;
using ImagingValue.Core.Screening;
using ImagingValue.Reports.Charts;
using ImagingValue.Reports.Tests.Support;

namespace ImagingValue.Reports.Tests.Charts;

public class MonitorChartTests
{
    /// <summary>Two exams a month for 12 months, then one month with none but with data (another procedure), then nothing at all.</summary>
    private static MonitorResult Monitor(DateOnly to, int spikeMonth = -1)
    {
        var orders = new List<ImagingOrder>();
        var decisions = new List<ScreeningDecision>();
        for (var m = 0; m < 12; m++)
        {
            for (var k = 0; k < (m == spikeMonth ? 12 : 2); k++)
            {
                var order = Some.Order(orderedAt: new DateTime(2017, 7, 2 + (k * 2), 9, 0, 0).AddMonths(m));
                orders.Add(order);
                decisions.Add(Some.Included(order));
            }
        }

        var other = Some.Order(orderedAt: new DateTime(2018, 7, 20, 9, 0, 0));
        orders.Add(other);
        decisions.Add(new ScreeningDecision(other.OrderId, Decision.NotTarget, false, null, [], []));
        return OrderingMonitor.Compute("p", orders, decisions, [new Intervention(1, new DateOnly(2018, 6, 30), "education", [], null, null)], 4900m, new DateOnly(2017, 7, 1), to);
    }

    [Fact]
    public void Points_ZeroMonthAndNoDataMonths_DrawnDifferently()
    {
        var monitor = Monitor(new DateOnly(2018, 9, 30));

        var points = MonitorChart.Points(monitor);

        // July 2018 had data and no exam: a point at 0. August and September have no data: no value at all.
        Assert.Equal(15, points.Count);
        Assert.Equal(("2018-07", (double?)0), (points[12].Month, points[12].Included));
        Assert.Equal(["2018-08", "2018-09"], points.Skip(13).Select(p => p.Month));
        Assert.All(points.Skip(13), p => Assert.Null(p.Included));
        Assert.Contains("no data", MonitorChart.Svg(monitor), StringComparison.Ordinal);
    }

    [Fact]
    public void Svg_DataCoversEveryMonth_NoNoDataSpan()
    {
        var svg = MonitorChart.Svg(Monitor(new DateOnly(2018, 7, 31)));

        Assert.DoesNotContain("no data", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Svg_MonthAboveTheLimit_RingedAndNamedInTheLegend()
    {
        var monitor = Monitor(new DateOnly(2018, 7, 31), spikeMonth: 5);
        Assert.Equal([6], monitor.MonthlyChart.Parts.SelectMany(p => p.Outside));

        var svg = System.Xml.Linq.XElement.Parse(MonitorChart.Svg(monitor));

        var rings = svg.Descendants().Where(e => (string?)e.Attribute("class") == MonitorChart.OutsideLimitClass).ToList();
        Assert.Single(rings);
        Assert.Contains("Month outside the limits", svg.Value, StringComparison.Ordinal);
        Assert.Equal(MonitorChart.Title, svg.Descendants().Single(e => (string?)e.Attribute("class") == "chart-title").Value.Trim());
    }

    [Fact]
    public void Svg_NoMonthOutside_NoRingAndNoLegendEntry()
    {
        var svg = MonitorChart.Svg(Monitor(new DateOnly(2018, 7, 31)));

        Assert.DoesNotContain(MonitorChart.OutsideLimitClass, svg, StringComparison.Ordinal);
        Assert.DoesNotContain("Month outside the limits", svg, StringComparison.Ordinal);
    }
}
