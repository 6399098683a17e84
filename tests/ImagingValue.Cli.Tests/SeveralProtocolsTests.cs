using System.Text.Json;
using ImagingValue.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Cli.Tests;

/// <summary>
/// One workspace screened against several protocols (issue 17, item 6): a row per order and protocol in
/// screening.csv, a stored run per protocol reused per protocol, each protocol's figures and report, and a misspelt
/// protocol refused before anything is screened.
/// </summary>
public sealed class SeveralProtocolsTests
{
    private const string Both = "sacrum-mri-lbp,lumbar-imaging-lbp";

    private static string Workspace(TempDirectory dir)
    {
        File.WriteAllText(dir.File("orders.csv"), """
            order_id,patient_id,ordered_at,procedure_name,indication
            A1,P1,2015-03-02T09:00,MRI SACRUM WO CONTRAST,chronic low back pain
            A2,P2,2015-04-02T09:00,MRI SACRUM WO CONTRAST,"low back pain, hx breast cancer"
            B1,P3,2015-05-02T09:00,MRI LUMBAR SPINE WO CONTRAST,low back pain for 10 days
            B2,P4,2015-06-02T09:00,XR LUMBAR SPINE 2-3 VIEWS,"low back pain, hx breast cancer"
            C1,P5,2015-07-02T09:00,XR CHEST 2 VIEWS,cough
            """);
        var workspace = dir.File("ws");
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", workspace).ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, "import", "--workspace", workspace, "--orders", dir.File("orders.csv")).ExitCode);
        return workspace;
    }

    [Fact]
    public void Analyze_TwoProtocols_EachOrderDecidedByEachProtocolWithItsOwnFiguresAndReport()
    {
        using var dir = new TempDirectory();
        var workspace = Workspace(dir);

        var run = CliRunner.Run(dir.Path, "analyze", "--workspace", workspace, "--period", "2015-01-01..2015-12-31", "--protocol", Both, "--out", dir.File("out"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var log = Csv.Read(dir.File("out/screening.csv"));
        Assert.Equal(["order_id", "decision", "reason", "reasons", "evidence", "window", "protocol"], log[0].Keys);
        Assert.Equal(
            [
                "A1 sacrum-mri-lbp included", "A1 lumbar-imaging-lbp not_target",
                "A2 sacrum-mri-lbp excluded tumor", "A2 lumbar-imaging-lbp not_target",
                "B1 sacrum-mri-lbp not_target", "B1 lumbar-imaging-lbp included",
                "B2 sacrum-mri-lbp not_target", "B2 lumbar-imaging-lbp excluded cancer",
                "C1 sacrum-mri-lbp not_target", "C1 lumbar-imaging-lbp not_target",
            ],
            log.Select(r => $"{r["order_id"]} {r["protocol"]} {r["decision"]} {r["reason"]}".TrimEnd()));
        Assert.Contains("[cancer", log.Single(r => r["order_id"] == "B2" && r["protocol"] == "lumbar-imaging-lbp")["evidence"], StringComparison.Ordinal);

        // summary.json: the first protocol's figures where scripts read them, and every protocol's under "protocols".
        using var summary = JsonDocument.Parse(File.ReadAllText(dir.File("out/summary.json")));
        var root = summary.RootElement;
        Assert.Equal("sacrum-mri-lbp", root.GetProperty("protocol").GetString());
        Assert.Equal(1, root.GetProperty("cohort").GetProperty("included").GetInt32());
        var protocols = root.GetProperty("protocols");
        Assert.Equal(["sacrum-mri-lbp", "lumbar-imaging-lbp"], protocols.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, protocols.GetProperty("lumbar-imaging-lbp").GetProperty("cohort").GetProperty("excluded_by_reason").GetProperty("cancer").GetInt32());
        Assert.Equal(1, protocols.GetProperty("lumbar-imaging-lbp").GetProperty("cohort").GetProperty("included").GetInt32());

        // The further protocol's report in a folder of its own; the first one's where it always was.
        Assert.Contains("Lumbar spine imaging", File.ReadAllText(dir.File("out/lumbar-imaging-lbp/report.html")), StringComparison.Ordinal);
        Assert.DoesNotContain("Lumbar spine imaging", File.ReadAllText(dir.File("out/report.html")), StringComparison.Ordinal);
        Assert.Contains("out/lumbar-imaging-lbp/report.html", run.Stdout.Replace('\\', '/'), StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_RunsReusedPerProtocol_OnlyTheProtocolWithoutACurrentRunIsScreened()
    {
        using var dir = new TempDirectory();
        var workspace = Workspace(dir);
        string[] Analyze(string protocols) => ["analyze", "--workspace", workspace, "--period", "2015-01-01..2015-12-31", "--protocol", protocols, "--json", dir.File("summary.json")];

        Assert.Equal(0, CliRunner.Run(dir.Path, Analyze("sacrum-mri-lbp")).ExitCode);
        Assert.Equal(["sacrum-mri-lbp"], Runs(workspace));

        // The sacrum's run is current: only the lumbar protocol is screened.
        Assert.Equal(0, CliRunner.Run(dir.Path, Analyze(Both)).ExitCode);
        Assert.Equal(["sacrum-mri-lbp", "lumbar-imaging-lbp"], Runs(workspace));

        // Both current: nothing is screened, in either order or alone.
        Assert.Equal(0, CliRunner.Run(dir.Path, Analyze("lumbar-imaging-lbp,sacrum-mri-lbp")).ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, Analyze("lumbar-imaging-lbp")).ExitCode);
        Assert.Equal(["sacrum-mri-lbp", "lumbar-imaging-lbp"], Runs(workspace));

        // screen always stores a run of every protocol it is given, in one pass.
        Assert.Equal(0, CliRunner.Run(dir.Path, "screen", "--workspace", workspace, "--protocol", "sacrum-mri-lbp", "--protocol", "lumbar-imaging-lbp").ExitCode);
        Assert.Equal(["sacrum-mri-lbp", "lumbar-imaging-lbp", "sacrum-mri-lbp", "lumbar-imaging-lbp"], Runs(workspace));
        Assert.Equal(11, File.ReadAllLines(dir.File("ws/screening.csv")).Length);
    }

    [Theory]
    [InlineData("sacrum-mri-lbp,lumbar-imagin-lbp", "protocol 'lumbar-imagin-lbp': neither a built-in protocol")]
    [InlineData("sacrum-mri-lbp,sacrum-mri-lbp", "protocol id 'sacrum-mri-lbp' is given twice")]
    public void Screen_MisspeltOrRepeatedProtocol_RefusedWithOneLineAndNothingScreened(string protocols, string message)
    {
        using var dir = new TempDirectory();
        var workspace = Workspace(dir);

        var run = CliRunner.Run(dir.Path, "screen", "--workspace", workspace, "--protocol", protocols);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.Empty(Runs(workspace));
        Assert.False(File.Exists(dir.File("ws/screening.csv")));
    }

    [Fact]
    public void Audit_PaperDataset_TheSacrumRowsOfAScreeningOfBothAreTheScreeningOfTheSacrumAlone()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "synth", "paper", "--out", dir.File("paper")).ExitCode);
        string[] Audit(string protocols, string output) =>
        [
            "audit", "--orders", dir.File("paper/orders.csv"), "--conditions", dir.File("paper/conditions.csv"),
            "--period", "2013-07-01..2017-06-30", "--protocol", protocols, "--screening-log", dir.File(output),
        ];

        Assert.Equal(0, CliRunner.Run(dir.Path, Audit("sacrum-mri-lbp", "alone.csv")).ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, Audit(Both, "both.csv")).ExitCode);

