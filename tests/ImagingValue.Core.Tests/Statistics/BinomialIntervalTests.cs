using System.Globalization;
using ImagingValue.Core.Statistics;
using ImagingValue.Core.Tests.Support;

namespace ImagingValue.Core.Tests.Statistics;

public class BinomialIntervalTests
{
    public static TheoryData<int, int, double, double> PublishedWilsonVectors() => Vectors("wilson");

    public static TheoryData<int, int, double, double> ClopperPearsonVectors() => Vectors("cp");

    public static TheoryData<int, int, double, double> WilsonCcVectors() => Vectors("wilson_cc");

    public static TheoryData<int, int, double, double> JeffreysVectors() => Vectors("jeffreys");

    [Theory]
    [MemberData(nameof(PublishedWilsonVectors))]
    public void Wilson_ReferenceVectors_MatchTo1e8Relative(int x, int n, double low, double high)
    {
        var (l, h) = BinomialInterval.Wilson(x, n);
        AssertClose(low, l);
        AssertClose(high, h);
    }

    [Theory]
    [MemberData(nameof(ClopperPearsonVectors))]
    public void ClopperPearson_ReferenceVectors_MatchTo1e8Relative(int x, int n, double low, double high)
    {
        var (l, h) = BinomialInterval.ClopperPearson(x, n);
        AssertClose(low, l);
        AssertClose(high, h);
    }

    [Theory]
    [MemberData(nameof(WilsonCcVectors))]
    public void WilsonContinuityCorrected_ReferenceVectors_MatchTo1e8Relative(int x, int n, double low, double high)
    {
        var (l, h) = BinomialInterval.WilsonContinuityCorrected(x, n);
        AssertClose(low, l);
        AssertClose(high, h);
    }

    [Theory]
    [MemberData(nameof(JeffreysVectors))]
    public void Jeffreys_ReferenceVectors_MatchTo1e8Relative(int x, int n, double low, double high)
    {
        var (l, h) = BinomialInterval.Jeffreys(x, n);
        AssertClose(low, l);
        AssertClose(high, h);
    }

    [Fact]
    public void Wilson_PaperYield_RoundsToContractFigures()
    {
        var (low, high) = BinomialInterval.Wilson(2, 98);
        Assert.Equal(0.0056, Math.Round(low, 4));
        Assert.Equal(0.0714, Math.Round(high, 4));
    }

    [Fact]
    public void ClopperPearson_PaperYield_RoundsToContractFigures()
    {
        // README 3.3: yield 2/98, Clopper-Pearson 0.25 %–7.18 %.
        var (low, high) = BinomialInterval.ClopperPearson(2, 98);
        Assert.Equal(0.0025, Math.Round(low, 4));
        Assert.Equal(0.0718, Math.Round(high, 4));
    }

    [Fact]
    public void ClopperPearson_FiveOfTwentyFive_MatchesPublishedTable()
    {
        // X2: influentialpoints.com worked example (Conover tables), 0.0683–0.4070.
        var (low, high) = BinomialInterval.ClopperPearson(5, 25);
        Assert.Equal(0.0683, Math.Round(low, 4));
        Assert.Equal(0.4070, Math.Round(high, 4));
    }

    [Theory]
    [InlineData(3, 17, 0.90)]
    [InlineData(12, 40, 0.95)]
    [InlineData(1, 1000, 0.99)]
    public void ClopperPearson_Ends_AreTailQuantilesOfTheBinomial(int x, int n, double confidence)
    {
        // Definition: P(X >= x | Low) = alpha/2 and P(X <= x | High) = alpha/2.
        var (low, high) = BinomialInterval.ClopperPearson(x, n, confidence);
        var alpha = 1 - confidence;
        Assert.Equal(alpha / 2, 1 - MathNet.Numerics.Distributions.Binomial.CDF(low, n, x - 1), 1e-12);
        Assert.Equal(alpha / 2, MathNet.Numerics.Distributions.Binomial.CDF(high, n, x), 1e-12);
    }

    [Theory]
    [InlineData(5, 10)]
    [InlineData(10, 20)]
    [InlineData(50, 100)]
    public void WilsonContinuityCorrected_HalfOfTrials_IsSymmetricAboutOneHalfAndWiderThanWilson(int x, int n)
    {
        // R's prop.test drops the correction here; Newcombe's formula keeps it.
        var (low, high) = BinomialInterval.WilsonContinuityCorrected(x, n);
        var (wilsonLow, wilsonHigh) = BinomialInterval.Wilson(x, n);
        Assert.Equal(1, low + high, 1e-12);
        Assert.True(low < wilsonLow);
        Assert.True(high > wilsonHigh);
    }

    [Theory]
    [InlineData(0, 7)]
    [InlineData(7, 7)]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    public void AllMethods_ExtremeCounts_StayWithinZeroOne(int x, int n)
    {
        foreach (var (low, high) in new[]
        {
            BinomialInterval.Wilson(x, n),
            BinomialInterval.WilsonContinuityCorrected(x, n),
            BinomialInterval.ClopperPearson(x, n),
            BinomialInterval.Jeffreys(x, n),
        })
        {
            Assert.InRange(low, 0, 1);
            Assert.InRange(high, low, 1);
            Assert.Equal(x == 0 ? 0 : low, low);
            Assert.Equal(x == n ? 1 : high, high);
        }
    }

    [Fact]
    public void Wilson_MoreSuccessesThanTrials_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialInterval.Wilson(5, 4));

    [Fact]
    public void ClopperPearson_ConfidenceOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialInterval.ClopperPearson(1, 4, 1));

    private static void AssertClose(double expected, double actual) =>
        Assert.Equal(expected, actual, Math.Max(1e-12, Math.Abs(expected) * 1e-8));

    private static TheoryData<int, int, double, double> Vectors(string method)
    {
        // TestData/qi-statistics/binomial_ci_vectors.csv: reference-computed in R 4.2.2 (binom.test and closed forms; see the README there).
        var data = new TheoryData<int, int, double, double>();
        var lines = File.ReadAllLines(TestData.PathOf("qi-statistics/binomial_ci_vectors.csv"));
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = line.Split(',');
            data.Add(
                int.Parse(f[Col("x")], CultureInfo.InvariantCulture),
                int.Parse(f[Col("n")], CultureInfo.InvariantCulture),
                double.Parse(f[Col(method + "_lo")], CultureInfo.InvariantCulture),
                double.Parse(f[Col(method + "_hi")], CultureInfo.InvariantCulture));
        }

        return data;
    }
}
