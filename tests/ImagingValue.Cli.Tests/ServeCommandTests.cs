using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary>The point-of-order loop end to end: the demo's audit feeds the card, the service's alerts feed the monitor.</summary>
public sealed class ServeCommandTests
{
    private const string Request = """
        {"hook":"order-select","hookInstance":"e2e-hook-1","context":{"userId":"Practitioner/dr-1","patientId":"pat-1","selections":["ServiceRequest/sr-1"],
         "draftOrders":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"ServiceRequest","id":"sr-1","status":"draft","intent":"order",
          "subject":{"reference":"Patient/pat-1"},"requester":{"reference":"Practitioner/dr-1","display":"Dr. Nobody"},
          "code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"72195"}],"text":"MRI SACRUM WO CONTRAST"},
          "reasonCode":[{"text":"chronic tailbone pain, no trauma"}]}}]}},
         "prefetch":{"patient":{"resourceType":"Patient","id":"pat-1","gender":"female","birthDate":"1970-01-01"},"conditions":{"resourceType":"Bundle","type":"searchset"}}}
        """;

    [Fact]
    public async Task Serve_OnTheDemoWorkspace_CardCitesTheAuditAndMonitorCountsTheOverride()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "demo", "--out", "demo").ExitCode);
        var workspace = dir.File("demo/workspace");

        string cardUuid;
        await using (var server = await ServeProcess.StartAsync(dir.Path, "--workspace", workspace, "--dev"))
        {
            var http = server.Http;
            using var call = await http.PostAsync(new Uri("/cds-services/sacrum-mri-lbp-select", UriKind.Relative), new StringContent(Request, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
            var card = JsonNode.Parse(await call.Content.ReadAsStringAsync())!["cards"]![0]!;
            Assert.Contains("Local audit (2013-07-01 to 2017-06-30): 2 of 98 reviewed exams showed a major finding that explains the pain (2.0%, 95% CI 0.6%–7.1%); none led to a major change in management (12 to a minor change). Charge: $4,900 per exam.",
                card["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            cardUuid = card["uuid"]!.GetValue<string>();

            var feedback = """
                {"feedback":[{"card":"CARD","outcome":"overridden","outcomeTimestamp":"2026-11-27T13:00:00Z",
                  "overrideReason":{"reason":{"system":"urn:imaging-value:cds:override-reason","code":"tumor","display":"Known or suspected tumor"}}}]}
                """.Replace("CARD", cardUuid, StringComparison.Ordinal);
            for (var i = 0; i < 2; i++)
            {
                using var sent = await http.PostAsync(new Uri("/cds-services/sacrum-mri-lbp-select/feedback", UriKind.Relative), new StringContent(feedback, Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            }

            await server.StopAsync();
        }

        var monitor = CliRunner.Run(dir.Path, "monitor", "--workspace", workspace, "--json", "monitor.json");
        Assert.Equal(0, monitor.ExitCode);
        Assert.Contains("point of order: 1 order rated, 1 warned, 0 accepted, 1 overridden, 0 without feedback (override reasons: tumor 1)", monitor.Stdout, StringComparison.Ordinal);
        var pointOfOrder = JsonNode.Parse(File.ReadAllText(dir.File("monitor.json")))!["point_of_order"]!;
        Assert.Equal(1, pointOfOrder["overridden"]!.GetValue<int>());
        Assert.Equal("unknown", pointOfOrder["by_month_and_department"]![0]!["department"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("5")]
    [InlineData("600000")]
    public void Serve_DeadlineOutOfRange_RefusedWithOneLineNamingTheOption(string milliseconds)
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "serve", "--dev", "--deadline-ms", milliseconds, "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("imaging-value: --deadline-ms: must be between 10 ms and 1 minute", run.Stderr.Trim());
    }

    [Fact]
    public void Serve_PortInUse_OneLineSayingWhichAndWhatToDo_NoStackTrace()
    {
        using var dir = new TempDirectory();
        using var holder = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";

        var run = CliRunner.Run(dir.Path, "serve", "--dev", "--urls", url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"imaging-value: serve: cannot listen on {url}: the port is in use by another program; stop it, or choose another port with --urls", run.Stderr.Trim());
        Assert.DoesNotContain(" at ", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stdout, StringComparison.Ordinal);
    }
}
