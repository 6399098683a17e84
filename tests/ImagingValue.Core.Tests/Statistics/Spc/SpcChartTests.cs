using ImagingValue.Core.Statistics.Spc;

namespace ImagingValue.Core.Tests.Statistics.Spc;

/// <summary>Vectors S1–S15: qicharts2 0.8.1 (R 4.2.2, commit 1b9487e) run on <see cref="SpcData"/>; S2 and S4 as its vignette prints them.</summary>
public class SpcChartTests
{
    private static readonly int[] _part24 = [24];

    private static SpcResult Cdi(ChartType chart, bool screen = false, int? freeze = null, IReadOnlyList<int>? parts = null) =>
        SpcChart.Compute(SpcData.CdiCounts, null, new SpcOptions(chart, freeze, parts, ScreenMovingRanges: screen));

    private static SpcResult CdiRate(ChartType chart, bool screen) =>
        SpcChart.Compute(SpcData.CdiCounts, SpcData.CdiRiskDays, new SpcOptions(chart, Parts: _part24, ScreenMovingRanges: screen, Multiply: 10_000));

    private static void AssertRuns(SpcPart part, int nUseful, int longest, int longestMax, int crossings, int crossingsMin, bool signal)
    {
        Assert.Equal(nUseful, part.NUseful);
        Assert.Equal(longest, part.LongestRun);
        Assert.Equal(longestMax, part.LongestRunMax);
        Assert.Equal(crossings, part.Crossings);
        Assert.Equal(crossingsMin, part.CrossingsMin);
        Assert.Equal(signal, part.RunsSignal);
    }

    [Fact]
    public void Compute_S1RunChart_MedianAndRunsSignal()
    {
        var result = Cdi(ChartType.Run);

        var part = Assert.Single(result.Parts);
        Assert.Equal(17, part.Cl);
        AssertRuns(part, 32, 14, 8, 6, 11, signal: true);
        Assert.Empty(part.Lcl);
        Assert.Empty(part.Outside);
    }

    [Fact]
    public void Compute_S2RunChartFrozenAt24_BaselineMedianOverAllPoints()
    {
        var result = Cdi(ChartType.Run, freeze: 24);

        var part = Assert.Single(result.Parts);
        Assert.Equal(19, part.Cl);
        AssertRuns(part, 31, 15, 8, 8, 11, signal: true);
    }

    [Fact]
    public void Compute_S3RunChartSplitAt24_EachPartRecomputed()
    {
        var result = Cdi(ChartType.Run, parts: _part24);

        Assert.Equal(2, result.Parts.Count);
        var (first, second) = (result.Parts[0], result.Parts[1]);
        Assert.Equal((1, 24), (first.From, first.To));
        Assert.Equal((25, 36), (second.From, second.To));
        Assert.Equal(19, first.Cl);
        AssertRuns(first, 19, 3, 7, 8, 6, signal: false);
        Assert.Equal(6, second.Cl);
        AssertRuns(second, 12, 4, 7, 4, 3, signal: false);
    }

    [Fact]
    public void Compute_S4CChartSplitAt24_PoissonLimitsLowerClampedAtZero()
    {
        var result = Cdi(ChartType.C, parts: _part24);

        var (first, second) = (result.Parts[0], result.Parts[1]);
        SpcAssert.Close(18.70833333, first.Cl);
        Assert.All(first.Lcl, l => SpcAssert.Close(5.732394061, l));
        Assert.All(first.Ucl, u => SpcAssert.Close(31.68427261, u));
        Assert.Equal(24, first.Lcl.Count);
        AssertRuns(first, 24, 6, 8, 8, 8, signal: false);
        Assert.Empty(first.Outside);
        SpcAssert.Close(7.083333333, second.Cl);
        Assert.All(second.Lcl, l => Assert.Equal(0, l));
        Assert.All(second.Ucl, u => SpcAssert.Close(15.06769304, u));
        Assert.False(second.RunsSignal);
        Assert.Empty(second.Outside);
    }

