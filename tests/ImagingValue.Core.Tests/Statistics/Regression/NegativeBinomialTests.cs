using ImagingValue.Core.Statistics.Regression;
using MathNet.Numerics.Distributions;

namespace ImagingValue.Core.Tests.Statistics.Regression;

public class NegativeBinomialTests
{
    private static (double[] Y, double[] X, double[] LogExposure) Simulate(int n, double b0, double b1, double theta, int seed)
    {
        var random = new Random(seed);
        var y = new double[n];
        var x = new double[n];
        var logExposure = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = (2 * random.NextDouble()) - 1;
            logExposure[i] = Math.Log(1 + (4 * random.NextDouble()));
            var mu = Math.Exp(b0 + (b1 * x[i]) + logExposure[i]);

            // NB2 as a gamma–Poisson mixture: λ ~ Gamma(shape θ, rate θ/μ), y ~ Poisson(λ).
            var lambda = Gamma.Sample(random, theta, theta / mu);
            y[i] = Poisson.Sample(random, lambda);
        }

        return (y, x, logExposure);
    }

    private static GlmResult FitSicily(GlmFamily family, double? theta = null, double tolerance = 1e-8) =>
        GlmFit.Fit(
            SicilyData.Aces,
            [new DesignColumn("smokban", SicilyData.SmokBan), new DesignColumn("time", SicilyData.Time)],
            family,
            new GlmOptions { Offset = SicilyData.LogStdPop, Theta = theta, Tolerance = tolerance });

    [Fact]
    public void Fit_FixedHugeTheta_ApproachesPoisson()
    {
        // Tight convergence so that the two fits differ by the μ²/θ term only, not by where IRLS stopped.
        var poisson = FitSicily(GlmFamily.Poisson, tolerance: 1e-14);
        var nb = FitSicily(GlmFamily.NegativeBinomial, theta: 1e9, tolerance: 1e-14);

        for (var j = 0; j < poisson.Coefficients.Count; j++)
        {
            Assert.Equal(poisson.Coefficients[j].Estimate, nb.Coefficients[j].Estimate, 1e-6);
            Assert.Equal(poisson.Coefficients[j].StandardError, nb.Coefficients[j].StandardError, 1e-7);
        }

        Assert.Equal(poisson.Deviance, nb.Deviance, 1e-3);
        Assert.Equal(poisson.LogLikelihood!.Value, nb.LogLikelihood!.Value, 1e-3);
        Assert.Null(nb.ThetaStandardError);
    }

    [Fact]
    public void Fit_SimulatedNb2WithOffset_RecoversBetaAndTheta()
    {
        var (y, x, logExposure) = Simulate(3000, 0.7, -0.5, 2.5, seed: 20261123);

        var fit = GlmFit.Fit(y, [new DesignColumn("x", x)], GlmFamily.NegativeBinomial, new GlmOptions { Offset = logExposure });

        Assert.True(fit.Converged);
        Assert.InRange(fit["(Intercept)"].Estimate, 0.6, 0.8);
        Assert.InRange(fit["x"].Estimate, -0.6, -0.4);
        Assert.InRange(fit.Theta!.Value, 2.0, 3.1);
        Assert.NotNull(fit.ThetaStandardError);
        Assert.InRange(fit.ThetaStandardError!.Value, 0.01, 0.5);
        Assert.True(Math.Abs(fit["x"].Estimate + 0.5) < 4 * fit["x"].StandardError);
        Assert.True(Math.Abs(fit.Theta.Value - 2.5) < 4 * fit.ThetaStandardError.Value);
    }

    [Fact]
    public void Fit_SimulatedOverdispersedCounts_NbSesExceedPoissonAndLikelihoodIsHigher()
    {
        var (y, x, logExposure) = Simulate(1000, 1.0, 0.3, 1.5, seed: 7);
        var columns = new[] { new DesignColumn("x", x) };
        var options = new GlmOptions { Offset = logExposure };

        var poisson = GlmFit.Fit(y, columns, GlmFamily.Poisson, options);
        var nb = GlmFit.Fit(y, columns, GlmFamily.NegativeBinomial, options);

        Assert.True(nb["x"].StandardError > 1.5 * poisson["x"].StandardError);
        Assert.True(nb.LogLikelihood!.Value > poisson.LogLikelihood!.Value);
        Assert.Equal(poisson.Aic!.Value, (-2 * poisson.LogLikelihood.Value) + 4, 1e-9);
        Assert.Equal(nb.Aic!.Value, (-2 * nb.LogLikelihood.Value) + 6, 1e-9);
    }

    [Fact]
    public void Fit_SicilyNb_ThetaMaximisesLikelihoodAndScoreIsZero()
    {
        var nb = FitSicily(GlmFamily.NegativeBinomial);
        var theta = nb.Theta!.Value;

        var lower = FitSicily(GlmFamily.NegativeBinomial, theta / 1.5);
        var upper = FitSicily(GlmFamily.NegativeBinomial, theta * 1.5);
        var atTheta = FitSicily(GlmFamily.NegativeBinomial, theta);

        Assert.True(nb.Converged);
        Assert.InRange(theta, 100, 5000);
        Assert.True(atTheta.LogLikelihood > lower.LogLikelihood);
        Assert.True(atTheta.LogLikelihood > upper.LogLikelihood);
        Assert.Equal(atTheta.LogLikelihood!.Value, nb.LogLikelihood!.Value, 1e-6);

        // θ is ML for the final means: a further theta.ml step does not move it.
        var (again, _) = GlmFit.ThetaMaximumLikelihood(SicilyData.Aces, [.. atTheta.Fitted]);
        Assert.Equal(theta, again, theta * 1e-4);
    }

    [Fact]
    public void Fit_AddingAColumn_DoesNotRaiseDeviance()
    {
        var smokban = new DesignColumn("smokban", SicilyData.SmokBan);
        var time = new DesignColumn("time", SicilyData.Time);
        foreach (var (family, theta) in new (GlmFamily, double?)[] { (GlmFamily.Poisson, null), (GlmFamily.NegativeBinomial, 500.0) })
        {
            var options = new GlmOptions { Offset = SicilyData.LogStdPop, Theta = theta };
            var small = GlmFit.Fit(SicilyData.Aces, [time], family, options);
            var large = GlmFit.Fit(SicilyData.Aces, [time, smokban], family, options);

            Assert.True(large.Deviance < small.Deviance);
        }
    }

    [Fact]
    public void TriGamma_KnownValues_MatchClosedForms()
    {
        Assert.Equal(Math.PI * Math.PI / 6, GlmFit.TriGamma(1), 1e-13);
        Assert.Equal(Math.PI * Math.PI / 2, GlmFit.TriGamma(0.5), 1e-12);
        Assert.Equal((Math.PI * Math.PI / 6) - 1 - 0.25, GlmFit.TriGamma(3), 1e-13);
        Assert.Equal(1e-6 + 0.5e-12, GlmFit.TriGamma(1e6), 1e-18);
    }

    [Fact]
    public void Fit_NoOverdispersionAtAll_ThrowsInsteadOfReturningInfiniteTheta()
    {
        double[] y = [10, 10, 10, 10, 10, 10];

        Assert.Throws<ArgumentException>(() => GlmFit.Fit(y, [], GlmFamily.NegativeBinomial));
    }

    [Fact]
    public void Fit_SimulatedNb2_ReportsAlternationsAndConverges()
    {
        var (y, x, _) = Simulate(500, 2.0, 0.4, 3.0, seed: 11);

        var fit = GlmFit.Fit(y, [new DesignColumn("x", x)], GlmFamily.NegativeBinomial);

        Assert.True(fit.Converged);
        Assert.InRange(fit.OuterIterations, 1, 25);
        Assert.NotNull(fit.NullDeviance);
        Assert.True(fit.Deviance < fit.NullDeviance!.Value);
    }
}
