using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ImagingValue.Cds.Services;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

public sealed class CdsFhirServerFetchTests
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private const string FhirBase = "https://fhir.example.org/r4";
    private const string Token = "secret-access-token-123";

    [Fact]
    public async Task Post_ConditionsNotPrefetched_FetchesThemWithTheHookToken()
    {
        var cancerBundle = TestFiles.ReadJson(TestFiles.BreastCancerHistory)["prefetch"]!["conditions"]!.ToJsonString();
        var fhir = new FakeFhirServer(HttpStatusCode.OK, cancerBundle);
        await using var host = await CdsTestHost.StartAsync(fhirServer: fhir);

        var response = await host.PostOkAsync(Select, WithoutConditions().ToJsonString());

        Assert.Empty(response["cards"]!.AsArray());
        Assert.Contains(PamaRating.Appropriate, response["systemActions"]!.ToJsonString(), StringComparison.Ordinal);
        var call = Assert.Single(fhir.Calls);
        Assert.Equal(FhirBase + "/Condition?patient=pat-1001&_count=100", call.Url.ToString());
        Assert.Equal("Bearer " + Token, call.Authorization);
    }

    [Fact]
    public async Task Post_ConditionsFetchedEmpty_Warns()
    {
        var fhir = new FakeFhirServer(HttpStatusCode.OK, """{"resourceType":"Bundle","type":"searchset","total":0}""");
        await using var host = await CdsTestHost.StartAsync(fhirServer: fhir);

        var response = await host.PostOkAsync(Select, WithoutConditions().ToJsonString());

        Assert.Single(response["cards"]!.AsArray());
    }

    [Fact]
    public async Task Post_FhirServerStalls_NoCardsWithinTheBudget()
    {
        var fhir = new FakeFhirServer(HttpStatusCode.OK, "{}", stall: TimeSpan.FromSeconds(5));
        await using var host = await CdsTestHost.StartAsync(fhirServer: fhir, deadline: TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        var response = await host.PostOkAsync(Select, WithoutConditions().ToJsonString());

        Assert.Empty(response["cards"]!.AsArray());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Post_CompletePrefetch_NeverCallsTheFhirServer()
    {
        var fhir = new FakeFhirServer(HttpStatusCode.OK, """{"resourceType":"Bundle"}""");
        await using var host = await CdsTestHost.StartAsync(fhirServer: fhir);
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        request["fhirServer"] = FhirBase;

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Single(response["cards"]!.AsArray());
        Assert.Empty(fhir.Calls);
    }

    [Fact]
    public async Task Post_WithFhirAuthorization_TokenNeverLogged()
    {
        var logs = new CollectingLoggerProvider();
        var fhir = new FakeFhirServer(HttpStatusCode.InternalServerError, Token);
        await using var host = await CdsTestHost.StartAsync(fhirServer: fhir, logs: logs);

        await host.PostOkAsync(Select, WithoutConditions().ToJsonString());
        await host.PostOkAsync(Select, TestFiles.Read(TestFiles.CardCase).Replace("\"hook\":", $"\"fhirServer\": \"{FhirBase}\", \"fhirAuthorization\": {{\"access_token\": \"{Token}\", \"token_type\": \"Bearer\"}}, \"hook\":", StringComparison.Ordinal));

        Assert.NotEmpty(logs.Messages);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(Token, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("chronic low back pain", StringComparison.OrdinalIgnoreCase));
    }

    private static JsonObject WithoutConditions()
    {
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        request["fhirServer"] = FhirBase;
        request["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = Token,
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["scope"] = "patient/Condition.read",
            ["subject"] = "cds-service",
        };
        request["prefetch"]!.AsObject().Remove("conditions");
        return request;
    }
}
