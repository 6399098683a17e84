using System.Text;
using System.Text.Json.Nodes;
using ImagingValue.Cds.Services;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>
/// The answer is bounded: at most <see cref="OrderAppropriatenessService.MaxCards"/> cards, and never more bytes than
/// <c>CdsSettings.MaxResponseBytes</c> (docs/cds-service.md, "Limits").
/// </summary>
public sealed class CdsResponseBoundsTests
{
    private const string Sign = "/cds-services/sacrum-mri-lbp-sign";

    [Fact]
    public async Task Sign_ThirtyTargetDrafts_TenCardsAndEveryOrderRated()
    {
        await using var host = await CdsTestHost.StartAsync();

        var answer = await host.PostOkAsync(Sign, SignCall(30, noteBytes: 0));

        Assert.Equal(OrderAppropriatenessService.MaxCards, answer["cards"]!.AsArray().Count);
        Assert.Equal(30, answer["systemActions"]!.AsArray().Count);
        var alerts = await host.AlertsAsync();
        Assert.Equal(30, alerts.Count);
        // Only the cards answered are recorded as shown, so only they can get feedback.
        var shown = answer["cards"]!.AsArray().Select(c => c!["uuid"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(shown, alerts.Where(a => a.CardUuid is not null).Select(a => a.CardUuid!).ToHashSet());
    }

    [Fact]
    public async Task Sign_LargestRequestWithEveryEcho_AnswerWithinTheDefaultLimit()
    {
        await using var host = await CdsTestHost.StartAsync(compat: true);
        var body = SignCall(100, noteBytes: 9 * 1024);
        Assert.InRange(Encoding.UTF8.GetByteCount(body), 900 * 1024, 1024 * 1024);

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await host.Client.PostAsync(new Uri(Sign, UriKind.Relative), content);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.InRange(bytes.Length, 1, 4 * 1024 * 1024);
        Assert.Equal(OrderAppropriatenessService.MaxCards, JsonNode.Parse(bytes)!["cards"]!.AsArray().Count);
    }

    [Fact]
    public async Task Call_AnswerOverTheLimit_NoCardsNothingRecordedLogged()
    {
        var logs = new CollectingLoggerProvider();
        await using var host = await CdsTestHost.StartAsync(logs: logs, maxResponse: 2048);

        var answer = await host.PostOkAsync(Sign, SignCall(5, noteBytes: 1024));

        Assert.Empty(answer["cards"]!.AsArray());
        Assert.Null(answer["systemActions"]);
        Assert.Empty(await host.AlertsAsync());
        Assert.Contains(logs.Messages, m => m.Contains("over the 2048-byte limit", StringComparison.Ordinal));
    }

    /// <summary>An order-sign call of <paramref name="drafts"/> sacrum MRIs for low back pain, each with a note of <paramref name="noteBytes"/> characters.</summary>
    private static string SignCall(int drafts, int noteBytes)
    {
        var call = TestFiles.ReadJson(TestFiles.CardCase);
        call["hook"] = "order-sign";
        var context = call["context"]!.AsObject();
        context.Remove("selections");
        var template = context["draftOrders"]!["entry"]![0]!;
        var entries = new JsonArray();
        for (var i = 0; i < drafts; i++)
        {
            var entry = template.DeepClone();
            entry["resource"]!["id"] = $"sr-{i}";
            if (noteBytes > 0)
            {
                entry["resource"]!["note"] = new JsonArray(new JsonObject { ["text"] = new string('n', noteBytes) });
            }

            entries.Add(entry);
        }

        context["draftOrders"]!["entry"] = entries;
        return call.ToJsonString();
    }
}
