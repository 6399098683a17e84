using System.Text;
using System.Text.Json.Nodes;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

public class FollowUpCoverageTests
{
    /// <summary>Sacrum MRIs for low back pain, one a month through 2016: the export ends 2016-12-04.</summary>
    private static string SmallExport()
    {
        var csv = new StringBuilder("order_id,patient_id,ordered_at,performed_at,procedure_code,procedure_name,indication,patient_sex,patient_birth_date,status\n");
        for (var i = 0; i < 24; i++)
        {
            var at = new DateTime(2015, 1, 2).AddMonths(i);
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"O{i},P{i},{at:yyyy-MM-ddT09:00:00},{at.AddDays(2):yyyy-MM-ddT10:00:00},72195,MRI SACRUM WO CONTRAST,low back pain,F,1970-01-01,completed\n");
        }

        return csv.ToString();
    }

    [Fact]
    public void Audit_FollowUpPastTheDatasEnd_ExitsZeroAndSummarySaysNotCovered()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "orders.csv"), SmallExport());

        var result = CliRunner.Run(
            dir.Path,
            "audit", "--protocol", "sacrum-mri-lbp", "--orders", "orders.csv", "--period", "2015-01-01..2016-12-31",
            "--intervention", "2017-12-31", "--follow-up", "2018-01-01..2018-03-31", "--charge", "4900",
            "--json", "summary.json", "--out", "out");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var followUp = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "summary.json")))!["follow_up"]!.AsObject();
        Assert.False(followUp["covered"]!.GetValue<bool>());
        foreach (var key in new[] { "observed", "change_pct", "avoided_exams", "savings" })
        {
            Assert.True(followUp.ContainsKey(key), key);
            Assert.Null(followUp[key]);
        }

        Assert.Contains("no data for this window", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("-100", result.Stdout, StringComparison.Ordinal);
        var report = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(dir.Path, "out", "report.html")));
        Assert.Contains("no data for this window", report, StringComparison.Ordinal);
        Assert.DoesNotContain("-100", report, StringComparison.Ordinal);
    }
}
