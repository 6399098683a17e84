using ImagingValue.Core.Statistics;

namespace ImagingValue.Core.Tests.Statistics;

public class KappaTests
{
    [Fact]
    public void Cohen_TwoByTwoReferenceTable_MatchesK2()
    {
        // K2 (computed): [[20, 5], [10, 15]].
        var result = Kappa.Cohen(new[,] { { 20, 5 }, { 10, 15 } });
        AssertClose(0.4, result.Kappa, 1e-12);
        AssertClose(0.1269960629, result.Ase, 1e-9);
        // Interval on Fisher's z scale: tanh(atanh 0.4 ± 1.96 · 0.126996 / (1 − 0.4²)) (the Wald interval was 0.1511–0.6489).
        AssertClose(0.1266465276, result.Low, 1e-9);
        AssertClose(0.6168892530, result.High, 1e-9);
        AssertClose(0.1385640646, result.NullSe, 1e-9);
    }

    [Theory]
    [InlineData(18, 1, 1, 2)]
    [InlineData(1, 6, 6, 1)]
    [InlineData(3, 0, 1, 1)]
    [InlineData(0, 3, 4, 1)]
    [InlineData(40, 1, 0, 2)]
    public void Cohen_SmallTablesNearTheBound_IntervalStaysWithinMinusOneToOne(int a, int b, int c, int d)
    {
        // With the Wald interval κ ± 1.96·ASE these went past ±1 (e.g. [[18, 1], [1, 2]]: κ 0.61, upper end above 1).
        var result = Kappa.Cohen(new[,] { { a, b }, { c, d } });

        Assert.InRange(result.Low, -1, 1);
        Assert.InRange(result.High, -1, 1);
        Assert.True(result.Low <= result.Kappa && result.Kappa <= result.High);
    }

    [Fact]
    public void Cohen_Interval_IsTheFisherZIntervalOfTheAse()
    {
        var result = Kappa.Cohen(new[,] { { 7, 7, 2, 3 }, { 2, 8, 3, 7 }, { 1, 5, 4, 9 }, { 2, 8, 9, 14 } });
        var z = Math.Atanh(result.Kappa);
        var se = result.Ase / (1 - (result.Kappa * result.Kappa));
        AssertClose(Math.Tanh(z - (1.959963984540054 * se)), result.Low, 1e-12);
        AssertClose(Math.Tanh(z + (1.959963984540054 * se)), result.High, 1e-12);
    }

    [Fact]
    public void CohenAndLinearWeighted_SexualFun_MatchVcdKappaPublishedFigures()
    {
        // vcd::SexualFun (Hout et al. 1987; Agresti), husband × wife, "Never fun" … "Always fun".
        // vcd::Kappa help output: unweighted 0.1293 (ASE 0.06860), equal-spacing weighted 0.2374 (ASE 0.07832).
        var table = new[,] { { 7, 7, 2, 3 }, { 2, 8, 3, 7 }, { 1, 5, 4, 9 }, { 2, 8, 9, 14 } };
        var plain = Kappa.Cohen(table);
        var weighted = Kappa.LinearWeighted(table);
        Assert.Equal(0.1293, Math.Round(plain.Kappa, 4));
        Assert.Equal(0.0686, Math.Round(plain.Ase, 4));
        Assert.Equal(0.2374, Math.Round(weighted.Kappa, 4));
        Assert.Equal(0.0783, Math.Round(weighted.Ase, 4));
    }

    [Fact]
    public void LinearWeighted_TwoByTwo_EqualsUnweighted()
    {
        var table = new double[,] { { 20, 5 }, { 10, 15 } };
        var plain = Kappa.Cohen(table);
        var weighted = Kappa.LinearWeighted(table);
        AssertClose(plain.Kappa, weighted.Kappa, 1e-12);
        AssertClose(plain.Ase, weighted.Ase, 1e-12);
        AssertClose(plain.NullSe, weighted.NullSe, 1e-12);
        AssertClose(plain.Low, weighted.Low, 1e-12);
        AssertClose(plain.High, weighted.High, 1e-12);
    }

