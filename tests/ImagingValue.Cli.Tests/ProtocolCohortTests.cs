using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary><c>synth protocol ID</c>: a synthetic cohort for any protocol from its examples, decided as they say; and its audit reaches that protocol's card.</summary>
public sealed class ProtocolCohortTests
{
    private const string Period = "2020-01-01..2024-12-31";

    [Theory]
    [InlineData("lumbar-imaging-lbp")]
    [InlineData("sacrum-mri-lbp")]
    public void SynthProtocol_ThenAudit_DecidesEveryOrderAsTheExampleItCameFromSays(string protocol)
    {
        using var dir = new TempDirectory();
        var synth = CliRunner.Run(dir.Path, "synth", "protocol", protocol, "--orders", "240", "--seed", "11", "--out", "data");
        Assert.True(synth.ExitCode == 0, synth.Stderr);

        var audit = CliRunner.Run(
            dir.Path, "audit", "--protocol", protocol, "--orders", "data/orders.csv", "--conditions", "data/conditions.csv",
            "--reports", "data/reports.csv", "--period", Period, "--out", "out");
        Assert.True(audit.ExitCode == 0, audit.Stderr);

        var truth = Csv.Read(dir.File("data/truth.csv"));
        var screened = Csv.Read(dir.File("out/screening.csv")).ToDictionary(r => r["order_id"]);
        Assert.Equal(240, truth.Count);
        Assert.Equal(240, screened.Count);
        var wrong = truth.Where(t => screened[t["order_id"]]["decision"] != t["decision"] || screened[t["order_id"]]["reason"] != t["reason"])
            .Select(t => $"{t["order_id"]} ({t["example"]}): expected {t["decision"]} {t["reason"]}, got {screened[t["order_id"]]["decision"]} {screened[t["order_id"]]["reason"]}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Contains(truth, t => t["decision"] == "included");
        Assert.Contains(truth, t => t["decision"] == "excluded");
        // Every example is in the cohort, and the orders spread over more than one year.
        Assert.Contains($"from {truth.Select(t => t["example"]).Distinct().Count()} examples of {protocol}", synth.Stdout, StringComparison.Ordinal);
        var orders = Csv.Read(dir.File("data/orders.csv"));
        Assert.All(orders, o => Assert.Equal("true", o["imaging_value_synthetic"]));
        Assert.True(orders.Select(o => o["ordered_at"][..4]).Distinct().Count() > 1);
        Assert.True(JsonNode.Parse(File.ReadAllText(dir.File("out/summary.json")))!["synthetic"]!.GetValue<bool>());
    }

    [Fact]
    public void SynthProtocol_SameSeed_SameFiles_OtherSeed_OtherOrders()
    {
        using var dir = new TempDirectory();
        foreach (var (seed, output) in new[] { ("5", "a"), ("5", "b"), ("6", "c") })
        {
            var run = CliRunner.Run(dir.Path, "synth", "protocol", "sacrum-mri-lbp", "--orders", "100", "--seed", seed, "--out", output);
            Assert.True(run.ExitCode == 0, run.Stderr);
        }

        foreach (var file in new[] { "orders.csv", "conditions.csv", "reports.csv", "truth.csv" })
        {
            Assert.Equal(File.ReadAllBytes(dir.File($"a/{file}")), File.ReadAllBytes(dir.File($"b/{file}")));
        }

        Assert.NotEqual(File.ReadAllText(dir.File("a/orders.csv")), File.ReadAllText(dir.File("c/orders.csv")));
    }

    [Fact]
    public void SynthProtocol_NoOrders_RefusedWithOneLine()
    {
        using var dir = new TempDirectory();

        var run = CliRunner.Run(dir.Path, "synth", "protocol", "lumbar-imaging-lbp", "--orders", "0", "--out", "data");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("--orders: 0 is not a number of orders (1 or more)", run.Stderr.Trim());
        Assert.False(Directory.Exists(dir.File("data")));
    }

    [Fact]
    public async Task Serve_LumbarCard_CitesOnlyTheLumbarAuditOfTheWorkspace()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "demo", "--out", "demo").ExitCode);
        var workspace = dir.File("demo/workspace");

        // The demo audited the sacrum only: the lumbar card cites no local audit, and never the sacrum's. (Each server is
        // ended by its disposal: graceful shutdown is ServeCommandTests' subject, not this test's.)
        await using (var server = await ServeProcess.StartAsync(dir.Path, "--workspace", workspace, "--dev"))
        {
            Assert.DoesNotContain("Local audit", await CardDetailAsync(server, "lumbar-imaging-lbp", "MRI LUMBAR SPINE WO CONTRAST", "72148"), StringComparison.Ordinal);
        }

        // A lumbar cohort with reviews of its included exams (3 with a major finding), analyzed with the lumbar protocol.
        Assert.Equal(0, CliRunner.Run(dir.Path, "synth", "protocol", "lumbar-imaging-lbp", "--orders", "200", "--out", "lumbar").ExitCode);
        var included = Csv.Read(dir.File("lumbar/truth.csv")).Where(t => t["decision"] == "included").Select(t => t["order_id"]).ToList();
        File.WriteAllLines(dir.File("lumbar/reviews.csv"), ["order_id,reviewer,major_finding,management_change", .. included.Select((id, i) => $"{id},Dr. Review,{(i < 3 ? "yes" : "no")},none")]);
        var import = CliRunner.Run(dir.Path, "import", "--workspace", workspace, "--orders", "lumbar/orders.csv", "--conditions", "lumbar/conditions.csv", "--reports", "lumbar/reports.csv", "--reviews", "lumbar/reviews.csv");
        Assert.True(import.ExitCode == 0, import.Stderr);
        var analyze = CliRunner.Run(dir.Path, "analyze", "--workspace", workspace, "--protocol", "lumbar-imaging-lbp", "--period", Period, "--out", "lumbar-out");
        Assert.True(analyze.ExitCode == 0, analyze.Stderr);

        await using (var server = await ServeProcess.StartAsync(dir.Path, "--workspace", workspace, "--dev"))
        {
            var lumbar = await CardDetailAsync(server, "lumbar-imaging-lbp", "MRI LUMBAR SPINE WO CONTRAST", "72148");
            Assert.Contains($"Local audit (2020-01-01 to 2024-12-31): 3 of {included.Count} reviewed exams showed a major finding", lumbar, StringComparison.Ordinal);
            Assert.Contains("Charge: $1,500 per exam.", lumbar, StringComparison.Ordinal);
            var sacrum = await CardDetailAsync(server, "sacrum-mri-lbp", "MRI SACRUM WO CONTRAST", "72195");
            Assert.Contains("Local audit (2013-07-01 to 2017-06-30): 2 of 98 reviewed exams", sacrum, StringComparison.Ordinal);
        }
    }

    /// <summary>The warning card's detail for a draft order of <paramref name="exam"/> for plain low back pain.</summary>
    private static async Task<string> CardDetailAsync(ServeProcess server, string protocol, string exam, string cpt)
    {
        var request = """
            {"hook":"order-select","hookInstance":"cohort-hook","context":{"userId":"Practitioner/dr-1","patientId":"pat-1","selections":["ServiceRequest/sr-1"],
             "draftOrders":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"ServiceRequest","id":"sr-1","status":"draft","intent":"order",
              "subject":{"reference":"Patient/pat-1"},"code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"CPT"}],"text":"EXAM"},
              "reasonCode":[{"text":"low back pain for 1 week, no trauma"}]}}]}},
             "prefetch":{"patient":{"resourceType":"Patient","id":"pat-1","gender":"female","birthDate":"1970-01-01"},"conditions":{"resourceType":"Bundle","type":"searchset"}}}
            """.Replace("CPT", cpt, StringComparison.Ordinal).Replace("EXAM", exam, StringComparison.Ordinal);
        using var call = await server.Http.PostAsync(new Uri($"/cds-services/{protocol}-select", UriKind.Relative), new StringContent(request, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var card = Assert.Single(JsonNode.Parse(await call.Content.ReadAsStringAsync())!["cards"]!.AsArray())!;
        Assert.Equal("warning", card["indicator"]!.GetValue<string>());
        return card["detail"]!.GetValue<string>();
    }
}
