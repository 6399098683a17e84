namespace ImagingValue.Core.Statistics;

/// <summary>Confidence intervals for a binomial proportion.</summary>
public static class BinomialInterval
{
    /// <summary>The 0.975 quantile of the standard normal distribution (two-sided 95%).</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The Wilson score interval (Wilson 1927) for <paramref name="successes"/> out of <paramref name="trials"/>,
    /// without continuity correction. For 2 of 98 at 95% it gives [0.0056, 0.0714].
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
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