    [Fact]
    public void Cohen_PerfectAgreement_IsOneWithZeroAse()
    {
        var result = Kappa.Cohen(new[,] { { 12, 0, 0 }, { 0, 7, 0 }, { 0, 0, 9 } });
        Assert.Equal(1, result.Kappa, 12);
        Assert.Equal(0, result.Ase, 12);
        Assert.True(result.NullSe > 0);
        Assert.Equal(1, Kappa.LinearWeighted(new[,] { { 12, 0, 0 }, { 0, 7, 0 }, { 0, 0, 9 } }).Kappa, 12);
    }

    [Fact]
    public void Cohen_IndependenceTable_IsZero()
    {
        // Outer product of margins (0.2, 0.3, 0.5) × (0.4, 0.4, 0.2), 100 subjects.
        var table = new double[,] { { 8, 8, 4 }, { 12, 12, 6 }, { 20, 20, 10 } };
        Assert.Equal(0, Kappa.Cohen(table).Kappa, 12);
        Assert.Equal(0, Kappa.LinearWeighted(table).Kappa, 12);
    }

    [Fact]
    public void CohenAndLinearWeighted_Transposed_GiveTheSameResult()
    {
        var table = new double[,] { { 7, 7, 2, 3 }, { 2, 8, 3, 7 }, { 1, 5, 4, 9 }, { 2, 8, 9, 14 } };
        var transposed = new double[4, 4];
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                transposed[j, i] = table[i, j];
            }
        }

        foreach (var (a, b) in new[]
        {
            (Kappa.Cohen(table), Kappa.Cohen(transposed)),
            (Kappa.LinearWeighted(table), Kappa.LinearWeighted(transposed)),
        })
        {
            AssertClose(a.Kappa, b.Kappa, 1e-12);
            AssertClose(a.Ase, b.Ase, 1e-12);
            AssertClose(a.NullSe, b.NullSe, 1e-12);
        }
    }

    [Fact]
    public void Weighted_IdentityWeights_EqualsCohen()
    {
        var table = new double[,] { { 7, 7, 2 }, { 2, 8, 3 }, { 1, 5, 4 } };
        var identity = new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        Assert.Equal(Kappa.Cohen(table), Kappa.Weighted(table, identity));
    }

    [Fact]
    public void Cohen_NonSquareTable_Throws() =>
        Assert.Throws<ArgumentException>(() => Kappa.Cohen(new double[2, 3]));

    [Fact]
    public void Cohen_SingleCategoryUsed_Throws() =>
        Assert.Throws<ArgumentException>(() => Kappa.Cohen(new double[,] { { 5, 0 }, { 0, 0 } }));

    [Fact]
    public void Summarize_ReferenceTable_RoundedForTheReport()
    {
        var (n, agreePct, kappa, ci) = Kappa.Summarize([[20, 5], [10, 15]]);

        Assert.Equal(50, n);
        Assert.Equal(70.0, agreePct);
        Assert.Equal(0.4, kappa);
        Assert.Equal([0.1266, 0.6169], ci!);
    }

    [Fact]
    public void Summarize_BothSidesOneClass_AgreementWithoutKappa()
    {
        var (n, agreePct, kappa, ci) = Kappa.Summarize([[0, 0, 0], [0, 7, 0], [0, 0, 0]]);

        Assert.Equal((7, 100.0), (n, agreePct));
        Assert.Null(kappa);
        Assert.Null(ci);
    }

    [Fact]
    public void Summarize_OneSideOneClass_KappaZero()
    {
        // Rater 1 always "yes", rater 2 varies: Pe = Po, so kappa is 0 (defined), not null.
        var (_, agreePct, kappa, _) = Kappa.Summarize([[6, 4], [0, 0]]);

        Assert.Equal(60.0, agreePct);
        Assert.Equal(0.0, kappa);
    }

    [Fact]
    public void Summarize_NoPairs_AllNull() =>
        Assert.Equal((0, (double?)null, (double?)null, (double[]?)null), Kappa.Summarize([[0, 0], [0, 0]]));

    private static void AssertClose(double expected, double actual, double relative) =>
        Assert.Equal(expected, actual, Math.Max(1e-15, Math.Abs(expected) * relative));
}