    [Fact]
    public void Compute_S6UChartPer10000RiskDays_PerPointLimits()
    {
        var result = CdiRate(ChartType.U, screen: true);

        var (first, second) = (result.Parts[0], result.Parts[1]);
        SpcAssert.Close(13.02422632, first.Cl);
        SpcAssert.Close(4.1151998, first.Lcl[0]);
        SpcAssert.Close(21.933253, first.Ucl[0]);
        SpcAssert.Range(3.600977465, 4.511878756, first.Lcl);
        SpcAssert.Range(21.53657388, 22.44747517, first.Ucl);
        SpcAssert.Close(5.008920298, second.Cl);
        Assert.All(second.Lcl, l => Assert.Equal(0, l));
        SpcAssert.Range(10.45417195, 10.86604696, second.Ucl);
        Assert.All(result.Parts, p => Assert.Empty(p.Outside));
        Assert.All(result.Parts, p => Assert.False(p.RunsSignal));
    }

    [Fact]
    public void Compute_S7UPrimeScreened_Month20SignalsBelowLimit()
    {
        var result = CdiRate(ChartType.UPrime, screen: true);

        var (first, second) = (result.Parts[0], result.Parts[1]);
        SpcAssert.Close(0.9326473515, first.SigmaZ!.Value);
        Assert.Equal(1, first.MovingRangesScreenedOut);
        SpcAssert.Range(4.235658233, 5.085207910, first.Lcl);
        SpcAssert.Range(20.96324473, 21.81279440, first.Ucl);
        Assert.Equal([20], first.Outside);
        SpcAssert.Close(4.239222, result.Values[19]);
        SpcAssert.Close(4.536681, first.Lcl[19]);
        SpcAssert.Close(1.234185387, second.SigmaZ!.Value);
        SpcAssert.Range(11.72937032, 12.23770044, second.Ucl);
    }

    [Fact]
    public void Compute_S7UPrimeUnscreened_WiderLimitsNoSignal()
    {
        var result = CdiRate(ChartType.UPrime, screen: false);

        var (first, second) = (result.Parts[0], result.Parts[1]);
        SpcAssert.Close(1.067172139, first.SigmaZ!.Value);
        Assert.Equal(0, first.MovingRangesScreenedOut);
        SpcAssert.Range(2.967997687, 3.940086166, first.Lcl);
        SpcAssert.Range(22.10836647, 23.08045495, first.Ucl);
        Assert.Empty(first.Outside);
        SpcAssert.Close(1.234185387, second.SigmaZ!.Value);
    }

    [Fact]
    public void Compute_S8IChartScreened_Month20SignalsAndLclNotClamped()
    {
        var result = Cdi(ChartType.I, screen: true, parts: _part24);

        var (first, second) = (result.Parts[0], result.Parts[1]);
        SpcAssert.Close(4.727272727, first.AverageMovingRange!.Value);
        SpcAssert.Close(18.70833333, first.Cl);
        Assert.All(first.Lcl, l => SpcAssert.Close(6.135799484, l));
        Assert.All(first.Ucl, u => SpcAssert.Close(31.28086718, u));
        Assert.Equal([20], first.Outside);
        SpcAssert.Close(7.083333333, second.Cl);
        Assert.All(second.Lcl, l => SpcAssert.Close(-2.104287556, l));
        Assert.All(second.Ucl, u => SpcAssert.Close(16.27095422, u));
    }

    [Fact]
    public void Compute_S8IChartUnscreened_NoSignal()
    {
        var result = Cdi(ChartType.I, screen: false, parts: _part24);

        var first = result.Parts[0];
        SpcAssert.Close(5.347826087, first.AverageMovingRange!.Value);
        Assert.All(first.Lcl, l => SpcAssert.Close(4.485391613, l));
        Assert.All(first.Ucl, u => SpcAssert.Close(32.93127505, u));
        Assert.Empty(first.Outside);
    }

