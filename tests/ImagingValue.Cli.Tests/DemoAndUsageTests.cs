using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

public class DemoAndUsageTests
{
    [Fact]
    public void Demo_FreshFolder_PrintsHeadlineAndWritesReports()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "demo", "--out", "demo");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("findings:   2/98 major (2.0%, 95% CI 0.6%–7.1%), 43 minor, 85 incidental; management changed: 0 major, 12 minor", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("cost:       $480,200 (98 x $4,900), $240,100 per major finding", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 observed, 6.13 expected against the review period's 2.04 a month: change -83.7%", result.Stdout, StringComparison.Ordinal);
        // The monitor's pre/post figure is only a labelled sensitivity analysis beside the headline.
        Assert.Contains("sensitivity analysis, not the headline figure: against the 60 months before the intervention", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("$25,112 avoided", result.Stdout, StringComparison.Ordinal);
        // Intervals read "a to b" (a lower bound can be negative: "-0.12-6.86", "$-585-$33,629" were unreadable).
        Assert.Matches(@"exams? avoided \(95% CI -?[\d.]+ to [\d.]+\), \$[\d,]+ saved \(95% CI -?\$[\d,]+ to \$[\d,]+\)", result.Stdout);
        Assert.Matches(@"rate ratio [\d.]+ \(95% CI [\d.]+ to [\d.]+\)", result.Stdout);
        Assert.DoesNotContain("$-", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("the C chart's lower limit is 0, so no month can signal a fall", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("after 2018-06-30: 1 in 3 months vs", result.Stdout, StringComparison.Ordinal);
        // A count of one takes the singular on the console and in the report (it said "1 intervention(s)", "1 exams in 3 months").
        Assert.Contains("123 included exams, 1 intervention", result.Stdout, StringComparison.Ordinal);
        var report = File.ReadAllText(Path.Combine(dir.Path, "demo", "report.html"));
        Assert.Contains("<td>1 exam in 3 months</td>", report, StringComparison.Ordinal);
        foreach (var text in new[] { result.Stdout, report })
        {
            Assert.DoesNotMatch(@"(?<![\d.,])1 (?:[a-z-]+ )?(?:exams|orders|months|interventions|rows)\b|\(s\)", text);
        }

        foreach (var file in new[] { "report.html", "summary.json", "screening.csv", "findings.csv", "monitor.json", "education-deck.pptx", "department-feedback.docx", "data/orders.csv", "workspace/imaging-value.db" })
        {
            Assert.True(File.Exists(Path.Combine(dir.Path, "demo", file)), file);
        }

        // The Office files pass the Open XML SDK's own validator.
        var validator = new DocumentFormat.OpenXml.Validation.OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2019);
        using (var deck = DocumentFormat.OpenXml.Packaging.PresentationDocument.Open(Path.Combine(dir.Path, "demo", "education-deck.pptx"), false))
        {
            Assert.Empty(validator.Validate(deck).Select(e => e.Description));
        }

        using (var feedback = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(Path.Combine(dir.Path, "demo", "department-feedback.docx"), false))
        {
            Assert.Empty(validator.Validate(feedback).Select(e => e.Description));
        }

        // Run again over the same folder: the demo starts its workspace afresh, so the figures do not double.
        var again = CliRunner.Run(dir.Path, "demo", "--out", "demo");
        Assert.Contains("cohort:     322 target exams, 224 excluded, 98 included", again.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("import")]
    [InlineData("audit", "--orders", "x.csv")]
    [InlineData("analyze", "--workspace", "ws", "--period", "2013-07-01..2017-06-30", "--charge", "lots")]
    public void WrongUsage_ExitCode2WithMessageOnStderr(params string[] args)
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run(dir.Path, args);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("imaging-value: ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void Help_ListsEveryCommand()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run(dir.Path, "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "demo", "audit", "init", "import", "screen", "analyze", "synth" })
        {
            Assert.Contains($"  {command} ", result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Import_NoWorkspace_ExitCode1NamingTheFolder()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("orders.csv"), "order_id\n");
        var result = CliRunner.Run(dir.Path, "import", "--workspace", "nowhere", "--orders", "orders.csv");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nowhere: no workspace here", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_BadPeriod_ExitCode1SayingWhatIsWrong()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("orders.csv"), "order_id,patient_id,ordered_at,procedure_name\n");
        var result = CliRunner.Run(dir.Path, "audit", "--orders", "orders.csv", "--period", "2017-06-30..2013-07-01");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the range ends before it starts", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_BadRowUnderStrict_ExitCode1NothingImported()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("orders.csv"), "order_id,patient_id,ordered_at,procedure_name\nO1,P1,2015-01-01,MRI SACRUM\nO2,P2,2015-13-01,MRI SACRUM\n");
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws").ExitCode);

        var strict = CliRunner.Run(dir.Path, "import", "--workspace", "ws", "--orders", "orders.csv", "--strict");

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("orders.csv:3: ordered_at: '2015-13-01' is not an ISO 8601", strict.Stderr, StringComparison.Ordinal);
        Assert.Contains("refused under --strict (1 bad row): nothing imported", strict.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 rejected", CliRunner.Run(dir.Path, "import", "--workspace", "ws", "--orders", "orders.csv").Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("ws/rejects/orders.rejects.csv")));
    }

    [Fact]
    public void WorkspaceFlow_InitImportScreenAnalyze_SameFiguresAsAudit()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "synth", "paper", "--out", "data").ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws").ExitCode);
        var import = CliRunner.Run(dir.Path, "import", "--workspace", "ws", "--orders", "data/orders.csv", "--conditions", "data/conditions.csv", "--reports", "data/reports.csv", "--reviews", "data/reviews.csv", "--strict");
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Contains("data/reviews.csv: reviews:", import.Stderr, StringComparison.Ordinal);

        var screen = CliRunner.Run(dir.Path, "screen", "--workspace", "ws");
        Assert.Equal(0, screen.ExitCode);
        Assert.True(File.Exists(dir.File("ws/screening.csv")));

        var analyze = CliRunner.Run(dir.Path, "analyze", "--workspace", "ws", "--period", "2013-07-01..2017-06-30", "--follow-up", "2018-07-01..2018-09-30", "--json", "s.json");
        Assert.Equal(0, analyze.ExitCode);
        Assert.Contains("\"savings\": 25112", File.ReadAllText(dir.File("s.json")), StringComparison.Ordinal);

        Assert.Equal(0, CliRunner.Run(dir.Path, "intervention", "add", "--workspace", "ws", "--date", "2018-06-30", "--kind", "education", "--departments", "Family Medicine").ExitCode);
        Assert.Contains("2018-06-30\teducation\tFamily Medicine", CliRunner.Run(dir.Path, "intervention", "list", "--workspace", "ws").Stdout, StringComparison.Ordinal);
        var monitor = CliRunner.Run(dir.Path, "monitor", "--workspace", "ws", "--from", "2013-07-01", "--to", "2018-09-30", "--json", "monitor.json");
        Assert.True(monitor.ExitCode == 0, monitor.Stderr);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("monitor.json")))!;
        Assert.Equal(1, json["pre_post"]!["observed"]!.GetValue<int>());
        Assert.Equal(2, json["pre_post"]!["savings_ci95"]!.AsArray().Count);
        Assert.NotNull(json["guard"]);
        Assert.Equal(63, json["months"]!.AsArray().Count);
        Assert.Equal(1, CliRunner.Run(dir.Path, "intervention", "add", "--workspace", "ws", "--date", "2018-06-30", "--kind", "poster").ExitCode);

        var report = CliRunner.Run(dir.Path, "report", "--workspace", "ws", "--period", "2013-07-01..2017-06-30", "--deck", "deck.pptx", "--feedback", "feedback.docx");
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.True(File.Exists(dir.File("deck.pptx")) && File.Exists(dir.File("feedback.docx")));
        Assert.Equal(2, CliRunner.Run(dir.Path, "report", "--workspace", "ws", "--period", "2013-07-01..2017-06-30").ExitCode);

        // Importing the same files again changes nothing.
        var again = CliRunner.Run(dir.Path, "import", "--workspace", "ws", "--orders", "data/orders.csv");
        Assert.Contains("0 new, 0 updated", again.Stderr, StringComparison.Ordinal);
    }
}
