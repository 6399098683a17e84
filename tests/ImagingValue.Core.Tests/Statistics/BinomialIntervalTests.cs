using System.Globalization;
using ImagingValue.Core.Statistics;
using ImagingValue.Core.Tests.Support;

namespace ImagingValue.Core.Tests.Statistics;

public class BinomialIntervalTests
{
    public static TheoryData<int, int, double, double> PublishedWilsonVectors()
    {
        // ../shared/benchmarks/qi-statistics/binomial_ci_vectors.csv: reference-computed in R (see its README).
        var data = new TheoryData<int, int, double, double>();
        var lines = File.ReadAllLines(SharedData.PathOf("benchmarks/qi-statistics/binomial_ci_vectors.csv"));
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = line.Split(',');
            data.Add(
                int.Parse(f[Col("x")], CultureInfo.InvariantCulture),
                int.Parse(f[Col("n")], CultureInfo.InvariantCulture),
                double.Parse(f[Col("wilson_lo")], CultureInfo.InvariantCulture),
                double.Parse(f[Col("wilson_hi")], CultureInfo.InvariantCulture));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PublishedWilsonVectors))]
    public void Wilson_ReferenceVectors_MatchTo1e8Relative(int x, int n, double low, double high)
    {
        var (l, h) = BinomialInterval.Wilson(x, n);
        Assert.Equal(low, l, Math.Max(1e-12, Math.Abs(low) * 1e-8));
        Assert.Equal(high, h, Math.Max(1e-12, Math.Abs(high) * 1e-8));
    }

    [Fact]
    public void Wilson_PaperYield_RoundsToContractFigures()
    {
        var (low, high) = BinomialInterval.Wilson(2, 98);
        Assert.Equal(0.0056, Math.Round(low, 4));
        Assert.Equal(0.0714, Math.Round(high, 4));
    }

    [Fact]
    public void Wilson_MoreSuccessesThanTrials_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialInterval.Wilson(5, 4));
}
