using System.Text;
using System.Text.RegularExpressions;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary>HL7 v2 in (import --hl7, listen with a real MLLP client, hl7 errors/replay) and export, as a site uses them.</summary>
public sealed partial class FeedCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>An order message and a result message per order, as a RIS sends them.</summary>
    private static IEnumerable<string> Feed(int orders)
    {
        for (var i = 0; i < orders; i++)
        {
            yield return $"MSH|^~\\&|RIS|HOSP|IV|QI|20160307141000||ORM^O01|O{i}|P|2.5\rPID|1||MRN{i % 700}^^^HOSP^MR||Doe^Jane||19620214|F\rPV1|1|O|SPINE^^^HOSP\r" +
                $"ORC|NW|PL{i}|ACC{i}||SC||||20160307140900|||1234^Smith^Ann\rOBR|1|PL{i}|ACC{i}|72195^MRI SACRUM WO|||||||||||||||||||||||||||^low back pain for {(i % 30) + 1} days\rDG1|1||M54.50^LBP^I10\r";
        }

        for (var i = 0; i < orders; i++)
        {
            yield return $"MSH|^~\\&|RIS|HOSP|IV|QI|20160308120000||ORU^R01|R{i}|P|2.5\rPID|1||MRN{i % 700}^^^HOSP^MR||Doe^Jane||19620214|F\r" +
                $"OBR|1|PL{i}|ACC{i}|72195^MRI SACRUM WO|||20160308101500|||||||||||||||20160308113000|||F\rOBX|1|TX|||FINDINGS: Normal sacrum.\rOBX|2|TX|||IMPRESSION: No acute finding.\r";
        }
    }

    private string WriteFramed(string name, IEnumerable<string> messages)
    {
        var path = _dir.File(name);
        using var file = File.Create(path);
        foreach (var message in messages)
        {
            file.Write([0x0B, .. Encoding.UTF8.GetBytes(message), 0x1C, 0x0D]);
        }

        return path;
    }

    private string Workspace(string name)
    {
        var workspace = _dir.File(name);
        Assert.Equal(0, CliRunner.Run(_dir.Path, "init", "--workspace", workspace).ExitCode);
        return workspace;
    }

    private Dictionary<string, string> Export(string workspace, string name)
    {
        var output = _dir.File(name);
        var export = CliRunner.Run(_dir.Path, "export", "--workspace", workspace, "--out", output);
        Assert.True(export.ExitCode == 0, export.Stderr);
        return Directory.GetFiles(output).ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
    }

    [GeneratedRegex(@"MSA\|AA\|")]
    private static partial Regex Accepted();

    [Fact]
    public void ImportHl7_StoresOrdersAndReports_AgainChangesNothing_RefusedAreKeptAndNamed()
    {
        var workspace = Workspace("ws");
        var bad = "MSH|^~\\&|RIS|HOSP|IV|QI|20160307141000||ORM^O01|BAD1|P|2.5\rPID|1||MRN9^^^HOSP^MR\rORC|NW|PL9\rOBR|1|PL9\r";
        var feed = _dir.File("feed.hl7");
        File.WriteAllText(feed, string.Join("\n", [.. Feed(3), bad]).Replace("\r", "\r\n", StringComparison.Ordinal));

        var first = CliRunner.Run(_dir.Path, "import", "--workspace", workspace, "--hl7", feed);
        var again = CliRunner.Run(_dir.Path, "import", "--workspace", workspace, "--hl7", feed);
        var errors = CliRunner.Run(_dir.Path, "hl7", "errors", "--workspace", workspace);

        Assert.Equal(1, first.ExitCode);
        Assert.Contains("feed.hl7: 6 stored, 0 already stored, 0 without orders or results, 1 refused", first.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"feed\.hl7:\d+: BAD1: OBR-4: no procedure", first.Stderr);
        Assert.Contains("feed.hl7: 0 stored, 6 already stored", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("BAD1\tRIS|HOSP\tORM^O01\t", errors.Stdout, StringComparison.Ordinal);
        Export(workspace, "export");
        var orders = Csv.Read(Path.Combine(_dir.File("export"), "orders.csv"));
        Assert.Equal(["PL0", "PL1", "PL2"], orders.Select(o => o["order_id"]));
        Assert.All(orders, o => Assert.Equal(("completed", "2016-03-07T14:09:00", "2016-03-08T10:15:00", "M54.50"), (o["status"], o["ordered_at"], o["performed_at"], o["reason_codes"])));
        Assert.Equal("FINDINGS: Normal sacrum.\nIMPRESSION: No acute finding.", Csv.Read(Path.Combine(_dir.File("export"), "reports.csv"))[0]["report_text"]);
    }

    [Fact]
    public async Task Listen_TenThousandMessagesFromMllpSend_EachAcknowledgedAndStored_ResentChangesNothing_KilledMidFeedRecovers()
    {
        var feed = WriteFramed("feed.mllp", Feed(5_000));
        var steady = Workspace("steady");

        await using (var listen = await ListenProcess.StartAsync(steady))
        {
            var (exit, acks) = await ListenProcess.SendAsync(listen.Port, feed);
            Assert.Equal(0, exit);
            Assert.Equal(10_000, Accepted().Count(acks));

            var (_, resent) = await ListenProcess.SendAsync(listen.Port, feed);
            Assert.Equal(10_000, Accepted().Count(resent));
            Assert.Equal(0, await listen.StopAsync());
            Assert.Contains("listen: stopped; 10000 messages stored", listen.Log, StringComparison.Ordinal);
        }

        var uninterrupted = Export(steady, "steady-export");
        Assert.Equal(5_001, uninterrupted["orders.csv"].Count(c => c == '\n'));

        // Killed in the middle: what was acknowledged is stored, the message in hand is not half-written, and the
        // whole feed sent again to a restarted listener gives the same workspace as the uninterrupted run.
        var killed = Workspace("killed");
        await using (var listen = await ListenProcess.StartAsync(killed))
        {
            var sending = ListenProcess.SendAsync(listen.Port, feed);
            await Task.Delay(TimeSpan.FromSeconds(2));
            await listen.KillAsync();
            var (_, acknowledgedBeforeKill) = await sending;
            Assert.True(Accepted().Count(acknowledgedBeforeKill) < 10_000, "the listener was killed after the whole feed: nothing was interrupted");
        }

        await using (var restarted = await ListenProcess.StartAsync(killed))
        {
            var (exit, acks) = await ListenProcess.SendAsync(restarted.Port, feed);
            Assert.Equal(0, exit);
            Assert.Equal(10_000, Accepted().Count(acks));
            Assert.Equal(0, await restarted.StopAsync());
        }

        Assert.Equal(uninterrupted, Export(killed, "killed-export"));
    }

    // --log-format json (issue 16): each line listen writes is one JSON object with the text line as its Message.
    [Fact]
    public async Task Listen_JsonLogs_EachLineIsOneObject()
    {
        var workspace = Workspace("json-logs");
        var feed = WriteFramed("json.mllp", Feed(2));

        await using var listen = await ListenProcess.StartAsync(workspace, "--log-format", "json");
        var (exit, _) = await ListenProcess.SendAsync(listen.Port, feed);
        var stopped = await listen.StopAsync();

        var lines = listen.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(0, exit);
        Assert.Equal(0, stopped);
        Assert.StartsWith("listen: MLLP on 127.0.0.1:", lines[0].GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Equal("listen: stopped; 4 messages stored in this workspace", lines[^1].GetProperty("Message").GetString());
        Assert.All(lines, l => Assert.Equal("listen", l.GetProperty("Category").GetString()));
        Assert.DoesNotContain("Jane", listen.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monitor_WhileListenRuns_AnswersFromTheMessagesStored()
    {
        var workspace = Workspace("live");
        var feed = WriteFramed("feed.mllp", Feed(20));

        await using var listen = await ListenProcess.StartAsync(workspace);
        var (exit, _) = await ListenProcess.SendAsync(listen.Port, feed);
        var monitor = CliRunner.Run(_dir.Path, "monitor", "--workspace", workspace);

        Assert.Equal(0, exit);
        Assert.True(monitor.ExitCode == 0, monitor.Stderr);
        Assert.Contains("20 included exams", monitor.Stdout + monitor.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await listen.StopAsync());
    }

    [Fact]
    public async Task Listen_BadContent_AnsweredAeWithErr_KeptForReplay()
    {
        var workspace = Workspace("ws");
        var feed = WriteFramed("bad.mllp", ["MSH|^~\\&|RIS|HOSP|IV|QI|20160307141000||ORM^O01|BAD2|P|2.5\rPID|1||MRN9^^^HOSP^MR\rORC|NW||||||||||||\rOBR|1|||72195^MRI\r"]);

        await using (var listen = await ListenProcess.StartAsync(workspace))
        {
            var (_, acks) = await ListenProcess.SendAsync(listen.Port, feed);
            Assert.Contains("MSA|AE|BAD2|ORC-2: no placer order number (ORC-2, else OBR-2)", acks, StringComparison.Ordinal);
            Assert.Contains("ERR||ORC^1^2|101^Required field missing^HL70357|E", acks, StringComparison.Ordinal);
            await listen.StopAsync();
        }

        var errors = CliRunner.Run(_dir.Path, "hl7", "errors", "--workspace", workspace);
        var replay = CliRunner.Run(_dir.Path, "hl7", "replay", "--workspace", workspace, "--id", "BAD2");

        Assert.Contains("BAD2\tRIS|HOSP\tORM^O01", errors.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, replay.ExitCode);
        Assert.Contains("BAD2: still refused: ORC-2: no placer order number", replay.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, CliRunner.Run(_dir.Path, "hl7", "replay", "--workspace", workspace, "--id", "NOPE").ExitCode);
    }

    [Fact]
    public void Export_ThenImportIntoANewWorkspace_GivesAnIdenticalExport_FormulasIncluded()
    {
        Assert.Equal(0, CliRunner.Run(_dir.Path, "synth", "paper", "--out", _dir.File("paper")).ExitCode);
        var orders = File.ReadAllText(Path.Combine(_dir.File("paper"), "orders.csv"));
        var first = orders.IndexOf('\n', StringComparison.Ordinal) + 1;
        var line = orders[first..orders.IndexOf('\n', first)];
        var cells = line.Split(',');
        cells[7] = "=HYPERLINK(\"x\")";
        var withFormula = orders[..first] + string.Join(',', cells.Select((c, i) => i == 7 ? "\"=HYPERLINK(\"\"x\"\")\"" : c)) + orders[orders.IndexOf('\n', first)..];
        File.WriteAllText(Path.Combine(_dir.File("paper"), "orders.csv"), withFormula);

        var source = Workspace("source");
        var paper = _dir.File("paper");
        Assert.Equal(0, CliRunner.Run(_dir.Path, "import", "--workspace", source, "--orders", Path.Combine(paper, "orders.csv"), "--conditions", Path.Combine(paper, "conditions.csv"), "--reports", Path.Combine(paper, "reports.csv"), "--reviews", Path.Combine(paper, "reviews.csv")).ExitCode);
        var exported = Export(source, "first");
        var moved = Workspace("moved");
        var out1 = _dir.File("first");
        Assert.Equal(0, CliRunner.Run(_dir.Path, "import", "--workspace", moved, "--orders", Path.Combine(out1, "orders.csv"), "--conditions", Path.Combine(out1, "conditions.csv"), "--reports", Path.Combine(out1, "reports.csv"), "--reviews", Path.Combine(out1, "reviews.csv")).ExitCode);

        Assert.Equal(exported, Export(moved, "second"));
        Assert.Contains(",\"'=HYPERLINK(\"\"x\"\")\",", exported["orders.csv"], StringComparison.Ordinal);
        Assert.Contains("imaging_value_synthetic", exported["orders.csv"].Split('\n')[0], StringComparison.Ordinal);
        Assert.Equal(["conditions.csv", "orders.csv", "reports.csv", "reviews.csv"], exported.Keys.Order());
    }
}
