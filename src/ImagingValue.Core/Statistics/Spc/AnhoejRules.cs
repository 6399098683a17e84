using MathNet.Numerics.Distributions;

namespace ImagingValue.Core.Statistics.Spc;

/// <summary>Anhøj runs analysis as qicharts2 <c>runs.analysis</c> does it (README 1.2).</summary>
public static class AnhoejRules
{
    /// <summary>Below this many useful points the runs analysis is flagged as unreliable.</summary>
    public const int MinimumUsefulPoints = 10;

    private const double DoubleEpsilon = 2.220446049250313e-16;

    /// <summary>Upper limit for the longest run: round(log2(n)) + 3 (Schilling 2012).</summary>
    public static int LongestRunMax(int nUseful)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nUseful);
        return (int)Math.Round(Math.Log2(nUseful), MidpointRounding.ToEven) + 3;
    }

    /// <summary>Lower limit for crossings: qbinom(0.05, n − 1, 0.5) (Chen 2010).</summary>
    public static int CrossingsMin(int nUseful)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nUseful);
        return BinomialQuantile(0.05, nUseful - 1, 0.5);
    }

    /// <summary>R's <c>qbinom(p, size, prob)</c>: the smallest k with P(X ≤ k) ≥ p.</summary>
    public static int BinomialQuantile(double p, int size, double prob)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size == 0)
        {
            return 0;
        }

        // R fuzzes p downwards by 64 ulps so that a CDF equal to p in exact arithmetic is accepted.
        var target = p * (1 - (64 * DoubleEpsilon));
        for (var k = 0; k < size; k++)
        {
            if (Binomial.CDF(prob, size, k) >= target)
            {
                return k;
            }
        }

        return size;
    }

    /// <summary>
    /// Runs analysis of <paramref name="values"/> against a centre line: points on the line or missing are
    /// dropped. Returns n useful, longest run, crossings and their limits (all 0 when no point is useful).
    /// </summary>
    public static (int NUseful, int LongestRun, int LongestRunMax, int Crossings, int CrossingsMin, bool Signal) Analyse(
        IEnumerable<double> values,
        double centreLine)
    {
        ArgumentNullException.ThrowIfNull(values);
        var signs = values
            .Select(v => v - centreLine)
            .Where(d => !double.IsNaN(d) && d != 0)
            .Select(Math.Sign)
            .ToList();
        var n = signs.Count;
        if (n == 0)
        {
            return (0, 0, 0, 0, 0, false);
        }

        var runs = 1;
        var longest = 1;
        var current = 1;
        for (var i = 1; i < n; i++)
        {
            if (signs[i] == signs[i - 1])
            {
                current++;
            }
            else
            {
                runs++;
                current = 1;
            }

            longest = Math.Max(longest, current);
        }

        var longestMax = LongestRunMax(n);
        var crossings = runs - 1;
        var crossingsMin = CrossingsMin(n);
        return (n, longest, longestMax, crossings, crossingsMin, longest > longestMax || crossings < crossingsMin);
    }
}
