using System.Net;
using System.Text.Json.Nodes;
using ImagingValue.Cds.Services;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>
/// acceptance-checklist.md item 17. No PAMA IG example or captured sandbox request was available to copy, so TestData/golden holds
/// requests written to their published shapes (CPT 72195 with SNOMED reasons, the sandbox's repeated order-select with a
/// new hookInstance per edit, partial prefetch) and feedback as the sandbox sends it. Every response must pass
/// cds-resp-1..7 and every feedback body cds-fb-1..3 (<see cref="CdsRules"/>).
/// </summary>
public sealed class CdsGoldenFileTests
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";

    // acceptance-checklist.md item 17
    [Theory]
    [InlineData("pama-order-select-72195-snomed.json", "warning", PamaRating.NotAppropriate)]
    [InlineData("partial-prefetch-patient-absent.json", "warning", PamaRating.NotAppropriate)]
    [InlineData("../" + TestFiles.Sandbox, "warning", PamaRating.NotAppropriate)]
    [InlineData("../" + TestFiles.BreastCancerHistory, null, PamaRating.Appropriate)]
    [InlineData("../" + TestFiles.LumbarSelected, null, null)]
    public async Task B17_GoldenRequest_ExpectedAdviceAndResponsePassesCdsRespRules(string file, string? indicator, string? rating)
    {
        await using var host = await CdsTestHost.StartAsync(compat: true);

        var response = await host.PostOkAsync(Select, Golden(file));

        AssertAdvice(response, indicator, rating);
    }

    // acceptance-checklist.md item 17: the conditions prefetch is missing; the service fetches it from fhirServer with the token.
    [Fact]
    public async Task B17_GoldenPartialPrefetch_ConditionsFetchedAndResponsePassesCdsRespRules()
    {
        var request = JsonNode.Parse(Golden("partial-prefetch-conditions-absent.json"))!;
        var conditions = JsonNode.Parse(Golden("pama-order-select-72195-snomed.json"))!["prefetch"]!["conditions"]!.ToJsonString();
        var fhir = new FakeFhirServer(HttpStatusCode.OK, conditions);
        await using var host = await CdsTestHost.StartAsync(fhirServer: fhir);

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        AssertAdvice(response, "warning", PamaRating.NotAppropriate);
        var call = Assert.Single(fhir.Calls);
        Assert.StartsWith(request["fhirServer"]!.GetValue<string>() + "/Condition?patient=pt-20931", call.Url.ToString(), StringComparison.Ordinal);
        Assert.Equal("Bearer " + request["fhirAuthorization"]!["access_token"]!.GetValue<string>(), call.Authorization);
    }

    // acceptance-checklist.md item 17: the sandbox re-fires order-select with a new hookInstance on every edit of the order.
    [Fact]
    public async Task B17_GoldenSandboxSequence_EachEditAdvisedAfreshWithFreshIds()
    {
        await using var host = await CdsTestHost.StartAsync(compat: true);
        var calls = JsonNode.Parse(Golden("sandbox-order-select-sequence.json"))!.AsArray();
        Assert.Equal(3, calls.Select(c => c!["hookInstance"]!.GetValue<string>()).Distinct().Count());

        var responses = new List<JsonObject>();
        foreach (var call in calls)
        {
            responses.Add(await host.PostOkAsync(Select, call!.ToJsonString()));
        }

        // 1: no reason yet: ask for it, no rating. 2: SNOMED coccyx pain: warn. 3: a fall 5 days ago: no card, appropriate.
        AssertAdvice(responses[0], "info", null);
        AssertAdvice(responses[1], "warning", PamaRating.NotAppropriate);
        AssertAdvice(responses[2], null, PamaRating.Appropriate);
        var cardIds = responses.SelectMany(r => r["cards"]!.AsArray()).Select(c => c!["uuid"]!.GetValue<string>()).ToList();
        Assert.Equal(cardIds.Count, cardIds.Distinct().Count());
    }

    // acceptance-checklist.md item 17: feedback as the sandbox and EHRs send it, for a card the service gave.
    [Theory]
    [InlineData("feedback-overridden-sandbox.json")]
    [InlineData("feedback-accepted.json")]
    [InlineData("feedback-overridden-comment-only.json")]
    public async Task B17_GoldenFeedback_PassesCdsFbRulesAndIsStored(string file)
    {
        await using var host = await CdsTestHost.StartAsync();
        var card = (await host.PostOkAsync(Select, Golden("pama-order-select-72195-snomed.json")))["cards"]![0]!;
        var feedback = Golden(file)
            .Replace("SUGGESTION_UUID", card["suggestions"]![0]!["uuid"]!.GetValue<string>(), StringComparison.Ordinal)
            .Replace("CARD_UUID", card["uuid"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(CdsRules.Feedback(JsonNode.Parse(feedback)));

        var (status, _) = await host.PostAsync(Select + "/feedback", feedback);

        Assert.Equal(200, status);
        Assert.Equal(card["uuid"]!.GetValue<string>(), Assert.Single(await host.AlertLog.ListFeedbackAsync(CancellationToken.None)).CardUuid);
    }

    // The rules themselves: each catches what it is for, so a clean result above means something.
    [Theory]
    [InlineData("cds-resp-1", """{"cards":[{"uuid":"3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b","summary":"s","indicator":"info","source":{"label":"l"},"selectionBehavior":"at-most-one","suggestions":[{"label":"a","isRecommended":true},{"label":"b","isRecommended":true}]}]}""")]
    [InlineData("cds-resp-2", """{"cards":[],"systemActions":[{"type":"delete","description":"d"}]}""")]
    [InlineData("cds-resp-3", """{"cards":[{"uuid":"3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b","summary":"s","indicator":"info","source":{"label":"l"},"links":[{"label":"x","url":"https://x.example.org","type":"absolute","appContext":"c"}]}]}""")]
    [InlineData("cds-resp-4", """{"cards":[{"uuid":"3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b","summary":"s","indicator":"info","source":{"label":"l"},"overrideReasons":[{"system":"s","code":"c"}]}]}""")]
    [InlineData("cds-resp-5", """{"cards":[],"systemActions":[{"type":"update","resource":{"resourceType":"ServiceRequest","id":"x"}}]}""")]
    [InlineData("cds-resp-6", """{"cards":[{"uuid":"3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b","summary":"s","indicator":"info","source":{"label":"l"},"suggestions":[{"label":"a"}]}]}""")]
    [InlineData("cds-resp-7", """{"cards":[{"uuid":"3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b","summary":"s","indicator":"info","source":{"label":"l"},"selectionBehavior":"any","suggestions":[{"label":"a","actionSelectionBehavior":"all"}]}]}""")]
    [InlineData("summary-under-140", """{"cards":[{"uuid":"3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b","summary":"SUMMARY","indicator":"info","source":{"label":"l"}}]}""")]
    [InlineData("indicator-enum", """{"cards":[{"uuid":"3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b","summary":"s","indicator":"hard-stop","source":{"label":"l"}}]}""")]
    [InlineData("no-null-or-empty", """{"cards":[{"uuid":"3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b","summary":"s","indicator":"info","source":{"label":"l"},"detail":""}]}""")]
    [InlineData("cds-fb-1", """{"feedback":[{"card":"c","outcome":"ignored","outcomeTimestamp":"2026-11-23T15:00:00Z"}]}""")]
    [InlineData("cds-fb-2", """{"feedback":[{"card":"c","outcome":"accepted","outcomeTimestamp":"2026-11-23T15:00:00Z"}]}""")]
    [InlineData("cds-fb-3", """{"feedback":[{"card":"c","outcome":"overridden","overrideReason":{},"outcomeTimestamp":"2026-11-23T15:00:00Z"}]}""")]
    public void B17_Rules_CatchTheirViolation(string rule, string json)
    {
        var node = JsonNode.Parse(json.Replace("SUMMARY", new string('x', 140), StringComparison.Ordinal));

        var found = rule.StartsWith("cds-fb", StringComparison.Ordinal) ? CdsRules.Feedback(node) : CdsRules.Response(node);

        Assert.Contains(found, f => f.StartsWith(rule + ":", StringComparison.Ordinal));
    }

    private static void AssertAdvice(JsonObject response, string? indicator, string? rating)
    {
        Assert.Empty(CdsRules.Response(response));
        var cards = response["cards"]!.AsArray();
        if (indicator is null)
        {
            Assert.Empty(cards);
        }
        else
        {
            Assert.Equal(indicator, Assert.Single(cards)!["indicator"]!.GetValue<string>());
        }

        if (rating is null)
        {
            Assert.Null(response["systemActions"]);
        }
        else
        {
            Assert.Equal(rating, CdsChecklistTests.RatingOf(response));
        }
    }

    private static string Golden(string file) => TestFiles.Read(Path.Combine("golden", file));
}
