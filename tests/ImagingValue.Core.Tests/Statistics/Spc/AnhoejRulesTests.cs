using System.Globalization;
using ImagingValue.Core.Statistics.Spc;
using ImagingValue.Core.Tests.Support;

namespace ImagingValue.Core.Tests.Statistics.Spc;

/// <summary>S17: run-chart limits for 10–100 useful points (TestData/qi-statistics/anhoej_critical_values.csv: round(log2 n) + 3 and qbinom(0.05, n - 1, 0.5), as qicharts2 0.8.1 applies them).</summary>
public class AnhoejRulesTests
{
    public static TheoryData<int, int, int> CriticalValues()
    {
        var data = new TheoryData<int, int, int>();
        var lines = File.ReadAllLines(TestData.PathOf("qi-statistics/anhoej_critical_values.csv"));
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = line.Split(',');
            data.Add(
                int.Parse(f[Col("n_useful")], CultureInfo.InvariantCulture),
                int.Parse(f[Col("longest_run_max")], CultureInfo.InvariantCulture),
                int.Parse(f[Col("crossings_min")], CultureInfo.InvariantCulture));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CriticalValues))]
    public void Limits_S17CriticalValueTable_Matches(int nUseful, int longestRunMax, int crossingsMin)
    {
        Assert.Equal(longestRunMax, AnhoejRules.LongestRunMax(nUseful));
        Assert.Equal(crossingsMin, AnhoejRules.CrossingsMin(nUseful));
    }

    [Fact]
    public void CriticalValues_TableFile_HoldsAllNinetyOneRows()
    {
        Assert.Equal(91, CriticalValues().Count);
    }

    [Fact]
    public void Analyse_PointsOnCentreLine_NeitherBreakNorExtendRuns()
    {
        double[] y = [1, 1, 2, 1, 3, 3, 2, 3];

        var runs = AnhoejRules.Analyse(y, 2);

        Assert.Equal(6, runs.NUseful);
        Assert.Equal(3, runs.LongestRun);
        Assert.Equal(1, runs.Crossings);
    }
}