    [Fact]
    public void Compute_S13PChart_SixteenOfTwentyOutside()
    {
        var result = SpcChart.Compute(SpcData.NhsSeen, SpcData.NhsAttendances, new SpcOptions(ChartType.P, ScreenMovingRanges: true));

        var part = Assert.Single(result.Parts);
        SpcAssert.Close(0.9528997113, part.Cl);
        SpcAssert.Range(0.9516674247, 0.9517318344, part.Lcl);
        SpcAssert.Range(0.9540675883, 0.9541319980, part.Ucl);
        Assert.Equal([1, 2, 3, 4, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19], part.Outside);
    }

    [Fact]
    public void Compute_S14PPrimeChart_LaneyLimitsNoneOutside()
    {
        var result = SpcChart.Compute(SpcData.NhsSeen, SpcData.NhsAttendances, new SpcOptions(ChartType.PPrime, ScreenMovingRanges: true));

        var part = Assert.Single(result.Parts);
        SpcAssert.Close(10.6404218635, part.SigmaZ!.Value);
        Assert.Equal(0, part.MovingRangesScreenedOut);
        SpcAssert.Range(0.9397876617, 0.9404730075, part.Lcl);
        SpcAssert.Range(0.9653264152, 0.9660117610, part.Ucl);
        Assert.Empty(part.Outside);
    }

    [Fact]
    public void Compute_S15IChartOnRatios_CentreLineIsMeanOfRatios()
    {
        var result = SpcChart.Compute(SpcData.NhsSeen, SpcData.NhsAttendances, new SpcOptions(ChartType.I, ScreenMovingRanges: true));

        var part = Assert.Single(result.Parts);
        SpcAssert.Close(0.9529699107, part.Cl);
        SpcAssert.Close(0.9401253539, part.Lcl[0]);
        SpcAssert.Close(0.9658144674, part.Ucl[0]);
    }

    [Fact]
    public void Compute_ExcludedPoint_DroppedFromCentreLineButTestedAgainstLimits()
    {
        int[] exclude = [20];
        var result = SpcChart.Compute(SpcData.CdiCounts, null, new SpcOptions(ChartType.C, Parts: _part24, Exclude: exclude));

        var first = result.Parts[0];
        var expectedCl = SpcData.CdiCounts.Take(24).Where((_, i) => i != 19).Average();
        SpcAssert.Close(expectedCl, first.Cl, SpcAssert.ClosedForm);
        SpcAssert.Close(expectedCl - (3 * Math.Sqrt(expectedCl)), first.Lcl[0], SpcAssert.ClosedForm);
        Assert.Equal([20], first.Outside);
        Assert.Equal(23, first.NUseful);
    }

    [Fact]
    public void Compute_FewUsefulPoints_RunsFlaggedUnreliable()
    {
        double[] y = [3, 5, 4, 6, 2, 7, 5, 4];

        var part = Assert.Single(SpcChart.Compute(y, null, new SpcOptions(ChartType.Run)).Parts);

        Assert.True(part.NUseful < 10);
        Assert.True(part.RunsUnreliable);
    }

    [Fact]
    public void Compute_MovingRangeChart_UclIsD4TimesMeanAndNoRunsSignal()
    {
        var result = Cdi(ChartType.MR);

        var part = Assert.Single(result.Parts);
        Assert.True(double.IsNaN(result.Values[0]));
        var ranges = SpcData.CdiCounts.Zip(SpcData.CdiCounts.Skip(1), (a, b) => Math.Abs(b - a)).ToArray();
        SpcAssert.Close(ranges.Average(), part.Cl, SpcAssert.ClosedForm);
        SpcAssert.Close(3.267 * ranges.Average(), part.Ucl[1], SpcAssert.ClosedForm);
        Assert.False(part.RunsSignal);
    }

