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
        var uuid = await IssuedCardAsync(host);
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
        var card = await IssuedCardAsync(host);

        await host.PostAsync(Feedback, Overridden(card, "tumor", "2026-11-23T15:01:02Z").ToJsonString());
        await host.PostAsync(Feedback, Overridden(card, "other", "2026-11-23T15:05:00Z").ToJsonString());

        Assert.Equal(2, (await host.AlertLog.ListFeedbackAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Feedback_AcceptedWithSuggestion_Stored()
    {
        await using var host = await CdsTestHost.StartAsync();
        var card = await IssuedCardAsync(host);
        var body = $$"""{"feedback":[{"card":"{{card}}","outcome":"accepted","acceptedSuggestions":[{"id":"s-1"}],"outcomeTimestamp":"2026-11-23T15:02:00Z"}]}""";

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
    public async Task Feedback_CardNeverIssued_400NotFoundAndNothingStored()
    {
        await using var host = await CdsTestHost.StartAsync();
        var issued = await IssuedCardAsync(host);
        var body = new JsonObject
        {
            ["feedback"] = new JsonArray(
                Overridden(issued, "tumor", "2026-11-23T15:01:02Z")["feedback"]![0]!.DeepClone(),
                Overridden("3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "tumor", "2026-11-23T15:01:02Z")["feedback"]![0]!.DeepClone()),
        };

        var (status, outcome) = await host.PostAsync(Feedback, body.ToJsonString());

        Assert.Equal(400, status);
        Assert.Equal("OperationOutcome", outcome!["resourceType"]!.GetValue<string>());
        Assert.Equal("not-found", outcome["issue"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", outcome["issue"]![0]!["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await host.AlertLog.ListFeedbackAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Feedback_CardIssuedByAnotherService_400AndNothingStored()
    {
        await using var host = await CdsTestHost.StartAsync();
        var issuedBySelect = await IssuedCardAsync(host);

        var (status, _) = await host.PostAsync("/cds-services/sacrum-mri-lbp-sign/feedback", Overridden(issuedBySelect, "tumor", "2026-11-23T15:01:02Z").ToJsonString());

        Assert.Equal(400, status);
        Assert.Empty(await host.AlertLog.ListFeedbackAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Feedback_UnknownService_Returns404()
    {
        await using var host = await CdsTestHost.StartAsync();

        var (status, _) = await host.PostAsync("/cds-services/nope/feedback", Overridden("c-4", "tumor", "2026-11-23T15:01:02Z").ToJsonString());

        Assert.Equal(404, status);
    }

    /// <summary>The uuid of a card the select service has just given.</summary>
    private static async Task<string> IssuedCardAsync(CdsTestHost host) =>
        (await host.PostOkAsync("/cds-services/sacrum-mri-lbp-select", TestFiles.Read(TestFiles.CardCase)))["cards"]![0]!["uuid"]!.GetValue<string>();

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
