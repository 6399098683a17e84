using System.Globalization;
using ImagingValue.Core.Statistics.Spc;
using ImagingValue.Core.Tests.Support;

namespace ImagingValue.Core.Tests.Statistics.Spc;

/// <summary>
/// Vectors M1, M2, M4, M5 from NHSRplotthedots 0.2.2 (R, commit 050b07d): M1 its "deviations" vignette data
/// (copied to TestData/qi-statistics/mdc_screening_vignette.csv), M2 computed with it on <see cref="SpcData.CdiCounts"/>,
/// M4 its tests (tests/testthat/test-ptd_calculate_point_type.R), M5 its rule (R/ptd_calculate_assurance_type.R).
/// </summary>
public class MakingDataCountTests
{
    private static readonly int[] _rebaseAt25 = [24];

    private static double[] VignetteValues() =>
        [.. File.ReadAllLines(TestData.PathOf("qi-statistics/mdc_screening_vignette.csv"))
            .Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture))];

    private static SpcOptions Mdc(bool screen, IReadOnlyList<int>? parts = null, ImprovementDirection improvement = ImprovementDirection.Neutral, double? target = null) =>
        new(ChartType.I, Parts: parts, Rules: RuleSet.MakingDataCount, ScreenMovingRanges: screen, Improvement: improvement, Target: target);

    [Theory]
    [InlineData(true, -0.7155555556, 4.604444444)]
    [InlineData(false, -3.062614379, 6.951503268)]
    public void Compute_M1ScreeningVignette_LimitsAndPoint5AboveUcl(bool screen, double lpl, double upl)
    {
        var result = SpcChart.Compute(VignetteValues(), null, Mdc(screen));

        var part = Assert.Single(result.Parts);
        SpcAssert.Close(1.944444444, part.Cl);
        SpcAssert.Close(lpl, part.Lcl[0]);
        SpcAssert.Close(upl, part.Ucl[0]);
        Assert.Equal(MdcSignal.AboveUcl, result.Points[4].Signal);
        Assert.Equal(MdcPointType.SpecialCauseNeutralHigh, result.Points[4].Type);
    }

    [Fact]
    public void Compute_M2CdiRebasedScreened_Month20IsImprovement()
    {
        var result = SpcChart.Compute(SpcData.CdiCounts, null, Mdc(true, _rebaseAt25, ImprovementDirection.Decrease));

        var (phase0, phase1) = (result.Parts[0], result.Parts[1]);
        SpcAssert.Close(18.70833333, phase0.Cl);
        SpcAssert.Close(6.133787879, phase0.Lcl[0]);
        SpcAssert.Close(31.28287879, phase0.Ucl[0]);
        var month20 = result.Points[19];
        Assert.Equal(20, month20.Index);
        Assert.Equal(MdcSignal.BelowLcl, month20.Signal);
        Assert.Equal(MdcPointType.SpecialCauseImprovement, month20.Type);
        Assert.All(result.Points.Where(p => p.Index != 20), p => Assert.Equal(MdcSignal.CommonCause, p.Signal));
        SpcAssert.Close(7.083333333, phase1.Cl);
        SpcAssert.Close(-2.105757576, phase1.Lcl[0]);
        SpcAssert.Close(16.27242424, phase1.Ucl[0]);
        Assert.False(phase0.TrialLimits);
        Assert.False(phase1.TrialLimits);
        Assert.Equal(MdcPointType.CommonCause, result.Variation);
    }

    [Fact]
    public void Compute_M2CdiRebasedUnscreened_NoFlagsInPhase0()
    {
        var result = SpcChart.Compute(SpcData.CdiCounts, null, Mdc(false, _rebaseAt25, ImprovementDirection.Decrease));

        var phase0 = result.Parts[0];
        SpcAssert.Close(4.483115942, phase0.Lcl[0]);
        SpcAssert.Close(32.93355072, phase0.Ucl[0]);
        Assert.All(result.Points.Take(24), p => Assert.Equal(MdcPointType.CommonCause, p.Type));
    }

    [Fact]
    public void Compute_MdcNearLimits_TwoThirdsOfLimitDistance()
    {
        var result = SpcChart.Compute(SpcData.CdiCounts, null, Mdc(true, _rebaseAt25));

        var phase0 = result.Parts[0];
        SpcAssert.Close(phase0.Cl - (2.0 / 3.0 * (phase0.Cl - phase0.Lcl[0])), phase0.NearLcl[0], SpcAssert.ClosedForm);
        SpcAssert.Close(phase0.Cl + (2.0 / 3.0 * (phase0.Ucl[0] - phase0.Cl)), phase0.NearUcl[0], SpcAssert.ClosedForm);
    }

    [Fact]
    public void Compute_MdcShortPhase_TrialLimits()
    {
        int[] rebase = [30];
        var result = SpcChart.Compute(SpcData.CdiCounts, null, Mdc(false, rebase));

        Assert.False(result.Parts[0].TrialLimits);
        Assert.True(result.Parts[1].TrialLimits);
    }

    [Fact]
    public void SevenPointsOneSide_M4EightAboveThenBelow_FlagsSeventhAndEighth()
    {
        int[] relative = [1, 1, 1, 1, 1, 1, 1, 1, -1];

        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1, 0], MakingDataCountRules.SevenPointsOneSide(relative));
    }

    [Fact]
    public void SevenPointsOneSide_PointOnMean_BreaksRun()
    {
        int[] relative = [1, 1, 1, 0, 1, 1, 1, 1];

        Assert.All(MakingDataCountRules.SevenPointsOneSide(relative), f => Assert.Equal(0, f));
    }

    [Theory]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7 }, new[] { 0, 0, 0, 0, 0, 0, 1 })]
    [InlineData(new double[] { 1, 2, 3, 3, 4, 5, 6 }, new[] { 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new double[] { 7, 6, 5, 4, 3, 2, 1 }, new[] { 0, 0, 0, 0, 0, 0, -1 })]
    [InlineData(new double[] { 2, 1, 2, 3, 4, 5, 6, 7, 3 }, new[] { 0, 0, 0, 0, 0, 0, 0, 1, 0 })]
    public void SevenPointTrend_M4Units_MatchPackageTests(double[] y, int[] expected)
    {
        Assert.Equal(expected, MakingDataCountRules.SevenPointTrend(y));
    }

    [Fact]
    public void Classify_DecreasingTrendWithinLimits_AllSevenLabelledDecreasing()
    {
        double[] y = [10, 9, 8, 7, 6, 5, 4];
        var relative = y.Select(v => Math.Sign(v - 7)).ToArray();
        var none = new bool[y.Length];

        var labels = MakingDataCountRules.Classify(y, relative, none, none);

        Assert.All(labels, l => Assert.Equal(MdcSignal.TrendDecreasing, l));
    }

    [Fact]
    public void Classify_TwoOfThreeNearLimitSameSide_FlagsOnlyNearLimitPoints()
    {
        double[] y = [0, 8, 2, 8, 0];
        int[] relative = [-1, 1, 1, 1, -1];
        bool[] close = [false, true, false, true, false];

        var labels = MakingDataCountRules.Classify(y, relative, close, new bool[5]);

        Assert.Equal([MdcSignal.CommonCause, MdcSignal.TwoInThreeAbove, MdcSignal.CommonCause, MdcSignal.TwoInThreeAbove, MdcSignal.CommonCause], labels);
    }

    [Theory]
    [InlineData(10, MdcAssurance.Inconsistent)]
    [InlineData(20, MdcAssurance.ConsistentPass)]
    [InlineData(-5, MdcAssurance.ConsistentFail)]
    public void Assurance_M5DecreaseDirection_MatchesRule(double target, MdcAssurance expected)
    {
        Assert.Equal(expected, MakingDataCountRules.Assurance(target, -2.1058, 16.2724, ImprovementDirection.Decrease));
    }

    [Fact]
    public void Compute_TargetWithCdiPhase1_AssuranceFromLatestPhase()
    {
        var result = SpcChart.Compute(SpcData.CdiCounts, null, Mdc(true, _rebaseAt25, ImprovementDirection.Decrease, target: 20));

        Assert.Equal(MdcAssurance.ConsistentPass, result.Assurance);
    }
    [Theory]
    [InlineData(MdcSignal.BelowLcl, ImprovementDirection.Increase, MdcPointType.SpecialCauseConcern)]
    [InlineData(MdcSignal.TrendIncreasing, ImprovementDirection.Increase, MdcPointType.SpecialCauseImprovement)]
    [InlineData(MdcSignal.SevenPointsAbove, ImprovementDirection.Decrease, MdcPointType.SpecialCauseConcern)]
    [InlineData(MdcSignal.TwoInThreeBelow, ImprovementDirection.Neutral, MdcPointType.SpecialCauseNeutralLow)]
    [InlineData(MdcSignal.CommonCause, ImprovementDirection.Decrease, MdcPointType.CommonCause)]
    public void PointType_SignalAndDirection_MapsToImprovementOrConcern(MdcSignal signal, ImprovementDirection direction, MdcPointType expected)
    {
        Assert.Equal(expected, MakingDataCountRules.PointType(signal, direction));
    }

    [Fact]
    public void Assurance_NeutralDirection_None()
    {
        Assert.Null(MakingDataCountRules.Assurance(20, -2.1058, 16.2724, ImprovementDirection.Neutral));
    }
}
