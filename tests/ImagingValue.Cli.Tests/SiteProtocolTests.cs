using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary>
/// A site's own protocol for another exam and indication (knee MRI for knee pain, TestData/knee-protocol), with its own
/// concept and modifier rule files, runs through the audit and the CDS service with no code change.
/// </summary>
public sealed class SiteProtocolTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "TestData", "knee-protocol");

    private static string ProtocolFile => Path.Combine(Fixture, "knee-mri-pain.yaml");

    [Fact]
    public void Audit_SiteKneeProtocol_ScreensWithItsOwnConceptAndModifierRules()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "audit", "--protocol", ProtocolFile, "--orders", Path.Combine(Fixture, "orders.csv"),
            "--period", "2024-01-01..2024-12-31", "--out", "out");
        Assert.True(run.ExitCode == 0, run.Stderr);

        var decisions = Csv.Read(dir.File("out/screening.csv")).ToDictionary(r => r["order_id"], r => (r["decision"], r["reason"]));
        Assert.Equal(("included", string.Empty), decisions["K1"]);
        Assert.Equal(("excluded", "mechanical_symptoms"), decisions["K2"]);
        // "locking cleared by ortho": negated only by the site's own modifier file.
        Assert.Equal(("included", string.Empty), decisions["K3"]);
        Assert.Equal(("excluded", "recent_injury"), decisions["K4"]);
        Assert.Equal(("excluded", "no_qualifying_indication"), decisions["K5"]);
        Assert.Equal(("not_target", string.Empty), decisions["S1"]);

        var summary = JsonNode.Parse(File.ReadAllText(dir.File("out/summary.json")))!;
        Assert.Equal("knee-mri-pain", summary["protocol"]!.GetValue<string>());
        Assert.Equal(2, summary["cohort"]!["included"]!.GetValue<int>());
        Assert.Equal(3600, summary["cost"]!["total_charges"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Serve_SiteKneeProtocol_ServedBesideTheBuiltInOnesAndWarns()
    {
        using var dir = new TempDirectory();
        await using var server = await ServeProcess.StartAsync(dir.Path, "--dev", "--protocol", ProtocolFile);

        var discovery = JsonNode.Parse(await server.Http.GetStringAsync(new Uri("/cds-services", UriKind.Relative)))!["services"]!.AsArray();
        var ids = discovery.Select(s => s!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("knee-mri-pain-select", ids);
        Assert.Contains("knee-mri-pain-sign", ids);
        Assert.Contains("sacrum-mri-lbp-select", ids);

        Assert.Equal("warning", (await CardsFor(server, "right knee pain for 3 months")).Single()!["indicator"]!.GetValue<string>());
        Assert.DoesNotContain(await CardsFor(server, "knee pain with locking episodes"), c => c!["indicator"]!.GetValue<string>() == "warning");
        Assert.Equal("warning", (await CardsFor(server, "knee pain; locking cleared by ortho")).Single()!["indicator"]!.GetValue<string>());
        await server.StopAsync();
    }

    [Fact]
    public void Serve_SiteProtocolWithABuiltInId_RefusedWithOneLine()
    {
        using var dir = new TempDirectory();
        var copy = dir.File("sacrum.yaml");
        File.WriteAllText(copy, File.ReadAllText(ProtocolFile).Replace("id: knee-mri-pain", "id: sacrum-mri-lbp", StringComparison.Ordinal));
        File.Copy(Path.Combine(Fixture, "knee_targets.json"), dir.File("knee_targets.json"));
        File.Copy(Path.Combine(Fixture, "knee_modifiers.json"), dir.File("knee_modifiers.json"));

        var run = CliRunner.Run(dir.Path, "serve", "--dev", "--protocol", copy, "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("a protocol with id 'sacrum-mri-lbp' is already served", run.Stderr, StringComparison.Ordinal);
    }

    private static async Task<JsonArray> CardsFor(ServeProcess server, string reason)
    {
        var request = """
            {"hook":"order-select","hookInstance":"HOOK","context":{"userId":"Practitioner/dr-1","patientId":"pat-1","selections":["ServiceRequest/sr-1"],
             "draftOrders":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"ServiceRequest","id":"sr-1","status":"draft","intent":"order",
              "subject":{"reference":"Patient/pat-1"},
              "code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"73721"}],"text":"MRI KNEE RT WO CONTRAST"},
              "reasonCode":[{"text":"REASON"}]}}]}},
             "prefetch":{"patient":{"resourceType":"Patient","id":"pat-1","gender":"female","birthDate":"1970-01-01"},"conditions":{"resourceType":"Bundle","type":"searchset"}}}
            """.Replace("HOOK", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("REASON", reason, StringComparison.Ordinal);
        using var call = await server.Http.PostAsync(new Uri("/cds-services/knee-mri-pain-select", UriKind.Relative), new StringContent(request, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        return JsonNode.Parse(await call.Content.ReadAsStringAsync())!["cards"]!.AsArray();
    }
}
