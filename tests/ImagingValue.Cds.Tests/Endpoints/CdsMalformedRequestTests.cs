using System.Text.Json.Nodes;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>
/// Hostile or careless clients: every malformed shape and every oversized identifier or list is answered 400 with an
/// OperationOutcome (never 500), and nothing is stored for it.
/// </summary>
public sealed class CdsMalformedRequestTests
{
    private const string Service = "/cds-services/sacrum-mri-lbp-select";

    private static JsonObject Card() => (JsonObject)JsonNode.Parse(TestFiles.Read(TestFiles.CardCase))!;

    public static TheoryData<string, string> MalformedCalls() => new()
    {
        { "draft entry is a number", With(c => c["context"]!["draftOrders"]!["entry"] = new JsonArray(42)) },
        { "draft entry is an array", With(c => c["context"]!["draftOrders"]!["entry"] = new JsonArray(new JsonArray(1, 2))) },
        { "draft entries is an object", With(c => c["context"]!["draftOrders"]!["entry"] = new JsonObject { ["x"] = 1 }) },
        { "condition entry is a number", With(c => c["prefetch"]!["conditions"] = JsonNode.Parse("""{"resourceType":"Bundle","type":"searchset","entry":[7]}""")) },
        { "condition entry is an array", With(c => c["prefetch"]!["conditions"] = JsonNode.Parse("""{"resourceType":"Bundle","type":"searchset","entry":[[{"resource":{}}]]}""")) },
        { "service request id is an array", With(c => c["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["id"] = new JsonArray(1, 2)) },
        { "hookInstance of 480 KB", With(c => c["hookInstance"] = new string('a', 480 * 1024)) },
        { "hookInstance with a line break", With(c => c["hookInstance"] = "d1577c69\r\nforged log line") },
        { "hookInstance with an ANSI escape", With(c => c["hookInstance"] = "d1577c69\u001b[31m") },
        { "patientId of 10 KB", With(c => c["context"]!["patientId"] = new string('p', 10 * 1024)) },
        { "a thousand draft orders", With(c => c["context"]!["draftOrders"]!["entry"] = new JsonArray([.. Enumerable.Range(0, 1000).Select(i => Draft(i))])) },
        { "duplicate keys", TestFiles.Read(TestFiles.CardCase).Replace("\"hook\": \"order-select\",", "\"hook\": \"order-select\", \"hook\": \"order-select\",", StringComparison.Ordinal) },
        { "a lone surrogate escape", TestFiles.Read(TestFiles.CardCase).Replace("\"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea\"", "\"\\ud800\"", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(MalformedCalls))]
    public async Task Service_MalformedCall_400WithOperationOutcome(string what, string body)
    {
        await using var host = await CdsTestHost.StartAsync();
        var (status, json) = await host.PostAsync(Service, body);

        Assert.True(status == 400, $"{what}: {status}");
        Assert.Equal("OperationOutcome", json?["resourceType"]?.GetValue<string>());
        Assert.Empty(await host.AlertsAsync());
    }

    [Theory]
    [InlineData("""{"feedback":[null]}""")]
    [InlineData("""{"feedback":[{"card":"c-1","outcome":"accepted","outcomeTimestamp":"2026-11-23T15:01:02Z","acceptedSuggestions":[null]}]}""")]
    [InlineData("""{"feedback":[{"card":["c-1"],"outcome":"accepted","outcomeTimestamp":"2026-11-23T15:01:02Z"}]}""")]
    [InlineData("""{"feedback":[{"card":"c-1\r\nforged","outcome":"accepted","outcomeTimestamp":"2026-11-23T15:01:02Z"}]}""")]
    [InlineData("""{"feedback":[{"card":"c-1","outcome":"accepted","outcomeTimestamp":"2026-11-23T15:01:02Z"}], "feedback":[]}""")]
    public async Task Feedback_MalformedItem_400WithOperationOutcome(string body)
    {
        await using var host = await CdsTestHost.StartAsync();
        var (status, json) = await host.PostAsync(Service + "/feedback", body);

        Assert.Equal(400, status);
        Assert.Equal("OperationOutcome", json?["resourceType"]?.GetValue<string>());
        Assert.Empty(await host.AlertLog.ListFeedbackAsync(CancellationToken.None));
    }

    private static JsonObject Draft(int i) => new()
    {
        ["resource"] = new JsonObject { ["resourceType"] = "ServiceRequest", ["id"] = $"sr-{i}", ["status"] = "draft", ["intent"] = "order", ["code"] = new JsonObject { ["text"] = "MRI SACRUM" } },
    };

    private static string With(Action<JsonObject> change)
    {
        var card = Card();
        change(card);
        return card.ToJsonString();
    }
}