        var alone = File.ReadAllLines(dir.File("alone.csv"));
        var both = File.ReadAllLines(dir.File("both.csv"));
        Assert.True(alone.Length > 300);
        Assert.All(alone.Skip(1), line => Assert.EndsWith(",sacrum-mri-lbp", line, StringComparison.Ordinal));
        Assert.Equal(alone.Skip(1), both.Skip(1).Where(line => line.EndsWith(",sacrum-mri-lbp", StringComparison.Ordinal)));
        Assert.Equal(2 * (alone.Length - 1), both.Length - 1);
    }

    /// <summary>The protocol of every stored run, oldest first.</summary>
    private static List<string> Runs(string workspace)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(workspace, "imaging-value.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT protocol_id FROM screening_runs ORDER BY run_id";
        using var reader = command.ExecuteReader();
        var protocols = new List<string>();
        while (reader.Read())
        {
            protocols.Add(reader.GetString(0));
        }

        return protocols;
    }

    [Fact]
    public void AWorkspacesOwnProtocols_AreScreenedWhenACommandNamesNone_ANamedOneStillWins()
    {
        using var dir = new TempDirectory();
        var workspace = Workspace(dir);
        var init = CliRunner.Run(dir.Path, "init", "--workspace", workspace, "--protocol", "lumbar-imaging-lbp", "--protocol", "sacrum-mri-lbp");

        var screened = CliRunner.Run(dir.Path, "screen", "--workspace", workspace, "--screening-log", dir.File("enabled.csv"));
        var named = CliRunner.Run(dir.Path, "screen", "--workspace", workspace, "--protocol", "sacrum-mri-lbp", "--screening-log", dir.File("named.csv"));

        Assert.Contains("protocols lumbar-imaging-lbp, sacrum-mri-lbp", init.Stderr, StringComparison.Ordinal);
        Assert.True(screened.ExitCode == 0, screened.Stderr);
        Assert.Equal(["lumbar-imaging-lbp", "sacrum-mri-lbp"], Csv.Read(dir.File("enabled.csv")).Select(r => r["protocol"]).Distinct());
        Assert.Equal(["sacrum-mri-lbp"], Csv.Read(dir.File("named.csv")).Select(r => r["protocol"]).Distinct());
    }

    [Fact]
    public void Init_AMisspeltProtocol_IsRefused_AndNoWorkspaceIsMade()
    {
        using var dir = new TempDirectory();

        var init = CliRunner.Run(dir.Path, "init", "--workspace", dir.File("ws"), "--protocol", "sacrum-mri-lbp,lumbar-imagng-lbp");

        Assert.Equal(1, init.ExitCode);
        Assert.Contains("protocol 'lumbar-imagng-lbp': neither a built-in protocol", init.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("ws")));
    }
}