    [Fact]
    public void Compute_GChart_PlottedCentreLineIsMedianLimitsFromMean()
    {
        double[] y = [12, 30, 7, 55, 21, 3, 40, 18, 26, 9];

        var part = Assert.Single(SpcChart.Compute(y, null, new SpcOptions(ChartType.G)).Parts);

        var mean = y.Average();
        Assert.Equal(19.5, part.Cl);
        Assert.Equal(0, part.Lcl[0]);
        SpcAssert.Close(mean + (3 * Math.Sqrt(mean * (mean + 1))), part.Ucl[0], SpcAssert.ClosedForm);
    }

    [Fact]
    public void Compute_TChart_LimitsBackTransformedFromIChartOnPower()
    {
        double[] y = [12, 30, 7, 55, 21, 3, 40, 18, 26, 9];

        var part = Assert.Single(SpcChart.Compute(y, null, new SpcOptions(ChartType.T)).Parts);

        var t = y.Select(v => Math.Pow(v, 1 / 3.6)).ToArray();
        var cl = t.Average();
        var amr = t.Zip(t.Skip(1), (a, b) => Math.Abs(b - a)).Average();
        SpcAssert.Close(Math.Pow(cl, 3.6), part.Cl, SpcAssert.ClosedForm);
        SpcAssert.Close(Math.Pow(cl + (3 * amr / 1.128), 3.6), part.Ucl[0], SpcAssert.ClosedForm);
        var lcl = cl - (3 * amr / 1.128);
        Assert.Equal(lcl < 0 ? 0 : Math.Pow(lcl, 3.6), part.Lcl[0], 1e-9);
    }
    [Fact]
    public void Compute_UChartMissingNumerator_SubgroupDroppedFromBothSums()
    {
        var y = SpcData.CdiCounts.Take(24).ToArray();
        y[3] = double.NaN;
        var n = SpcData.CdiRiskDays.Take(24).ToArray();

        var result = SpcChart.Compute(y, n, new SpcOptions(ChartType.U));

        var part = Assert.Single(result.Parts);
        var expected = y.Where((_, i) => i != 3).Sum() / n.Where((_, i) => i != 3).Sum();
        SpcAssert.Close(expected, part.Cl, SpcAssert.ClosedForm);
        Assert.Equal(23, part.NUseful);
        Assert.DoesNotContain(4, part.Outside);
    }

    [Fact]
    public void Compute_CChartFrozenAt24_BaselineLimitsExtendedAndPostPointsSignal()
    {
        var result = Cdi(ChartType.C, freeze: 24);

        var part = Assert.Single(result.Parts);
        SpcAssert.Close(18.70833333, part.Cl);
        Assert.Equal(36, part.Lcl.Count);
        Assert.All(part.Lcl, l => SpcAssert.Close(5.732394061, l));
        Assert.Equal([29, 30, 31, 32, 34, 35], part.Outside);
        Assert.True(part.RunsSignal);
    }

    [Fact]
    public void Compute_FreezeWithParts_FreezeIgnored()
    {
        var withFreeze = Cdi(ChartType.C, freeze: 12, parts: _part24);
        var withoutFreeze = Cdi(ChartType.C, parts: _part24);

        Assert.Equal(withoutFreeze.Parts[0].Cl, withFreeze.Parts[0].Cl);
        Assert.Equal(withoutFreeze.Parts[1].Cl, withFreeze.Parts[1].Cl);
    }
    [Fact]
    public void Compute_PChartNearOne_LimitsClampedToUnitInterval()
    {
        double[] y = [19, 20, 18, 20, 19, 20, 20, 19, 18, 20];
        double[] n = [20, 20, 20, 20, 20, 20, 20, 20, 20, 20];

        var part = Assert.Single(SpcChart.Compute(y, n, new SpcOptions(ChartType.P)).Parts);

        var p = y.Sum() / n.Sum();
        Assert.All(part.Ucl, u => Assert.Equal(1, u));
        Assert.All(part.Lcl, l => SpcAssert.Close(p - (3 * Math.Sqrt(p * (1 - p) / 20)), l, SpcAssert.ClosedForm));
    }
}
