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

    [Fact]
    public void Fit_CentredAndUncentredSlope_DifferOnlyByReparameterisation()
    {
        var centred = Sicily(GlmFamily.QuasiPoisson, harmonics: 2, slope: SlopeChangeTerm.CentredAtInterruption);
        var uncentred = Sicily(GlmFamily.QuasiPoisson, harmonics: 2, slope: SlopeChangeTerm.Uncentred);
        var b3 = centred.SlopeChange!.LogEstimate;

        // β₂(uncentred) = β₂(centred) − T₀·β₃ with T₀ = 36; slope and fit are unchanged.
        Assert.Equal(b3, uncentred.SlopeChange!.LogEstimate, 1e-9);
        Assert.Equal(centred.LevelChange.LogEstimate - (36 * b3), uncentred.LevelChange.LogEstimate, 1e-8);
        Assert.Equal(centred.Model.Deviance, uncentred.Model.Deviance, 1e-7);
        Assert.Equal(centred.Trend.RateRatio * centred.SlopeChange.RateRatio, centred.PostTrend.RateRatio, 1e-12);
        Assert.True(centred.PostTrend.Low < centred.PostTrend.RateRatio && centred.PostTrend.RateRatio < centred.PostTrend.High);
    }

    [Fact]
    public void Fit_SicilyNegativeBinomial_ReportsThetaAndAgreesWithQuasiPoisson()
    {
        var nb = Sicily(GlmFamily.NegativeBinomial, harmonics: 2);
        var quasi = Sicily(GlmFamily.QuasiPoisson, harmonics: 2);

        Assert.NotNull(nb.Theta);
        Assert.NotNull(nb.ThetaStandardError);
        Assert.Equal(1.0, nb.Dispersion);

        // Overdispersion φ ≈ 2.26 at μ ≈ 850 implies θ ≈ μ/(φ − 1) in the hundreds; both fits tell the same story.
        Assert.InRange(nb.Theta!.Value, 300, 3000);
        Assert.Equal(quasi.LevelChange.RateRatio, nb.LevelChange.RateRatio, 0.01);
        Assert.Equal(quasi.LevelChange.StandardError, nb.LevelChange.StandardError, 0.01);
    }

    [Fact]
    public void TrendOver_Twelve_IsTwelfthPowerWithScaledInterval()
    {
        var its = Sicily(GlmFamily.QuasiPoisson, harmonics: 2);
        var year = its.TrendOver(12);

        Assert.Equal(Math.Pow(its.Trend.RateRatio, 12), year.RateRatio, 1e-12);
        Assert.Equal(Math.Pow(its.Trend.Low, 12), year.Low, 1e-12);
        Assert.Equal(Math.Pow(its.Trend.High, 12), year.High, 1e-12);
    }
}
