using System.Globalization;
using ImagingValue.Core.Statistics;
using ImagingValue.Core.Tests.Support;

namespace ImagingValue.Core.Tests.Statistics;

public class PoissonExactTests
{
    public static TheoryData<string, string[]> ReferenceVectors()
    {
        // TestData/qi-statistics/poisson_exact_vectors.csv: R 4.2.2 poisson.test, one and two samples (see the README there).
        var data = new TheoryData<string, string[]>();
        var lines = File.ReadAllLines(TestData.PathOf("qi-statistics/poisson_exact_vectors.csv"));
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var fields = SplitCsv(line);
            data.Add(fields[0], fields);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceVectors))]
    public void TestAndRateRatio_ReferenceVectors_MatchTo1e8Relative(string name, string[] f)
    {
        // Columns: case,x1,T1,x2,T2,r,estimate,ci_lo,ci_hi,p_two_sided
        Assert.False(string.IsNullOrEmpty(name));
        var x1 = int.Parse(f[1], CultureInfo.InvariantCulture);
        var t1 = Parse(f[2]);
        var r = Parse(f[5]);
        double estimate, low, high, p;
        if (f[3] == "NA")
        {
            (estimate, low, high, p) = PoissonExact.Test(x1, t1, r);
        }
        else
        {
            (estimate, low, high, p) = PoissonExact.RateRatio(x1, t1, int.Parse(f[3], CultureInfo.InvariantCulture), Parse(f[4]), r);
        }

        AssertClose(Parse(f[6]), estimate, 1e-8);
        AssertClose(Parse(f[7]), low, 1e-8);
        AssertClose(Parse(f[8]), high, 1e-8);
        AssertClose(Parse(f[9]), p, 1e-8);
    }

    [Fact]
    public void Test_OneOrderInThreeMonthsAgainstTwoPerMonth_MatchesScenario()
    {
        // README 3.3 / X4.
        var result = PoissonExact.Test(1, 3, 2);
        AssertClose(1 / 3.0, result.Estimate, 1e-12);
        AssertClose(0.008439269328, result.Low, 1e-8);
        AssertClose(1.857214464, result.High, 1e-8);
        AssertClose(0.03744322878, result.PValue, 1e-8);
    }

    [Fact]
    public void RateRatio_PostOneInThreeVersusBaselineTwentyFourInTwelve_MatchesScenario()
    {
        // README 3.3: rate ratio 0.167 (0.00405–1.022), p = 0.0447; post is the numerator.
        var result = PoissonExact.RateRatio(1, 3, 24, 12);
        Assert.Equal(0.167, Math.Round(result.RateRatio, 3));
        Assert.Equal(0.00405, Math.Round(result.Low, 5));
        Assert.Equal(1.022, Math.Round(result.High, 3));
        Assert.Equal(0.0447, Math.Round(result.PValue, 4));
        Assert.True(result.PValue < 0.05 && result.High > 1, "p-value and interval disagree, as in R");
    }

    [Fact]
    public void RateRatio_NoEventsInSecondGroup_GivesInfiniteEstimateAndUpperEnd()
    {
        var result = PoissonExact.RateRatio(4, 10, 0, 10);
        Assert.Equal(double.PositiveInfinity, result.RateRatio);
        Assert.Equal(double.PositiveInfinity, result.High);
        Assert.True(result.Low > 0);
        AssertClose(2 * Math.Pow(0.5, 4), result.PValue, 1e-12);
    }

    [Fact]
    public void RateRatio_NoEventsAtAll_Throws() =>
        Assert.Throws<ArgumentException>(() => PoissonExact.RateRatio(0, 1, 0, 1));

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(0, 7.3)]
    [InlineData(1, 6)]
    [InlineData(3, 3)]
    [InlineData(2, 3)]
    [InlineData(4, 3)]
    [InlineData(9, 2.5)]
    [InlineData(20, 10)]
    [InlineData(3, 10)]
    [InlineData(40, 25.5)]
    [InlineData(12, 30)]
    [InlineData(150, 120)]
    public void PoissonTwoSidedPValue_AnyCount_EqualsBruteForceMinimumLikelihoodSum(int x, double m)
    {
        // Definition: Σ P(k) over k with P(k) <= P(x)(1 + 1e-7), summing until the terms vanish.
        var d = MathNet.Numerics.Distributions.Poisson.PMF(m, x) * (1 + 1e-7);
        var sum = 0.0;
        for (var k = 0; k < 2000; k++)
        {
            var pk = MathNet.Numerics.Distributions.Poisson.PMF(m, k);
            if (pk <= d)
            {
                sum += pk;
            }
        }

        AssertClose(Math.Min(1, sum), PoissonExact.PoissonTwoSidedPValue(x, m), 1e-9);
    }

    [Theory]
    [InlineData(0, 10, 0.5)]
    [InlineData(3, 10, 0.5)]
    [InlineData(7, 10, 0.5)]
    [InlineData(1, 27, 0.2)]
    [InlineData(11, 32, 0.2099)]
    [InlineData(25, 25, 0.8)]
    [InlineData(60, 200, 0.25)]
    public void BinomialTwoSidedPValue_AnyCount_EqualsBruteForceMinimumLikelihoodSum(int x, int n, double p)
    {
        var d = MathNet.Numerics.Distributions.Binomial.PMF(p, n, x) * (1 + 1e-7);
        var sum = 0.0;
        for (var k = 0; k <= n; k++)
        {
            var pk = MathNet.Numerics.Distributions.Binomial.PMF(p, n, k);
            if (pk <= d)
            {
                sum += pk;
            }
        }

        AssertClose(Math.Min(1, sum), PoissonExact.BinomialTwoSidedPValue(x, n, p), 1e-9);
    }

    [Theory]
    [InlineData(1, 0.90)]
    [InlineData(5, 0.95)]
    [InlineData(37, 0.99)]
    public void Test_IntervalEnds_AreGarwoodTailQuantiles(int x, double confidence)
    {
        // P(X >= x | Low·T) = alpha/2 and P(X <= x | High·T) = alpha/2.
        const double time = 2.5;
        var result = PoissonExact.Test(x, time, 1, confidence);
        var alpha = 1 - confidence;
        Assert.Equal(alpha / 2, 1 - MathNet.Numerics.Distributions.Poisson.CDF(result.Low * time, x - 1), 1e-12);
        Assert.Equal(alpha / 2, MathNet.Numerics.Distributions.Poisson.CDF(result.High * time, x), 1e-12);
    }

    [Fact]
    public void Test_ExpectedCountZero_PValueIsOneOnlyForZeroEvents()
    {
        Assert.Equal(1, PoissonExact.Test(0, 5, 0).PValue);
        Assert.Equal(0, PoissonExact.Test(2, 5, 0).PValue);
    }

    [Fact]
    public void Test_NonPositiveTime_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PoissonExact.Test(1, 0));

    private static void AssertClose(double expected, double actual, double relative) =>
        Assert.Equal(expected, actual, Math.Max(1e-300, Math.Abs(expected) * relative));

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return [.. fields];
    }
}
