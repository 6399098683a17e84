using System.Globalization;
using System.Text.Json.Nodes;
using ImagingValue.Cli.Tests.Support;
using ImagingValue.Core.Tests.Statistics.Regression;

namespace ImagingValue.Cli.Tests;

/// <summary>The stats commands end to end: contract keys, and one published vector each (the library tests cover the rest).</summary>
public class StatsCommandTests
{
    private static JsonNode Json(TempDirectory dir, params string[] args)
    {
        var result = CliRunner.Run(dir.Path, [.. args, "--json", "-"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonNode.Parse(result.Stdout)!;
    }

    private static void Near(double expected, JsonNode? actual, double relative = 1e-8) =>
        Assert.Equal(expected, actual!.GetValue<double>(), Math.Abs(expected) * relative);

    [Fact]
    public void Proportion_TwoOf98_AllFourIntervals()
    {
        using var dir = new TempDirectory();
        var json = Json(dir, "stats", "proportion", "--x", "2", "--n", "98");
        Assert.Equal(["estimate", "wilson", "clopper_pearson", "wilson_cc", "jeffreys"], json.AsObject().Select(kv => kv.Key));
        Near(0.005614614155, json["wilson"]![0]);
        Near(0.07178205717, json["clopper_pearson"]![1]);
        Near(0.003542721484, json["wilson_cc"]![0]);
        Near(0.06385153427, json["jeffreys"]![1]);
    }

    [Fact]
    public void Rate_OneInThreeMonthsAgainstTwoPerMonth_ExactTest()
    {
        using var dir = new TempDirectory();
        var json = Json(dir, "stats", "rate", "--events", "1", "--time", "3", "--rate", "2");
        Near(0.3333333333, json["estimate"]);
        Near(0.008439269328, json["ci95"]![0]);
        Near(1.857214464, json["ci95"]![1]);
        Near(0.03744322878, json["p_value"]);
    }

    [Fact]
    public void Rate_RateRatio_ReproducesPoissonTestHelpExample()
    {
        using var dir = new TempDirectory();
        var json = Json(dir, "stats", "rate", "--events", "11", "--time", "800", "--vs-events", "21", "--vs-time", "3011");
        Near(1.971488095, json["estimate"]);
        Near(0.8584264034, json["ci95"]![0]);
        Near(4.277265944, json["ci95"]![1]);
        Near(0.07966863303, json["p_value"]);
    }

    [Fact]
    public void Kappa_TwoByTwo_KappaAseCiAndWeighted()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("table.csv"), "first\\second,yes,no\nyes,20,5\nno,10,15\n");
        var json = Json(dir, "stats", "kappa", "--in", "table.csv");
        Near(0.4, json["kappa"]);
        Near(0.1269960629, json["ase"]);
        Near(0.1266465276, json["ci95"]![0]);
        Near(0.4, json["weighted_linear"]!["kappa"]);
    }

    [Fact]
    public void Spc_CChartInTwoParts_PublishedLimitsAndLowCountAdvice()
    {
        using var dir = new TempDirectory();
        int[] cdi = [17, 12, 27, 20, 20, 18, 22, 19, 19, 24, 17, 16, 24, 19, 19, 22, 25, 19, 17, 6, 25, 17, 11, 14, 9, 11, 7, 13, 5, 5, 3, 5, 9, 4, 5, 9];
        File.WriteAllLines(dir.File("series.csv"), ["x,y", .. cdi.Select((v, i) => $"{i + 1},{v}")]);

        var json = Json(dir, "stats", "spc", "--chart", "c", "--in", "series.csv", "--part", "24");

        var parts = json["parts"]!.AsArray();
        Assert.Equal(2, parts.Count);
        Assert.Equal(1, parts[0]!["from"]!.GetValue<int>());
        Assert.Equal(24, parts[0]!["to"]!.GetValue<int>());
        Near(18.70833333, parts[0]!["cl"], 1e-6);
        Near(5.732394061, parts[0]!["lcl"]![0], 1e-6);
        Near(31.68427261, parts[0]!["ucl"]![23], 1e-6);
        Assert.Equal(24, parts[0]!["lcl"]!.AsArray().Count);
        Near(15.06769304, parts[1]!["ucl"]![0], 1e-6);
        Assert.False(parts[0]!["runs_signal"]!.GetValue<bool>());
        Assert.NotNull(json["low_count"]);
    }

    [Fact]
    public void Its_SicilyPoisson_LevelChangeOfTheTutorial()
    {
        using var dir = new TempDirectory();
        // Written from the published numbers (SicilyData, shared with Core.Tests): the source repository has no licence,
        // so its file is not stored here.
        File.WriteAllLines(dir.File("sicily.csv"), [
            "x,y,stdpop",
            .. SicilyData.Aces.Select((aces, i) => string.Create(CultureInfo.InvariantCulture, $"{new DateOnly(2002, 1, 1).AddMonths(i):yyyy-MM},{aces},{SicilyData.StdPop[i]}")),
        ]);

        var poisson = Json(dir, "stats", "its", "--in", "sicily.csv", "--interruption", "37", "--offset", "stdpop", "--family", "poisson");
        Near(0.894377, poisson["level_change"]!["rate_ratio"], 1e-5);
        Near(0.864686, poisson["level_change"]!["ci95"]![0], 1e-5);
        Near(1.004957, poisson["trend"]!["rate_ratio"], 1e-5);

        var seasonal = Json(dir, "stats", "its", "--in", "sicily.csv", "--interruption", "37", "--offset", "stdpop", "--harmonics", "2", "--period", "12");
        Near(0.885072, seasonal["level_change"]!["rate_ratio"], 1e-5);
        Near(2.262186415, seasonal["dispersion"], 1e-5);
    }

    [Theory]
    [InlineData("stats", "spc", "--chart", "x", "--in", "series.csv")]
    [InlineData("stats", "spc", "--chart", "u", "--in", "series.csv")]
    [InlineData("stats", "its", "--in", "missing.csv", "--interruption", "3")]
    public void BadInput_ExitCode1WithOneLine(params string[] args)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("series.csv"), "x,y\n1,3\n2,4\n3,x5\n");
        var result = CliRunner.Run(dir.Path, args);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("imaging-value: ", result.Stderr, StringComparison.Ordinal);
    }
}
