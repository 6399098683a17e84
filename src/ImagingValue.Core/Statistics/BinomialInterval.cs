using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace ImagingValue.Core.Statistics;

/// <summary>
/// Two-sided confidence intervals for a binomial proportion: <c>successes</c> events out of <c>trials</c>.
/// Every method returns the closed interval [Low, High] (both ends inclusive), clamped to [0, 1].
/// </summary>
/// <remarks>
/// References: Clopper &amp; Pearson, Biometrika 1934;26:404-413; Wilson, JASA 1927;22:209-212;
/// Newcombe, Stat Med 1998;17:857-872 (methods 3 and 4); Brown, Cai &amp; DasGupta, Stat Sci 2001;16:101-133 (Jeffreys).
/// Test vectors: R 4.2.2 <c>binom.test</c> and the closed forms, in tests/ImagingValue.Core.Tests/TestData/qi-statistics/binomial_ci_vectors.csv.
/// </remarks>
public static class BinomialInterval
{
    /// <summary>The 0.975 quantile of the standard normal distribution (two-sided 95%).</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The Wilson score interval (Wilson 1927) for <paramref name="successes"/> out of <paramref name="trials"/>,
    /// without continuity correction: the closed form (p + z²/2n ± z·sqrt(p(1 − p)/n + z²/4n²)) / (1 + z²/n),
    /// with Low = 0 when x = 0 and High = 1 when x = n. For 2 of 98 at 95% it gives [0.0056, 0.0714].
    /// </summary>
    public static (double Low, double High) Wilson(int successes, int trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, successes);
        if (trials == 0)
        {
            return (0, 1);
        }

        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / denominator;
        // Exact ends at x = 0 and x = n (rounding otherwise leaves about 1e-17).
        var low = successes == 0 ? 0 : Math.Max(0, centre - half);
        var high = successes == trials ? 1 : Math.Min(1, centre + half);
        return (low, high);
    }

    /// <summary>
    /// The Clopper-Pearson "exact" interval: the <c>alpha/2</c> quantile of Beta(x, n - x + 1) and the
    /// <c>1 - alpha/2</c> quantile of Beta(x + 1, n - x), where alpha = 1 - <paramref name="confidence"/>.
    /// Low is 0 when x = 0 and High is 1 when x = n (as R's <c>binom.test</c>). For 5 of 25 it gives [0.0683, 0.4070].
    /// </summary>
    /// <param name="successes">Observed events x (0 to n).</param>
    /// <param name="trials">Trials n; n = 0 gives the uninformative [0, 1].</param>
    /// <param name="confidence">Two-sided coverage, strictly between 0 and 1.</param>
    public static (double Low, double High) ClopperPearson(int successes, int trials, double confidence = 0.95)
    {
        var alpha = CheckArguments(successes, trials, confidence);
        if (trials == 0)
        {
            return (0, 1);
        }

        var low = successes == 0 ? 0 : BetaQuantile(successes, trials - successes + 1, alpha / 2);
        var high = successes == trials ? 1 : BetaQuantile(successes + 1, trials - successes, 1 - (alpha / 2));
        return (low, high);
    }

    /// <summary>
    /// The Wilson score interval with continuity correction, Newcombe (1998) method 4:
    /// Low = [2np + z^2 - 1 - z*sqrt(z^2 - 2 - 1/n + 4p(n(1 - p) + 1))] / (2(n + z^2)),
    /// High = [2np + z^2 + 1 + z*sqrt(z^2 + 2 - 1/n + 4p(n(1 - p) - 1))] / (2(n + z^2)),
    /// with Low = 0 when x = 0, High = 1 when x = n, and both clamped to [0, 1].
    /// </summary>
    /// <remarks>
    /// R's <c>prop.test</c> drops the correction when it would cross p = x/n, so it differs at x = n/2;
    /// this follows Newcombe's formula. For 2 of 98 at 95% it gives [0.00354, 0.0789].
    /// </remarks>
    /// <param name="successes">Observed events x (0 to n).</param>
    /// <param name="trials">Trials n; n = 0 gives [0, 1].</param>
    /// <param name="z">The standard normal quantile for the coverage wanted (1.96 for 95%).</param>
    public static (double Low, double High) WilsonContinuityCorrected(int successes, int trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, successes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(z);
        if (trials == 0)
        {
            return (0, 1);
        }

        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var denominator = 2 * (n + z2);
        var low = 0.0;
        if (successes > 0)
        {
            var root = Math.Sqrt(Math.Max(0, z2 - 2 - (1 / n) + (4 * p * ((n * (1 - p)) + 1))));
            low = Math.Max(0, ((2 * n * p) + z2 - 1 - (z * root)) / denominator);
        }

        var high = 1.0;
        if (successes < trials)
        {
            var root = Math.Sqrt(Math.Max(0, z2 + 2 - (1 / n) + (4 * p * ((n * (1 - p)) - 1))));
            high = Math.Min(1, ((2 * n * p) + z2 + 1 + (z * root)) / denominator);
        }

        return (low, high);
    }

    /// <summary>
    /// The equal-tailed Jeffreys interval: the <c>alpha/2</c> and <c>1 - alpha/2</c> quantiles of the
    /// Beta(x + 0.5, n - x + 0.5) posterior, with Low = 0 when x = 0 and High = 1 when x = n
    /// (the Brown, Cai &amp; DasGupta 2001 convention; the other end is still the plain quantile).
    /// For 2 of 98 at 95% it gives [0.00426, 0.0639].
    /// </summary>
    /// <param name="successes">Observed events x (0 to n).</param>
    /// <param name="trials">Trials n; n = 0 gives [0, 1].</param>
    /// <param name="confidence">Two-sided coverage, strictly between 0 and 1.</param>
    public static (double Low, double High) Jeffreys(int successes, int trials, double confidence = 0.95)
    {
        var alpha = CheckArguments(successes, trials, confidence);
        if (trials == 0)
        {
            return (0, 1);
        }

        var a = successes + 0.5;
        var b = trials - successes + 0.5;
        var low = successes == 0 ? 0 : BetaQuantile(a, b, alpha / 2);
        var high = successes == trials ? 1 : BetaQuantile(a, b, 1 - (alpha / 2));
        return (low, high);
    }

    /// <summary>
    /// The <paramref name="p"/> quantile of Beta(a, b) for a, b &gt; 0, polished by Newton steps on the
    /// regularized incomplete beta function so it is accurate to close to machine precision.
    /// </summary>
    internal static double BetaQuantile(double a, double b, double p)
    {
        var x = Beta.InvCDF(a, b, p);
        for (var i = 0; i < 8; i++)
        {
            if (x <= 0 || x >= 1)
            {
                break;
            }

            var f = SpecialFunctions.BetaRegularized(a, b, x) - p;
            var logDensity = ((a - 1) * Math.Log(x)) + ((b - 1) * Math.Log(1 - x)) - SpecialFunctions.BetaLn(a, b);
            var step = f / Math.Exp(logDensity);
            if (!double.IsFinite(step))
            {
                break;
            }

            var next = x - step;
            if (next <= 0 || next >= 1)
            {
                break;
            }

            var converged = Math.Abs(next - x) <= 1e-15 * x;
            x = next;
            if (converged)
            {
                break;
            }
        }

        return x;
    }

    private static double CheckArguments(int successes, int trials, double confidence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, successes);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must lie strictly between 0 and 1");
        }

        return 1 - confidence;
    }
}
