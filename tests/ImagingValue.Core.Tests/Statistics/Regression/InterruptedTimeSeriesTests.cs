using ImagingValue.Core.Statistics.Regression;

namespace ImagingValue.Core.Tests.Statistics.Regression;

public class InterruptedTimeSeriesTests
{
    private static ItsResult Sicily(GlmFamily family, int harmonics = 0, SlopeChangeTerm slope = SlopeChangeTerm.None) =>
        InterruptedTimeSeries.Fit(
            SicilyData.Aces,
            SicilyData.FirstBanMonth,
            new ItsOptions { Family = family, Exposure = SicilyData.StdPop, Harmonics = harmonics, Period = 12, SlopeChange = slope });

    private static void AssertRelative(double expected, double actual, double relative) =>
        Assert.True(
            Math.Abs(actual - expected) <= relative * Math.Abs(expected),
            $"expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2} > {relative:E0})");

    [Fact]
    public void Fit_SicilyLevelOnlyPoisson_MatchesI1()
    {
        var its = Sicily(GlmFamily.Poisson);

        AssertRelative(0.894377, its.LevelChange.RateRatio, 1e-6);
        AssertRelative(0.864686, its.LevelChange.Low, 1e-5);
        AssertRelative(0.925086, its.LevelChange.High, 1e-5);
        AssertRelative(1.004957, its.Trend.RateRatio, 1e-6);
        Assert.Null(its.SlopeChange);
    }

    [Fact]
    public void Fit_SicilyLevelOnlyQuasiPoisson_MatchesI2()
    {
        var its = Sicily(GlmFamily.QuasiPoisson);

        AssertRelative(3.559194632, its.Dispersion, 1e-6);
        AssertRelative(0.839189, its.LevelChange.Low, 1e-5);
        AssertRelative(0.953193, its.LevelChange.High, 1e-5);
    }

    [Fact]
    public void Fit_SicilyTwoHarmonicsQuasiPoisson_MatchesI3()
    {
        var its = Sicily(GlmFamily.QuasiPoisson, harmonics: 2);

        AssertRelative(0.885072, its.LevelChange.RateRatio, 1e-6);
        AssertRelative(0.839401, its.LevelChange.Low, 1e-5);
        AssertRelative(0.933227, its.LevelChange.High, 1e-5);
        AssertRelative(2.262186415, its.Dispersion, 1e-6);
        AssertRelative(1.066808, its.TrendOver(12).RateRatio, 1e-6);
    }

    [Fact]
    public void Fit_SicilyTwoHarmonicsPoisson_MatchesI3PoissonInterval()
    {
        var its = Sicily(GlmFamily.Poisson, harmonics: 2);

        AssertRelative(0.885072, its.LevelChange.RateRatio, 1e-6);
        AssertRelative(0.854438, its.LevelChange.Low, 1e-5);
        AssertRelative(0.916804, its.LevelChange.High, 1e-5);
    }

    [Fact]
    public void Fit_SicilySlopeChangeCentredVersusUncentred_MatchesI4()
    {
        var centred = Sicily(GlmFamily.QuasiPoisson, harmonics: 2, slope: SlopeChangeTerm.CentredAtInterruption);
        var uncentred = Sicily(GlmFamily.QuasiPoisson, harmonics: 2, slope: SlopeChangeTerm.Uncentred);

        Assert.Equal(0.876, Math.Round(centred.LevelChange.RateRatio, 3));
        Assert.Equal(0.827, Math.Round(centred.LevelChange.Low, 3));
        Assert.Equal(0.929, Math.Round(centred.LevelChange.High, 3));
        Assert.Equal(0.831, Math.Round(uncentred.LevelChange.RateRatio, 3));
        Assert.Equal(0.705, Math.Round(uncentred.LevelChange.Low, 3));
        Assert.Equal(0.979, Math.Round(uncentred.LevelChange.High, 3));
    }
}
