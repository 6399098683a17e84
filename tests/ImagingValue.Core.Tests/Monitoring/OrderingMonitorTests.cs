using ImagingValue.Core.Data;
using ImagingValue.Core.Interventions;
using ImagingValue.Core.Monitoring;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Tests.Support;

namespace ImagingValue.Core.Tests.Monitoring;

public class OrderingMonitorTests
{
    private static readonly Intervention _education = new(1, new DateOnly(2018, 6, 30), "education", [], null, null);

    /// <summary>Included exams on the 10th and 20th of each month, as many as each month's count says, from <paramref name="start"/>.</summary>
    private static (List<ImagingOrder> Orders, List<ScreeningDecision> Decisions) Series(DateOnly start, params int[] perMonth)
    {
        var orders = new List<ImagingOrder>();
        for (var m = 0; m < perMonth.Length; m++)
        {
            for (var k = 0; k < perMonth[m]; k++)
            {
                var day = start.AddMonths(m).AddDays(1 + (k * 3));
                orders.Add(Some.Order(orderedAt: day.ToDateTime(new TimeOnly(9, 0)), performedAt: day.ToDateTime(new TimeOnly(10, 0))));
            }
        }

        return (orders, orders.Select(Some.Included).ToList());
    }

    [Fact]
    public void Compute_PaperCase_ExactPrePostAndSavingsInterval()
    {
        // README 3.3 of the QI statistics vectors: 24 exams in 12 months, then 1 in 3 months.
        var (orders, decisions) = Series(new DateOnly(2017, 7, 1), [.. Enumerable.Repeat(2, 12), 1, 0, 0]);

        // The series runs to the end of the follow-up even though its last two months have no exam: the data covers
        // them (another procedure is ordered on the follow-up's last day), so they count as zero.
        var chest = Some.Order(orderedAt: new DateTime(2018, 9, 30, 8, 0, 0), performedAt: new DateTime(2018, 9, 30, 9, 0, 0), procedureName: "XR CHEST", procedureCode: "71046");
        orders.Add(chest);
        decisions.Add(Some.NotTarget(chest));
        var r = OrderingMonitor.Compute("p", orders, decisions, [_education], 4900m, to: new DateOnly(2018, 9, 30));

        var p = r.PrePost!;
        Assert.Equal((24, 12.0, 1, 3.0), (p.PreExams, p.PreMonths, p.PostExams, p.PostMonths));
        Assert.Equal(0.1667, p.RateRatio);
        Assert.Equal([0.0041, 1.0221], p.RateRatioCi95);
        Assert.Equal(0.0447, p.PValue);
        Assert.Equal(6, p.Expected);
        Assert.Equal(5, p.AvoidedExams);
        Assert.Equal([0.43, 5.97], p.AvoidedCi95);
        Assert.Equal(24500, p.Savings);
        Assert.Equal([2099, 29276], p.SavingsCi95);
        Assert.NotNull(r.Guard);
        Assert.Contains("lower limit is 0", r.Guard, StringComparison.Ordinal);
        Assert.Equal(2, r.MonthlyChart.Parts.Count);
        Assert.Equal(12, r.MonthlyChart.Parts[0].To);
        Assert.False(r.Rebound.Alert);
        Assert.Null(r.Its);
        Assert.Contains("at least 12 months before and 6 after", r.ItsNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_MonthsAfterTheLastOrder_NoDataNotZero()
    {
        // 24 exams in 12 months, then 1 in July 2018; nothing at all (no order of any procedure) after July.
        var (orders, decisions) = Series(new DateOnly(2017, 7, 1), [.. Enumerable.Repeat(2, 12), 1]);

        var r = OrderingMonitor.Compute("p", orders, decisions, [_education], 4900m, to: new DateOnly(2018, 12, 31));

        Assert.Equal("2018-07", r.Months[^1].Month);
        Assert.Equal(["2018-08", "2018-09", "2018-10", "2018-11", "2018-12"], r.NoDataMonths!);
        // The comparison counts only the month with data after the intervention, not five zeros.
        var p = r.PrePost!;
        Assert.Equal((24, 12.0, 1, 1.0), (p.PreExams, p.PreMonths, p.PostExams, p.PostMonths));
    }

    [Fact]
    public void Compute_DataCoversEveryMonth_NoNoDataMonths()
    {
        var (orders, decisions) = Series(new DateOnly(2017, 7, 1), [.. Enumerable.Repeat(2, 12), 1]);

        var r = OrderingMonitor.Compute("p", orders, decisions, [_education], 4900m, to: new DateOnly(2018, 7, 31));

        Assert.Null(r.NoDataMonths);
    }

    [Fact]
    public void Compute_OrdersClimbBackAfterTheIntervention_ReboundAlert()
    {
        var (orders, decisions) = Series(new DateOnly(2016, 7, 1), [.. Enumerable.Repeat(2, 24), 0, 0, 1, 0, 0, 0, 3, 4, 4]);

        var r = OrderingMonitor.Compute("p", orders, decisions, [_education], 4900m, to: orders.Max(o => o.ExamDate).AddMonths(0));

        Assert.True(r.Rebound.Alert);
        Assert.Contains(r.Rebound.Reasons, reason => reason.StartsWith("the last 3 months ran at", StringComparison.Ordinal));
    }

    [Fact]
    public void Compute_LongSeries_SegmentedRegressionLevelChange()
    {
        var before = Enumerable.Range(0, 24).Select(i => 6 + (i % 3)).ToArray();
        var after = Enumerable.Range(0, 12).Select(i => 2 + (i % 2)).ToArray();
        var (orders, decisions) = Series(new DateOnly(2016, 7, 1), [.. before, .. after]);

        var r = OrderingMonitor.Compute("p", orders, decisions, [_education], 4900m, to: orders.Max(o => o.ExamDate).AddMonths(0));

        Assert.NotNull(r.Its);
        Assert.InRange(r.Its!.LevelChange, 0.2, 0.6);
        Assert.True(r.Its.LevelChangeCi95[1] < 1);
        Assert.Equal(36, r.Months.Count);
        Assert.Equal(new MonthCount("2018-07", 2), r.Months[24]);
    }

    [Fact]
    public void Compute_InterventionForAnotherProtocol_Ignored()
    {
        var (orders, decisions) = Series(new DateOnly(2016, 7, 1), [.. Enumerable.Repeat(2, 24), 1, 0, 0]);
        var other = _education with { ProtocolId = "another" };

        var r = OrderingMonitor.Compute("p", orders, decisions, [other], 4900m);

        Assert.Null(r.PrePost);
        Assert.Single(r.MonthlyChart.Parts);
    }
}
