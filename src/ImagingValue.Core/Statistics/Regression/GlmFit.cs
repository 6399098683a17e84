using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ImagingValue.Core.Statistics.Regression;

/// <summary>
/// Log-link count GLMs fitted by iteratively reweighted least squares, following R's <c>glm.fit</c>
/// (start μ = y + 0.1, convergence |dev − devold| / (|dev| + 0.1) &lt; ε, step halving on a non-finite
/// deviance) and, for NB2, MASS::glm.nb (alternating IRLS for β given θ with <c>theta.ml</c> for θ).
/// One addition to R: a step that raises the deviance after the first iteration is also halved
/// (as the glm2 package does); it changes the path, not the maximum found.
/// </summary>
public static class GlmFit
{
    /// <summary>Name given to the intercept column.</summary>
    public const string InterceptName = "(Intercept)";

    // R's .Machine$double.eps (2^-52).
    private const double RMachineEpsilon = 2.220446049250313e-16;

    /// <summary>Fits <paramref name="family"/> to counts <paramref name="y"/> on the named design columns.</summary>
    /// <exception cref="ArgumentException">Lengths differ, counts are negative or not finite, too few rows, or the design is rank deficient.</exception>
    public static GlmResult Fit(IReadOnlyList<double> y, IReadOnlyList<DesignColumn> columns, GlmFamily family, GlmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(columns);
        options ??= new GlmOptions();
        var n = y.Count;
        var names = new List<string>();
        if (options.IncludeIntercept)
        {
            names.Add(InterceptName);
        }

        names.AddRange(columns.Select(c => c.Name));
        var p = names.Count;
        if (p == 0)
        {
            throw new ArgumentException("The design has no columns.", nameof(columns));
        }

        if (n <= p)
        {
            throw new ArgumentException($"Need more observations ({n}) than coefficients ({p}).", nameof(y));
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != p)
        {
            throw new ArgumentException("Column names must be distinct.", nameof(columns));
        }

        var yv = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(y[i]) || y[i] < 0)
            {
                throw new ArgumentException($"Count {i + 1} is {y[i]}; counts must be finite and non-negative.", nameof(y));
            }

