namespace ImagingValue.Core.Statistics.Regression;

/// <summary>The error distribution of a log-link count GLM.</summary>
public enum GlmFamily
{
    /// <summary>Poisson, dispersion fixed at 1 (R <c>family = poisson</c>).</summary>
    Poisson,

    /// <summary>
    /// Poisson mean and variance function with dispersion φ = Pearson χ²/(n − p) estimated;
    /// standard errors are multiplied by √φ (R <c>family = quasipoisson</c>).
    /// </summary>
    QuasiPoisson,

    /// <summary>
    /// Negative binomial NB2, Var = μ + μ²/θ, with θ estimated by maximum likelihood
    /// as MASS::glm.nb does (or held fixed through <see cref="GlmOptions.Theta"/>).
    /// </summary>
    NegativeBinomial,
}

/// <summary>One named column of a design matrix.</summary>
public sealed record DesignColumn(string Name, IReadOnlyList<double> Values);

/// <summary>Settings of <see cref="GlmFit.Fit"/>; the defaults are R's <c>glm.control()</c>.</summary>
public sealed record GlmOptions
{
    /// <summary>Offset on the linear-predictor (log) scale, e.g. log(exposure); null means none.</summary>
    public IReadOnlyList<double>? Offset { get; init; }

    /// <summary>Adds an intercept column named <c>(Intercept)</c> in front of the given columns.</summary>
    public bool IncludeIntercept { get; init; } = true;

    /// <summary>Convergence tolerance on |dev − devold| / (|dev| + 0.1).</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>Maximum IRLS iterations (and, for NB2, maximum outer β/θ alternations).</summary>
    public int MaxIterations { get; init; } = 25;

    /// <summary>Coverage of the Wald intervals.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>For <see cref="GlmFamily.NegativeBinomial"/>: a known θ (MASS <c>negative.binomial(theta)</c>); null estimates it.</summary>
    public double? Theta { get; init; }
}

/// <summary>A fitted coefficient on the log scale with its Wald statistics.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Estimate">β.</param>
/// <param name="StandardError">SE of β (scaled by √φ for quasi-Poisson).</param>
/// <param name="Z">β / SE (a t statistic for quasi-Poisson, as R labels it).</param>
/// <param name="PValue">Two-sided p-value of <paramref name="Z"/>: normal, or Student t on the residual df for quasi-Poisson (as R's summary.glm).</param>
/// <param name="Low">Lower Wald limit β − z·SE (normal quantile for every family, as confint.default and Epi::ci.lin).</param>
/// <param name="High">Upper Wald limit β + z·SE.</param>
public sealed record GlmCoefficient(string Name, double Estimate, double StandardError, double Z, double PValue, double Low, double High)
{
    /// <summary>exp(β): the rate ratio per unit of the column.</summary>
    public double RateRatio => Math.Exp(Estimate);

    /// <summary>exp of the Wald interval.</summary>
    public (double Low, double High) RateRatioInterval => (Math.Exp(Low), Math.Exp(High));
}

/// <summary>The result of a converged (or iteration-capped) GLM fit.</summary>
public sealed record GlmResult
{
    /// <summary>Family fitted.</summary>
    public required GlmFamily Family { get; init; }

    /// <summary>Coefficients in design-column order.</summary>
    public required IReadOnlyList<GlmCoefficient> Coefficients { get; init; }

    /// <summary>Unscaled covariance (XᵀWX)⁻¹ times <see cref="Dispersion"/>.</summary>
    public required double[][] Covariance { get; init; }

    /// <summary>Fitted means μ.</summary>
    public required IReadOnlyList<double> Fitted { get; init; }

    /// <summary>Residual deviance (for NB2 at the final θ).</summary>
    public required double Deviance { get; init; }

    /// <summary>Deviance of the intercept-only model with the same offset (null without an intercept).</summary>
    public double? NullDeviance { get; init; }

    /// <summary>Pearson χ² = Σ (y − μ)² / V(μ).</summary>
    public required double PearsonChiSquare { get; init; }

    /// <summary>n − p.</summary>
    public required int DfResidual { get; init; }

    /// <summary>φ: 1 for Poisson and NB2, as R's summary.glm estimates it for quasi-Poisson.</summary>
    public required double Dispersion { get; init; }

    /// <summary>Log-likelihood; null for quasi-Poisson, which has none.</summary>
    public required double? LogLikelihood { get; init; }

    /// <summary>AIC as R reports it (NB2 counts θ as a parameter); null for quasi-Poisson.</summary>
    public required double? Aic { get; init; }

    /// <summary>IRLS iterations of the final β fit (R's <c>iter</c>).</summary>
    public required int Iterations { get; init; }

    /// <summary>For NB2: outer β/θ alternations performed (0 for the other families and for a fixed θ).</summary>
    public int OuterIterations { get; init; }

    /// <summary>Whether the convergence criterion was met.</summary>
    public required bool Converged { get; init; }

    /// <summary>NB2 θ (size); null for the Poisson families.</summary>
    public double? Theta { get; init; }

    /// <summary>NB2: SE of θ from the observed information (MASS <c>SE.theta</c>); null when θ was fixed.</summary>
    public double? ThetaStandardError { get; init; }

    /// <summary>The coefficient called <paramref name="name"/>.</summary>
    public GlmCoefficient this[string name] =>
        Coefficients.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"No coefficient '{name}'.");

    /// <summary>Index of the coefficient called <paramref name="name"/>.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Coefficients.Count; i++)
        {
            if (Coefficients[i].Name == name)
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"No coefficient '{name}'.");
    }
}
