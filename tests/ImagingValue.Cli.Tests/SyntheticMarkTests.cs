using System.Text.Json.Nodes;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary>Data made by <c>synth</c> carries its mark through import to summary.json; real data never does (issue 13).</summary>
public class SyntheticMarkTests
{
    [Fact]
    public void Audit_SynthData_MarkedSyntheticAndTheSameRowsWithoutTheMarkerAreNot()
    {
        using var dir = new TempDirectory();
        var synth = CliRunner.Run(dir.Path, "synth", "paper", "--out", "data");
        Assert.True(synth.ExitCode == 0, synth.Stderr);

        var (marked, stdout) = Audit(dir, "data/orders.csv", "marked");
        Assert.True(marked["synthetic"]!.GetValue<bool>());
        Assert.Contains("data:       Synthetic data", stdout, StringComparison.Ordinal);
        var deck = Path.Combine(dir.Path, "marked", "education-deck.pptx");
        using (var document = DocumentFormat.OpenXml.Packaging.PresentationDocument.Open(deck, false))
        {
            Assert.All(document.PresentationPart!.SlideParts, s => Assert.Contains("Synthetic data", s.Slide.InnerText, StringComparison.Ordinal));
        }

        Assert.Contains("Synthetic data", File.ReadAllText(Path.Combine(dir.Path, "marked", "report.html")), StringComparison.Ordinal);

        // A site export: the same rows without the generator's column.
        var rows = Csv.Read(Path.Combine(dir.Path, "data", "orders.csv"));
        var columns = rows[0].Keys.Where(k => k != "imaging_value_synthetic").ToList();
        File.WriteAllLines(
            Path.Combine(dir.Path, "data", "real-orders.csv"),
            [string.Join(',', columns), .. rows.Select(r => string.Join(',', columns.Select(c => Quote(r[c]))))]);

        var (real, realStdout) = Audit(dir, "data/real-orders.csv", "real");
        Assert.Null(real["synthetic"]);
        Assert.DoesNotContain("ynthetic", realStdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ynthetic", File.ReadAllText(Path.Combine(dir.Path, "real", "report.html")), StringComparison.Ordinal);
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static (JsonNode Summary, string Stdout) Audit(TempDirectory dir, string orders, string output)
    {
        var result = CliRunner.Run(
            dir.Path,
            "audit", "--protocol", "sacrum-mri-lbp", "--orders", orders, "--conditions", "data/conditions.csv",
            "--reports", "data/reports.csv", "--reviews", "data/reviews.csv", "--period", "2013-07-01..2017-06-30",
            "--charge", "4900", "--out", output);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return (JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, output, "summary.json")))!, result.Stdout);
    }
}