            yv[i] = y[i];
        }

        var x = Matrix<double>.Build.Dense(n, p);
        var j0 = 0;
        if (options.IncludeIntercept)
        {
            x.SetColumn(0, Vector<double>.Build.Dense(n, 1.0));
            j0 = 1;
        }

        for (var j = 0; j < columns.Count; j++)
        {
            var values = columns[j].Values;
            if (values.Count != n)
            {
                throw new ArgumentException($"Column '{columns[j].Name}' has {values.Count} values for {n} counts.", nameof(columns));
            }

            for (var i = 0; i < n; i++)
            {
                if (!double.IsFinite(values[i]))
                {
                    throw new ArgumentException($"Column '{columns[j].Name}' value {i + 1} is not finite.", nameof(columns));
                }

                x[i, j + j0] = values[i];
            }
        }

        var offset = new double[n];
        if (options.Offset is { } off)
        {
            if (off.Count != n)
            {
                throw new ArgumentException($"Offset has {off.Count} values for {n} counts.", nameof(options));
            }

            for (var i = 0; i < n; i++)
            {
                if (!double.IsFinite(off[i]))
                {
                    throw new ArgumentException($"Offset value {i + 1} is not finite (log of a zero exposure?).", nameof(options));
                }

                offset[i] = off[i];
            }
        }

        if (options.Theta is { } fixedTheta && !(fixedTheta > 0 && double.IsFinite(fixedTheta)))
        {
            throw new ArgumentException("A fixed theta must be positive and finite.", nameof(options));
        }

        var problem = new Problem(yv, x, offset, options);
        if (family != GlmFamily.NegativeBinomial)
        {
            var fit = Irls(problem, theta: null, etaStart: null);
            return Summarize(problem, names, family, fit, theta: null, thetaSe: null, outer: 0, logLikelihood: PoissonLogLik(yv, fit.Mu), extraParameters: 0, converged: fit.Converged);
        }

        if (options.Theta is { } th0)
        {
            var fit = Irls(problem, th0, etaStart: null);
            return Summarize(problem, names, family, fit, th0, thetaSe: null, outer: 0, logLikelihood: NegBinLogLik(yv, fit.Mu, th0), extraParameters: 0, converged: fit.Converged);
        }

        return FitNegativeBinomial(problem, names);
    }

    /// <summary>
    /// ML estimate of the NB2 θ for fixed means, as MASS::theta.ml: Newton steps on the score
    /// from the moment start n / Σ(y/μ − 1)² until |step| ≤ ε^¼. Returns θ and √(1/information).
    /// </summary>
    public static (double Theta, double StandardError) ThetaMaximumLikelihood(IReadOnlyList<double> y, IReadOnlyList<double> mu, int limit = 25)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(mu);
        var n = y.Count;
        var eps = Math.Pow(RMachineEpsilon, 0.25);
        var s = 0.0;
        for (var i = 0; i < n; i++)
        {
            var r = (y[i] / mu[i]) - 1;
            s += r * r;
        }

        var t0 = n / s;
        var it = 0;
        var del = 1.0;
        var info = double.NaN;
        while (++it < limit && Math.Abs(del) > eps)
        {
            t0 = Math.Abs(t0);
            var score = 0.0;
            info = 0.0;
            var tgT = TriGamma(t0);
            var dgT = SpecialFunctions.DiGamma(t0);
            for (var i = 0; i < n; i++)
            {
                var ty = t0 + y[i];
                var tm = t0 + mu[i];
                score += SpecialFunctions.DiGamma(ty) - dgT + Math.Log(t0) + 1 - Math.Log(tm) - (ty / tm);
                info += -TriGamma(ty) + tgT - (1 / t0) + (2 / tm) - (ty / (tm * tm));
            }

            del = score / info;
            t0 += del;
        }

        if (t0 < 0)
        {
            t0 = 0;
        }

        return (t0, Math.Sqrt(1 / info));
    }

    private static GlmResult FitNegativeBinomial(Problem problem, List<string> names)
    {
        var options = problem.Options;
        var y = problem.Y;
        var fit = Irls(problem, theta: null, etaStart: null);
        var mu = fit.Mu;
        var (th, thSe) = ThetaMaximumLikelihood(y, mu, options.MaxIterations);
        CheckTheta(th);
        var d1 = Math.Sqrt(2.0 * Math.Max(1, y.Length - names.Count));
        const double d2 = 1.0;
        var del = 1.0;
        var lm = NegBinLogLik(y, mu, th);
        var lm0 = lm + (2 * d1);
        var iter = 0;
        while (++iter <= options.MaxIterations && ((Math.Abs(lm0 - lm) / d1) + (Math.Abs(del) / d2)) > options.Tolerance)
        {
            var eta = mu.Select(m => Math.Log(m)).ToArray();
            fit = Irls(problem, th, eta);
            var t0 = th;

            // As MASS: θ is re-estimated at the means from before this β step.
            (th, thSe) = ThetaMaximumLikelihood(y, mu, options.MaxIterations);
            CheckTheta(th);
            mu = fit.Mu;
            del = t0 - th;
            lm0 = lm;
            lm = NegBinLogLik(y, mu, th);
        }

        var converged = fit.Converged && iter <= options.MaxIterations;

        // Deviance and weights belong to the last β fit (at the θ it used); θ and the likelihood are the updated ones, as glm.nb reports them.
        return Summarize(problem, names, GlmFamily.NegativeBinomial, fit, th, thSe, iter - 1, lm, extraParameters: 1, converged: converged);
    }

    private static void CheckTheta(double theta)
    {
        if (!(theta > 0) || !double.IsFinite(theta))
        {
            throw new ArgumentException($"The NB2 θ estimate is {theta}: the counts show no overdispersion to estimate; fit Poisson instead.");
        }
    }

    private static GlmResult Summarize(
        Problem problem,
        List<string> names,
        GlmFamily family,
        IrlsFit fit,
        double? theta,
        double? thetaSe,
        int outer,
        double logLikelihood,
        int extraParameters,
        bool converged)
    {
        var y = problem.Y;
        var n = y.Length;
        var p = names.Count;
        var df = n - p;
        var fitTheta = fit.Theta;
        var pearson = 0.0;
        var weighted = 0.0;
        for (var i = 0; i < n; i++)
        {
            var r = y[i] - fit.Mu[i];
            pearson += r * r / Variance(fit.Mu[i], fitTheta);

            // summary.glm: working weights of the last iteration times squared working residuals.
            var working = r / fit.Mu[i];
            weighted += fit.Weights[i] * working * working;
        }

        var dispersion = family == GlmFamily.QuasiPoisson ? weighted / df : 1.0;
        var unscaled = fit.Unscaled;
        var level = problem.Options.ConfidenceLevel;
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentException("Confidence level must lie in (0, 1).", nameof(problem));
        }

        var zCrit = Normal.InvCDF(0, 1, 1 - ((1 - level) / 2));
        var coefficients = new List<GlmCoefficient>(p);
        var covariance = new double[p][];
        for (var j = 0; j < p; j++)
        {
            covariance[j] = new double[p];
            for (var k = 0; k < p; k++)
            {
                covariance[j][k] = unscaled[j, k] * dispersion;
            }

            var b = fit.Beta[j];
            var se = Math.Sqrt(covariance[j][j]);
            var z = b / se;
            var pValue = family == GlmFamily.QuasiPoisson
                ? 2 * StudentT.CDF(0, 1, df, -Math.Abs(z))
                : 2 * Normal.CDF(0, 1, -Math.Abs(z));
            coefficients.Add(new GlmCoefficient(names[j], b, se, z, pValue, b - (zCrit * se), b + (zCrit * se)));
        }

        var isQuasi = family == GlmFamily.QuasiPoisson;
        return new GlmResult
        {
            Family = family,
            Coefficients = coefficients,
            Covariance = covariance,
            Fitted = fit.Mu,
            Deviance = fit.Deviance,
            NullDeviance = NullDeviance(problem, theta),
            PearsonChiSquare = pearson,
            DfResidual = df,
            Dispersion = dispersion,
            LogLikelihood = isQuasi ? null : logLikelihood,
            Aic = isQuasi ? null : (-2 * logLikelihood) + (2 * (p + extraParameters)),
            Iterations = fit.Iterations,
            OuterIterations = outer,
            Converged = converged,
            Theta = theta,
            ThetaStandardError = thetaSe,
        };
    }

    private static IrlsFit Irls(Problem problem, double? theta, double[]? etaStart)
    {
        var y = problem.Y;
        var x = problem.X;
        var offset = problem.Offset;
        var options = problem.Options;
        var n = y.Length;
        var p = x.ColumnCount;
        var eta = new double[n];
        var mu = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (etaStart is not null)
            {
                eta[i] = etaStart[i];
                mu[i] = Math.Exp(eta[i]);
            }
            else
            {
                // R: poisson()$initialize uses y + 0.1; MASS negative.binomial uses y + (y == 0)/6.
                mu[i] = theta is null ? y[i] + 0.1 : y[i] + (y[i] == 0 ? 1.0 / 6 : 0);
                eta[i] = Math.Log(mu[i]);
            }
        }

        var devOld = Deviance(y, mu, theta);
        double[]? coefOld = null;
        var coef = new double[p];
        var weights = new double[n];
        var converged = false;
        var iterations = 0;
        Matrix<double>? rFactor = null;
        var dev = devOld;
        for (var iter = 1; iter <= options.MaxIterations; iter++)
        {
            iterations = iter;
            var xw = Matrix<double>.Build.Dense(n, p);
            var zw = Vector<double>.Build.Dense(n);
            for (var i = 0; i < n; i++)
            {
                // Log link: dμ/dη = μ; working weight μ² / V(μ).
                var w2 = mu[i] * mu[i] / Variance(mu[i], theta);
                weights[i] = w2;
                var w = Math.Sqrt(w2);
                var z = eta[i] - offset[i] + ((y[i] - mu[i]) / mu[i]);
                zw[i] = z * w;
                for (var j = 0; j < p; j++)
                {
                    xw[i, j] = x[i, j] * w;
                }
            }

            var qr = xw.QR(QRMethod.Thin);
            rFactor = qr.R;
            CheckRank(rFactor);
            var start = qr.Solve(zw).ToArray();
            dev = Evaluate(problem, start, theta, eta, mu);

            // R halves towards the previous coefficients while the deviance is not finite;
            // we also halve while it rises (glm2), except on the first step.
            var halvings = 0;
            while (coefOld is not null && (!double.IsFinite(dev) || dev > devOld + (1e-9 * (Math.Abs(devOld) + 1))) && halvings < options.MaxIterations)
            {
                halvings++;
                for (var j = 0; j < p; j++)
                {
                    start[j] = (start[j] + coefOld[j]) / 2;
                }

                dev = Evaluate(problem, start, theta, eta, mu);
            }

            if (!double.IsFinite(dev))
            {
                throw new ArgumentException("The fit diverged: the deviance is not finite and step halving could not correct it.", nameof(problem));
            }

            coef = start;
            if (Math.Abs(dev - devOld) / (Math.Abs(dev) + 0.1) < options.Tolerance)
            {
                converged = true;
                break;
            }

            devOld = dev;
            coefOld = (double[])start.Clone();
        }

        var rInverse = rFactor!.Inverse();
        var unscaled = rInverse * rInverse.Transpose();
        return new IrlsFit(coef, mu, weights, dev, iterations, converged, unscaled, theta);
    }

    // Deviance of the intercept-only model with the same offset (and, for NB2, the reported θ), as R's null.deviance.
    private static double? NullDeviance(Problem problem, double? theta)
    {
        if (!problem.Options.IncludeIntercept)
        {
            return null;
        }

        var ones = Matrix<double>.Build.Dense(problem.Y.Length, 1, 1.0);
        return Irls(problem with { X = ones }, theta, etaStart: null).Deviance;
    }

    private static double Evaluate(Problem problem, double[] beta, double? theta, double[] eta, double[] mu)
    {
        var x = problem.X;
        for (var i = 0; i < eta.Length; i++)
        {
            var e = problem.Offset[i];
            for (var j = 0; j < beta.Length; j++)
            {
                e += x[i, j] * beta[j];
            }

            eta[i] = e;
            mu[i] = Math.Exp(e);
        }

        foreach (var m in mu)
        {
            if (!(m > 0) || !double.IsFinite(m))
            {
                return double.NaN;
            }
        }

        return Deviance(problem.Y, mu, theta);
    }

    private static void CheckRank(Matrix<double> r)
    {
        var max = 0.0;
        for (var j = 0; j < r.ColumnCount; j++)
        {
            max = Math.Max(max, Math.Abs(r[j, j]));
        }

        for (var j = 0; j < r.ColumnCount; j++)
        {
            if (!(Math.Abs(r[j, j]) > 1e-7 * max))
            {
                throw new ArgumentException($"The design matrix is rank deficient (column {j + 1} is collinear with earlier columns).");
            }
        }
    }

    /// <summary>Trigamma ψ′(x) for x &gt; 0 (MathNet 5 has none): recurrence up to x ≥ 10, then the asymptotic series (relative error below 1e-13).</summary>
    public static double TriGamma(double x)
    {
        if (!(x > 0))
        {
            return double.NaN;
        }

        var sum = 0.0;
        while (x < 10)
        {
            sum += 1 / (x * x);
            x += 1;
        }

        var x2 = 1 / (x * x);

        // 1/x + 1/(2x²) + Σ B₂ₖ / x^(2k+1), Bernoulli numbers 1/6, −1/30, 1/42, −1/30, 5/66, −691/2730, 7/6.
        double[] bernoulli = [1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6];
        var series = 0.0;
        for (var k = bernoulli.Length - 1; k >= 0; k--)
        {
            series = x2 * (bernoulli[k] + series);
        }
        return sum + ((1 + (1 / (2 * x)) + series) / x);
    }

    // log(1 + x) without cancellation for small x (NB deviance at large θ).
    private static double LogOnePlus(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    private static double Variance(double mu, double? theta) => theta is { } t ? mu + (mu * mu / t) : mu;

    private static double Deviance(double[] y, double[] mu, double? theta)
    {
        var d = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            if (theta is { } t)
            {
                d += 2 * ((y[i] * Math.Log(Math.Max(1, y[i]) / mu[i])) - ((y[i] + t) * LogOnePlus((y[i] - mu[i]) / (mu[i] + t))));
            }
            else
            {
                d += y[i] > 0 ? 2 * ((y[i] * Math.Log(y[i] / mu[i])) - (y[i] - mu[i])) : 2 * mu[i];
            }
        }

        return d;
    }

    private static double PoissonLogLik(double[] y, double[] mu)
    {
        var l = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            l += (y[i] > 0 ? y[i] * Math.Log(mu[i]) : 0) - mu[i] - SpecialFunctions.GammaLn(y[i] + 1);
        }

        return l;
    }

    private static double NegBinLogLik(double[] y, double[] mu, double theta)
    {
        var l = 0.0;
        var lgT = SpecialFunctions.GammaLn(theta);
        for (var i = 0; i < y.Length; i++)
        {
            l += SpecialFunctions.GammaLn(theta + y[i]) - lgT - SpecialFunctions.GammaLn(y[i] + 1) + (theta * Math.Log(theta))
                + (y[i] * Math.Log(mu[i] + (y[i] == 0 ? 1 : 0))) - ((theta + y[i]) * Math.Log(theta + mu[i]));
        }

        return l;
    }

    private sealed record Problem(double[] Y, Matrix<double> X, double[] Offset, GlmOptions Options);

    private sealed record IrlsFit(double[] Beta, double[] Mu, double[] Weights, double Deviance, int Iterations, bool Converged, Matrix<double> Unscaled, double? Theta);
}
