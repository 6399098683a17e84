using System.Text.Json.Nodes;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary>audit when part of its input was refused or rejected: no report unless --allow-partial, which says so.</summary>
public class AuditInputTests
{
    private static TempDirectory Inputs()
    {
        var dir = new TempDirectory();
        File.WriteAllText(
            dir.File("orders.csv"),
            "order_id,patient_id,ordered_at,procedure_name,indication,status\n" +
            "O1,P1,2015-03-17T14:18,MRI SACRUM WO,low back pain,\n" +
            "O2,P2,2015-04-02T09:00,MRI SACRUM WO,low back pain,\n" +
            "O3,P3,2015-13-01,MRI SACRUM WO,low back pain,\n");

        // No code column: the whole file is refused.
        File.WriteAllText(dir.File("conditions.csv"), "patient_id,description,onset_date\nP1,prostate cancer,2010-01-01\n");
        return dir;
    }

    private static CliRunner.Result Audit(TempDirectory dir, params string[] extra) => CliRunner.Run(
        dir.Path, ["audit", "--orders", "orders.csv", "--conditions", "conditions.csv", "--period", "2015-01-01..2015-12-31", "--out", "out", .. extra]);

    [Fact]
    public void Audit_InputFileRefused_Exit1AndNoReport()
    {
        using var dir = Inputs();

        var result = Audit(dir);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("conditions.csv", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out/report.html")), "report.html written from a refused input");
        Assert.False(File.Exists(dir.File("out/summary.json")), "summary.json written from a refused input");
    }

    [Fact]
    public void Audit_InputFileRefusedWithAllowPartial_Exit0AndEveryOutputSaysPartialWithTheRejectedCount()
    {
        using var dir = Inputs();

        var result = Audit(dir, "--allow-partial");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var input = JsonNode.Parse(File.ReadAllText(dir.File("out/summary.json")))!["input"]!;
        Assert.True(input["partial"]!.GetValue<bool>());
        Assert.Equal(1, input["rows_rejected"]!.GetValue<long>());
        Assert.Equal(["conditions.csv"], input["files_refused"]!.AsArray().Select(f => f!.GetValue<string>()));
        var html = File.ReadAllText(dir.File("out/report.html"));
        Assert.Contains("Partial input: 1 row rejected; file refused: conditions.csv", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_MapLeavesAColumnUnusedAndOptionalColumnsEmpty_SummaryListsThem()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("map.yaml"), "orders:\n  order_id: ORDER_NUM\n  ordered_at: ORDER_DTTM\n  procedure_name: EXAM\n  patient_id: MRN\n");
        File.WriteAllText(dir.File("export.csv"), "ORDER_NUM,MRN,ORDER_DTTM,EXAM,STATUS_CD\nX1,M1,2016-01-02T08:00,MRI SACRUM,CANCELLED\n");
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws").ExitCode);

        var result = CliRunner.Run(dir.Path, "import", "--workspace", "ws", "--orders", "export.csv", "--map", "map.yaml");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("export.csv: orders: columns not used (kept as extra data, check --map): STATUS_CD", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("export.csv: orders: optional columns with no value in any row: accession, performed_at,", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(", status", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WorkspaceWhoseImportRejectedARow_EveryOutputSaysSo()
    {
        using var dir = Inputs();
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws").ExitCode);
        var imported = CliRunner.Run(dir.Path, "import", "--workspace", "ws", "--orders", "orders.csv");
        Assert.Contains("2 new, 0 updated, 0 unchanged, 1 rejected", imported.Stderr, StringComparison.Ordinal);

        var result = CliRunner.Run(dir.Path, "analyze", "--workspace", "ws", "--period", "2015-01-01..2015-12-31", "--out", "out");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Partial input: 1 row rejected; the figures leave it out.", result.Stdout, StringComparison.Ordinal);
        var input = JsonNode.Parse(File.ReadAllText(dir.File("out/summary.json")))!["input"]!;
        Assert.Equal(1, input["rows_rejected"]!.GetValue<long>());
        Assert.True(input["partial"]!.GetValue<bool>());
        Assert.Contains("Partial input: 1 row rejected", File.ReadAllText(dir.File("out/report.html")), StringComparison.Ordinal);
    }
}
