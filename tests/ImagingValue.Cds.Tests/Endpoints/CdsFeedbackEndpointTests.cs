using System.Text.Json.Nodes;
using ImagingValue.Cds.Services;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

public sealed class CdsFeedbackEndpointTests
{
    private const string Feedback = "/cds-services/sacrum-mri-lbp-select/feedback";

    [Fact]
    public async Task Feedback_OverriddenPostedTwice_StoredOnce()
    {
        await using var host = await CdsTestHost.StartAsync();
        var card = (await host.PostOkAsync("/cds-services/sacrum-mri-lbp-select", TestFiles.Read(TestFiles.CardCase)))["cards"]![0]!;
        var uuid = card["uuid"]!.GetValue<string>();
        var body = Overridden(uuid, "tumor", "2026-11-23T15:01:02Z").ToJsonString();

        var (first, _) = await host.PostAsync(Feedback, body);
        var (second, _) = await host.PostAsync(Feedback, body);

        Assert.Equal(200, first);
        Assert.Equal(200, second);
        var stored = Assert.Single(await host.AlertLog.ListFeedbackAsync(CancellationToken.None));
        Assert.Equal(uuid, stored.CardUuid);
        Assert.Equal("overridden", stored.Outcome);
        Assert.Equal("tumor", stored.OverrideReasonCode);
        Assert.Equal(CardBuilder.OverrideReasonSystem, stored.OverrideReasonSystem);
        Assert.Equal("sacrum-mri-lbp-select", stored.ServiceId);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 15, 1, 2, TimeSpan.Zero), stored.OutcomeTimestamp);
    }

    [Fact]
    public async Task Feedback_SameCardLaterOutcome_StoredAgain()
    {
        await using var host = await CdsTestHost.StartAsync();

        await host.PostAsync(Feedback, Overridden("c-1", "tumor", "2026-11-23T15:01:02Z").ToJsonString());
        await host.PostAsync(Feedback, Overridden("c-1", "other", "2026-11-23T15:05:00Z").ToJsonString());

        Assert.Equal(2, (await host.AlertLog.ListFeedbackAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Feedback_AcceptedWithSuggestion_Stored()
    {
        await using var host = await CdsTestHost.StartAsync();
        var body = """{"feedback":[{"card":"c-2","outcome":"accepted","acceptedSuggestions":[{"id":"s-1"}],"outcomeTimestamp":"2026-11-23T15:02:00Z"}]}""";

        var (status, _) = await host.PostAsync(Feedback, body);

        Assert.Equal(200, status);
        Assert.Equal(["s-1"], Assert.Single(await host.AlertLog.ListFeedbackAsync(CancellationToken.None)).AcceptedSuggestions);
    }

    [Theory]
    [InlineData("""{"feedback":[{"card":"c-3","outcome":"accepted","outcomeTimestamp":"2026-11-23T15:02:00Z"}]}""")]
    [InlineData("""{"feedback":[{"card":"c-3","outcome":"ignored","outcomeTimestamp":"2026-11-23T15:02:00Z"}]}""")]
    [InlineData("""{"feedback":[{"outcome":"overridden","outcomeTimestamp":"2026-11-23T15:02:00Z"}]}""")]
    [InlineData("""{"feedback":[{"card":"c-3","outcome":"overridden"}]}""")]
    [InlineData("""{"feedback":[]}""")]
    [InlineData("""{"feedback": """)]
    public async Task Feedback_Invalid_Returns400AndStoresNothing(string body)
    {
        await using var host = await CdsTestHost.StartAsync();

        var (status, outcome) = await host.PostAsync(Feedback, body);

        Assert.Equal(400, status);
        Assert.Equal("OperationOutcome", outcome!["resourceType"]!.GetValue<string>());
        Assert.Empty(await host.AlertLog.ListFeedbackAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Feedback_UnknownService_Returns404()
    {
        await using var host = await CdsTestHost.StartAsync();

        var (status, _) = await host.PostAsync("/cds-services/nope/feedback", Overridden("c-4", "tumor", "2026-11-23T15:01:02Z").ToJsonString());

        Assert.Equal(404, status);
    }

    private static JsonObject Overridden(string card, string reason, string at) => new()
    {
        ["feedback"] = new JsonArray(new JsonObject
        {
            ["card"] = card,
            ["outcome"] = "overridden",
            ["overrideReason"] = new JsonObject
            {
                ["reason"] = new JsonObject { ["system"] = CardBuilder.OverrideReasonSystem, ["code"] = reason },
            },
            ["outcomeTimestamp"] = at,
        }),
    };
}
