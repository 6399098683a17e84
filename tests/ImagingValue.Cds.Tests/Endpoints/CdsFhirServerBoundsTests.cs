using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ImagingValue.Cds.Fhir;
using ImagingValue.Cds.Tests.Support;
using ImagingValue.Web;
using ImagingValue.Web.Cds;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>
/// Issue 14: the fhirServer fetch trusts nothing the request says. Only allowed servers are called, a redirect is not
/// followed, an endless answer costs a bounded amount of memory, and the answer does not tell a closed port from a 404.
/// Not run beside other tests: the memory test reads the process's allocation counter.
/// </summary>
[Collection(nameof(ProcessMemoryCollection))]
public sealed class CdsFhirServerBoundsTests(ITestOutputHelper output)
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private const string SelectUrl = "http://localhost" + Select;

    [Fact]
    public async Task Post_SignedCallNamingAServerNotAllowed_412AndNoNetworkCall()
    {
        using var issuer = new TestIssuer();
        var fhir = new FakeFhirServer(HttpStatusCode.OK, """{"resourceType":"Bundle","type":"searchset","total":0}""");
        await using var host = await CdsTestHost.StartAsync(dev: false, issuers: [issuer.Trusted()], fhirServer: fhir, fhirServers: ["https://fhir.hospital.example/r4"]);

        var (status, body) = await host.PostAsync(Select, WithoutConditions("https://attacker.example/fhir").ToJsonString(), issuer.Es384(SelectUrl));
        var (plain, _) = await host.PostAsync(Select, WithoutConditions("http://fhir.hospital.example/r4").ToJsonString(), issuer.Es384(SelectUrl));

        Assert.Equal(412, status);
        Assert.Equal("OperationOutcome", body!["resourceType"]!.GetValue<string>());
        Assert.Equal(412, plain);
        Assert.Empty(fhir.Calls);
    }

    [Theory]
    [InlineData("https://fhir.hospital.example/r4")] // configured
    [InlineData(TestIssuer.Iss + "/fhir")] // the verified issuer's own origin
    public async Task Post_SignedCallNamingAnAllowedServer_Fetched(string fhirServer)
    {
        using var issuer = new TestIssuer();
        var fhir = new FakeFhirServer(HttpStatusCode.OK, """{"resourceType":"Bundle","type":"searchset","total":0}""");
        await using var host = await CdsTestHost.StartAsync(dev: false, issuers: [issuer.Trusted()], fhirServer: fhir, fhirServers: ["https://fhir.hospital.example/r4"]);

        var (status, body) = await host.PostAsync(Select, WithoutConditions(fhirServer).ToJsonString(), issuer.Es384(SelectUrl));

        Assert.Equal(200, status);
        Assert.Single(body!["cards"]!.AsArray());
        Assert.StartsWith(fhirServer + "/Condition?patient=", Assert.Single(fhir.Calls).Url.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_NotFoundRefusedOrClosedPort_AnswerAlike()
    {
        var answers = new List<string>();
        foreach (var server in new HttpMessageHandler[] { new FakeFhirServer(HttpStatusCode.NotFound), new FakeFhirServer(HttpStatusCode.Forbidden), new ClosedPort() })
        {
            await using var host = await CdsTestHost.StartAsync(fhirServer: server);
            var (status, body) = await host.PostAsync(Select, WithoutConditions("https://fhir.example.org/r4").ToJsonString());
            answers.Add($"{status} {body?.ToJsonString()}");
        }

        Assert.Equal("""200 {"cards":[]}""", answers[0]);
        Assert.All(answers, a => Assert.Equal(answers[0], a));
    }

    [Fact]
    public async Task Post_FhirServerRedirectsToAnotherServer_NotFollowed()
    {
        await using var elsewhere = await LoopbackServer.StartAsync((_, _) => Task.FromResult("""{"resourceType":"Bundle","type":"searchset","total":0}"""u8.ToArray()));
        await using var redirecting = await LoopbackServer.StartAsync(redirectTo: elsewhere.BaseUrl + "/Condition?patient=pat-1001");
        await using var app = await StartKestrelAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var (status, body) = await PostAsync(client, WithoutConditions(redirecting.BaseUrl));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"cards":[]}""", body);
        Assert.Equal(1, redirecting.Requests);
        Assert.Equal(0, elsewhere.Requests);
    }

    [Fact]
    public async Task Post_FhirServerAnswersAnEndlessStream_StopsAtThePageLimitWithBoundedMemory()
    {
        await using var endless = await LoopbackServer.StartAsync(endless: true);
        var logs = new CollectingLoggerProvider();
        await using var app = await StartKestrelAsync(logs, TimeSpan.FromSeconds(20));
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        await PostAsync(client, JsonNode.Parse(TestFiles.Read(TestFiles.CardCase))!.AsObject()); // warm-up: JIT is not the fetch's cost

        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (status, body) = await PostAsync(client, WithoutConditions(endless.BaseUrl));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"allocated {allocated / 1024 / 1024.0:F1} MB during the call");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"cards":[]}""", body);
        Assert.Contains(logs.Messages, m => m.Contains($"more than {FhirConditionFetcher.MaxPageBytes} bytes", StringComparison.Ordinal)); // not the deadline
        Assert.True(allocated < 10 * 1024 * 1024, $"the call allocated {allocated / 1024 / 1024.0:F1} MB");
    }

    private static JsonObject WithoutConditions(string fhirServer)
    {
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        request["fhirServer"] = fhirServer;
        request["fhirAuthorization"] = new JsonObject { ["access_token"] = "tok-14", ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "patient/Condition.read", ["subject"] = "cds" };
        request["prefetch"]!.AsObject().Remove("conditions");
        return request;
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, JsonObject request)
    {
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(Select, UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Task<WebApplication> StartKestrelAsync(ILoggerProvider? logs = null, TimeSpan? deadline = null) =>
        KestrelHost.StartAsync(new ServeSettings { Urls = "http://127.0.0.1:0", Cds = new CdsSettings { Dev = true, Deadline = deadline ?? TimeSpan.FromSeconds(5) } }, logs);

    /// <summary>A connection that is refused, as a closed port refuses it.</summary>
    private sealed class ClosedPort : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused (fhir.example.org:443)", new SocketException((int)SocketError.ConnectionRefused));
    }
}

/// <summary>Tests that read process-wide counters run alone.</summary>
[CollectionDefinition(nameof(ProcessMemoryCollection), DisableParallelization = true)]
public sealed class ProcessMemoryCollection;
