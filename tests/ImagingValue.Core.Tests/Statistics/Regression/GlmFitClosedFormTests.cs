using ImagingValue.Core.Statistics.Regression;

namespace ImagingValue.Core.Tests.Statistics.Regression;

public class GlmFitClosedFormTests
{
    // Two groups with exposures: the Poisson MLE is exp(β₀) = Σy₀/ΣE₀, exp(β₁) = (Σy₁/ΣE₁)/(Σy₀/ΣE₀),
    // with SE(β₁) = √(1/Σy₀ + 1/Σy₁).
    private static readonly double[] GroupY = [3, 5, 4, 2, 60, 75, 58, 71];
    private static readonly double[] Group = [0, 0, 0, 0, 1, 1, 1, 1];
    private static readonly double[] Exposure = [100, 120, 90, 110, 80, 95, 70, 85];

    // SEs come from the last iteration's weights (as R's), so a tight tolerance makes them exact here.
    [Fact]
    public void Fit_PoissonTwoGroupsWithOffset_MatchesClosedForm()
    {
        var fit = GlmFit.Fit(GroupY, [new DesignColumn("group", Group)], GlmFamily.Poisson, new GlmOptions { Offset = [.. Exposure.Select(e => Math.Log(e))], Tolerance = 1e-12 });

        var rate0 = 14.0 / 420;
        var rate1 = 264.0 / 330;
        Assert.Equal(Math.Log(rate0), fit["(Intercept)"].Estimate, 1e-9);
        Assert.Equal(Math.Log(rate1 / rate0), fit["group"].Estimate, 1e-9);
        Assert.Equal(Math.Sqrt((1.0 / 14) + (1.0 / 264)), fit["group"].StandardError, 1e-8);
        Assert.Equal(Math.Sqrt(1.0 / 14), fit["(Intercept)"].StandardError, 1e-8);
        Assert.Equal(6, fit.DfResidual);
    }

    [Fact]
    public void Fit_PoissonTwoGroups_WaldIntervalIsEstimatePlusMinusZSe()
    {
        var fit = GlmFit.Fit(GroupY, [new DesignColumn("group", Group)], GlmFamily.Poisson, new GlmOptions { ConfidenceLevel = 0.9 });
        var g = fit["group"];

        Assert.Equal(g.Estimate - (1.6448536269514722 * g.StandardError), g.Low, 1e-12);
        Assert.Equal(g.Estimate + (1.6448536269514722 * g.StandardError), g.High, 1e-12);
        Assert.Equal(g.Estimate / g.StandardError, g.Z, 1e-12);
    }

    [Fact]
    public void Fit_ExtremeRatesAndZeros_ConvergesToGroupMeans()
    {
        // Group means 0.002 and 50 000: far from the y + 0.1 start.
        double[] y = [0, 0, 0, 0, 1, 49_000, 51_000, 50_500, 49_500, 50_000];
        double[] g = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];

        var fit = GlmFit.Fit(y, [new DesignColumn("g", g)], GlmFamily.Poisson);

        Assert.True(fit.Converged);
        Assert.Equal(Math.Log(0.2), fit["(Intercept)"].Estimate, 1e-7);
        Assert.Equal(Math.Log(50_000 / 0.2), fit["g"].Estimate, 1e-7);
        Assert.Equal(0.2, fit.Fitted[0], 1e-7);
    }

    [Fact]
    public void Fit_NullDevianceWithoutCovariates_EqualsDeviance()
    {
        var fit = GlmFit.Fit(GroupY, [], GlmFamily.Poisson);
        var withGroup = GlmFit.Fit(GroupY, [new DesignColumn("group", Group)], GlmFamily.Poisson);

        Assert.Equal(fit.Deviance, fit.NullDeviance!.Value, 1e-9);
        Assert.Equal(fit.Deviance, withGroup.NullDeviance!.Value, 1e-9);
        Assert.True(withGroup.Deviance < withGroup.NullDeviance.Value);
    }

    [Fact]
    public void Fit_CollinearColumns_Throws()
    {
        double[] twice = [.. Group.Select(v => 2 * v)];

        Assert.Throws<ArgumentException>(() => GlmFit.Fit(GroupY, [new DesignColumn("a", Group), new DesignColumn("b", twice)], GlmFamily.Poisson));
    }

    [Fact]
    public void Fit_InvalidInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => GlmFit.Fit([1, -2, 3], [], GlmFamily.Poisson));
        Assert.Throws<ArgumentException>(() => GlmFit.Fit([1, 2, 3], [new DesignColumn("x", [1, 2])], GlmFamily.Poisson));
        Assert.Throws<ArgumentException>(() => GlmFit.Fit([1, 2, 3], [], GlmFamily.Poisson, new GlmOptions { Offset = [0, 0] }));
        Assert.Throws<ArgumentException>(() => GlmFit.Fit([1, 2, 3], [], GlmFamily.NegativeBinomial, new GlmOptions { Theta = 0 }));
        Assert.Throws<ArgumentException>(() => GlmFit.Fit([1, 2], [new DesignColumn("x", [1, 2])], GlmFamily.Poisson));
    }
}
