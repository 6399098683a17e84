using ImagingValue.Core.Statistics.Spc;

namespace ImagingValue.Core.Tests.Statistics.Spc;

/// <summary>README 3.3: a C chart with c̄ = 2 has LCL 0 and UCL 6.24, so no month can signal a fall.</summary>
public class LowCountGuardTests
{
    [Fact]
    public void Compute_CChartMeanTwo_LclZeroUclTwoPlusThreeRootTwoAndAdvice()
    {
        double[] y = [2, 1, 3, 2, 2, 1, 3, 2, 4, 0, 2, 2];

        var result = SpcChart.Compute(y, null, new SpcOptions(ChartType.C));

        var part = Assert.Single(result.Parts);
        Assert.Equal(2, part.Cl);
        Assert.All(part.Lcl, l => Assert.Equal(0, l));
        Assert.All(part.Ucl, u => SpcAssert.Close(2 + (3 * Math.Sqrt(2)), u, SpcAssert.ClosedForm));
        Assert.NotNull(result.Guard);
        Assert.Equal([1], result.Guard.Parts);
        Assert.True(result.Guard.LowerLimitAlwaysZero);
        Assert.Equal(2, result.Guard.EventsPerSubgroup);
        Assert.Contains(LowCountRemedy.ExactPoissonComparison, result.Guard.Remedies);
        Assert.Contains(LowCountRemedy.TimeBetweenEventsChart, result.Guard.Remedies);
        Assert.Contains(LowCountRemedy.CumulativeCount, result.Guard.Remedies);
    }

    [Fact]
    public void Compute_CdiCChartSplitAt24_OnlyPostPartFlagged()
    {
        int[] parts = [24];

        var result = SpcChart.Compute(SpcData.CdiCounts, null, new SpcOptions(ChartType.C, Parts: parts));

        Assert.NotNull(result.Guard);
        Assert.Equal([2], result.Guard.Parts);
    }

    [Fact]
    public void Compute_HighVolumeCChart_NoAdvice()
    {
        var result = SpcChart.Compute(SpcData.CdiCounts.Take(24).ToArray(), null, new SpcOptions(ChartType.C));

        Assert.Null(result.Guard);
    }

    [Fact]
    public void Compute_UChartFewExpectedEvents_Flagged()
    {
        double[] y = [1, 0, 2, 1, 1, 0, 3, 1, 0, 1];
        double[] n = [50, 40, 60, 55, 45, 50, 52, 48, 47, 53];

        var result = SpcChart.Compute(y, n, new SpcOptions(ChartType.U));

        Assert.NotNull(result.Guard);
        Assert.True(result.Guard.EventsPerSubgroup < 3);
    }
}
