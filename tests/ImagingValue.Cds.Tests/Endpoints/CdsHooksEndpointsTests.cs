using System.Text.Json.Nodes;
using ImagingValue.Cds.Services;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

public sealed class CdsHooksEndpointsTests
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private const string Sign = "/cds-services/sacrum-mri-lbp-sign";

    [Fact]
    public async Task Discovery_BuiltInProtocol_ListsSelectAndSignServicesWithPrefetch()
    {
        await using var host = await CdsTestHost.StartAsync(dev: false);

        var discovery = await host.GetJsonAsync("/cds-services");

        var services = discovery["services"]!.AsArray().Select(s => s!.AsObject()).ToList();
        // Every built-in protocol offers a select and a sign service.
        Assert.Equal(["head-imaging-headache-select", "head-imaging-headache-sign", "lumbar-imaging-lbp-select", "lumbar-imaging-lbp-sign", "sacrum-mri-lbp-select", "sacrum-mri-lbp-sign"],
            services.Select(s => s["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var select = Assert.Single(services, s => s["id"]!.GetValue<string>() == "sacrum-mri-lbp-select");
        var sign = Assert.Single(services, s => s["id"]!.GetValue<string>() == "sacrum-mri-lbp-sign");
        Assert.Equal("order-select", select["hook"]!.GetValue<string>());
        Assert.Equal("order-sign", sign["hook"]!.GetValue<string>());
        foreach (var service in services)
        {
            Assert.False(string.IsNullOrWhiteSpace(service["title"]?.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(service["description"]?.GetValue<string>()));
            Assert.Equal("Patient/{{context.patientId}}", service["prefetch"]!["patient"]!.GetValue<string>());
            Assert.Equal("Condition?patient={{context.patientId}}", service["prefetch"]!["conditions"]!.GetValue<string>());
        }

        Assert.Empty(JsonRules.NullOrEmpty(discovery));
    }

    [Fact]
    public async Task OrderSelect_ChronicLowBackPainNoRedFlag_ReturnsOneWarningCard()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.CardCase));

        Assert.Empty(JsonRules.NullOrEmpty(response));
        var card = Assert.Single(response["cards"]!.AsArray())!.AsObject();
        Assert.Equal("warning", card["indicator"]!.GetValue<string>());
        var summary = card["summary"]!.GetValue<string>();
        Assert.True(summary.Length < 140, $"summary has {summary.Length} characters");
        Assert.Contains("sacrum", summary, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(CardBuilder.SourceLabel, card["source"]!["label"]!.GetValue<string>());
        Assert.True(Guid.TryParse(card["uuid"]!.GetValue<string>(), out _));
        var detail = card["detail"]!.GetValue<string>();
        Assert.Contains("ACR Appropriateness Criteria", detail, StringComparison.Ordinal);
        Assert.Contains("**What to do instead:**", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Local audit", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("coded in neither", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderSelect_CardCase_SuggestsCancelRadiographsAndPhysicalTherapy()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.CardCase));

        var card = response["cards"]![0]!.AsObject();
        Assert.Equal("at-most-one", card["selectionBehavior"]!.GetValue<string>());
        var suggestions = card["suggestions"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal(3, suggestions.Count);
        var actions = suggestions.SelectMany(s => s["actions"]!.AsArray()).Select(a => a!.AsObject()).ToList();
        Assert.All(actions, a => Assert.False(string.IsNullOrWhiteSpace(a["description"]?.GetValue<string>())));
        Assert.All(actions.Where(a => a["type"]!.GetValue<string>() == "delete"),
            a => Assert.Equal("ServiceRequest/sr-sacrum", Assert.Single(a["resourceId"]!.AsArray())!.GetValue<string>()));
        Assert.Single(suggestions[0]["actions"]!.AsArray(), a => a!["type"]!.GetValue<string>() == "delete");
        var xray = Assert.Single(suggestions[1]["actions"]!.AsArray(), a => a!["type"]!.GetValue<string>() == "create")!["resource"]!;
        Assert.Equal("72220", xray["code"]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("draft", xray["status"]!.GetValue<string>());
        Assert.Equal("Patient/pat-1001", xray["subject"]!["reference"]!.GetValue<string>());
        var therapy = Assert.Single(suggestions[2]["actions"]!.AsArray(), a => a!["type"]!.GetValue<string>() == "create")!["resource"]!;
        Assert.Equal("91251008", therapy["code"]!["coding"]![0]!["code"]!.GetValue<string>());
        var ids = suggestions.Select(s => s["uuid"]!.GetValue<string>()).Append(card["uuid"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task OrderSelect_CardCase_OverrideReasonsAreTheRedFlagsAndOther()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.CardCase));

        var reasons = response["cards"]![0]!["overrideReasons"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(["tumor", "infection", "inflammatory_arthritis", "recent_trauma", "occult_fracture", "cauda_equina", "progressive_neuro_deficit", "weight_loss", "osteoporotic_collapse", "other"],
            reasons.Select(r => r["code"]!.GetValue<string>()));
        Assert.All(reasons, r =>
        {
            Assert.Equal(CardBuilder.OverrideReasonSystem, r["system"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(r["display"]?.GetValue<string>()));
        });
        Assert.Equal("Known or suspected tumor", reasons[0]["display"]!.GetValue<string>());
    }

    [Fact]
    public async Task OrderSelect_CardCase_RatesNotAppropriateChangingOnlyExtensions()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.CardCase);

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Null(response["extension"]);
        var action = Assert.Single(response["systemActions"]!.AsArray())!.AsObject();
        Assert.Equal("update", action["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(action["description"]?.GetValue<string>()));
        var rated = action["resource"]!.AsObject();
        var extensions = rated["extension"]!.AsArray();
        Assert.Equal(2, extensions.Count);
        Assert.Equal(PamaRating.NotAppropriate, extensions.Single(e => e!["url"]!.GetValue<string>() == PamaRating.RatingUrl)!["valueCodeableConcept"]!["coding"]![0]!["code"]!.GetValue<string>());
        var consultId = extensions.Single(e => e!["url"]!.GetValue<string>() == PamaRating.ConsultIdUrl)!["valueUri"]!.GetValue<string>();
        Assert.StartsWith("urn:uuid:", consultId, StringComparison.Ordinal);
        var original = request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!;
        var withoutExtensions = (JsonObject)rated.DeepClone();
        withoutExtensions.Remove("extension");
        Assert.True(JsonNode.DeepEquals(original, withoutExtensions));
    }

    [Fact]
    public async Task OrderSelect_CompatibilityFlag_CopiesRatingIntoExtensionSystemActions()
    {
        await using var host = await CdsTestHost.StartAsync(compat: true);

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.CardCase));

        Assert.True(JsonNode.DeepEquals(response["systemActions"], response["extension"]!["systemActions"]));
    }

    [Fact]
    public async Task OrderSelect_HistoryOfBreastCancer_NoCardAndRatedAppropriate()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.BreastCancerHistory));

        Assert.Empty(response["cards"]!.AsArray());
        var action = Assert.Single(response["systemActions"]!.AsArray())!;
        Assert.Contains(action["resource"]!["extension"]!.AsArray(),
            e => e!["url"]!.GetValue<string>() == PamaRating.RatingUrl
                && e["valueCodeableConcept"]!["coding"]![0]!["code"]!.GetValue<string>() == PamaRating.Appropriate);
    }

    [Fact]
    public async Task OrderSelect_SacrumMriWithoutAnyReason_InfoCardAndNoRating()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!.AsObject().Remove("reasonCode");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        var card = Assert.Single(response["cards"]!.AsArray())!;
        Assert.Equal("info", card["indicator"]!.GetValue<string>());
        Assert.True(card["summary"]!.GetValue<string>().Length < 140);
        Assert.Null(response["systemActions"]);
        Assert.Empty(JsonRules.NullOrEmpty(response));
    }

    [Fact]
    public async Task OrderSelect_SacrumMriForHipPain_NoCardRatedNoCriteriaApply()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["reasonCode"] = JsonNode.Parse("""[{"text":"Right hip pain"}]""");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Empty(response["cards"]!.AsArray());
        Assert.Equal(PamaRating.NoCriteriaApply, RatingOf(response));
    }

    [Fact]
    public async Task OrderSelect_TailbonePainAfterFallLastWeek_NoCardRatedAppropriate()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["reasonCode"] = JsonNode.Parse("""[{"text":"Tailbone pain after fall 1 week ago"}]""");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Empty(response["cards"]!.AsArray());
        Assert.Equal(PamaRating.Appropriate, RatingOf(response));
    }

    [Fact]
    public async Task OrderSelect_LumbarMriSelected_NoCardAndNoAction()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.LumbarSelected));

        Assert.Empty(response["cards"]!.AsArray());
        Assert.Null(response["systemActions"]);
    }

    [Fact]
    public async Task OrderSign_LumbarAndSacrumDrafts_CardAndRatingForSacrumOnly()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(Sign, TestFiles.Read(TestFiles.SignTwoDrafts));

        var card = Assert.Single(response["cards"]!.AsArray())!;
        Assert.Contains(card["suggestions"]![0]!["actions"]!.AsArray(), a => a!["resourceId"]![0]!.GetValue<string>() == "ServiceRequest/sr-sacrum");
        var action = Assert.Single(response["systemActions"]!.AsArray())!;
        Assert.Equal("sr-sacrum", action["resource"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task OrderSelect_SandboxPayload_WarnsOnCoccyxPain()
    {
        await using var host = await CdsTestHost.StartAsync(compat: true);

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.Sandbox));

        Assert.Empty(JsonRules.NullOrEmpty(response));
        Assert.Equal("warning", Assert.Single(response["cards"]!.AsArray())!["indicator"]!.GetValue<string>());
        Assert.Single(response["extension"]!["systemActions"]!.AsArray());
    }

    [Fact]
    public async Task OrderSelect_RepeatedWithNewHookInstance_GivesConsistentAdvice()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.CardCase);

        var first = await host.PostOkAsync(Select, request.ToJsonString());
        request["hookInstance"] = "2e9c4f7a-8b1d-4c3e-9f5a-6d7e8f9a0b1c";
        var second = await host.PostOkAsync(Select, request.ToJsonString());

        var a = first["cards"]![0]!;
        var b = second["cards"]![0]!;
        Assert.Equal(a["summary"]!.GetValue<string>(), b["summary"]!.GetValue<string>());
        Assert.Equal(a["detail"]!.GetValue<string>(), b["detail"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(a["overrideReasons"], b["overrideReasons"]));
        Assert.NotEqual(a["uuid"]!.GetValue<string>(), b["uuid"]!.GetValue<string>());
        Assert.NotEqual(first["systemActions"]![0]!["resource"]!["extension"]![1]!["valueUri"]!.GetValue<string>(),
            second["systemActions"]![0]!["resource"]!["extension"]![1]!["valueUri"]!.GetValue<string>());
    }

    [Fact]
    public async Task OrderSelect_ConditionsPrefetchNull_TreatedAsNoConditions()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        request["prefetch"]!["conditions"] = null;

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Single(response["cards"]!.AsArray());
    }

    [Fact]
    public async Task OrderSelect_ConditionsPrefetchAbsentWithoutFhirServer_Returns412WithOperationOutcome()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        request["prefetch"]!.AsObject().Remove("conditions");

        var (status, body) = await host.PostAsync(Select, request.ToJsonString());

        Assert.Equal(412, status);
        Assert.Equal("OperationOutcome", body!["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task OrderSelect_ConditionsPrefetchFailedAndFhirServerUnavailable_FailsOpenWithNoCards()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        request["fhirServer"] = "https://fhir.example.org/r4";
        request["prefetch"]!["conditions"] = new JsonObject { ["resourceType"] = "OperationOutcome" };

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Empty(response["cards"]!.AsArray());
    }

    [Fact]
    public async Task OrderSelect_ConditionsPrefetchAbsentForNonTargetOrder_NoCardsWithout412()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.LumbarSelected);
        request.Remove("prefetch");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Empty(response["cards"]!.AsArray());
    }

    [Theory]
    [InlineData("{\"hook\": \"order-select\", ")]
    [InlineData("[]")]
    public async Task Post_MalformedJson_Returns400WithOperationOutcome(string body)
    {
        await using var host = await CdsTestHost.StartAsync();

        var (status, outcome) = await host.PostAsync(Select, body);

        Assert.Equal(400, status);
        Assert.Equal("OperationOutcome", outcome!["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_OrderSelectRequestToSignService_Returns400()
    {
        await using var host = await CdsTestHost.StartAsync();

        var (status, _) = await host.PostAsync(Sign, TestFiles.Read(TestFiles.CardCase));

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Post_EvaluationThrows_Returns200WithNoCards()
    {
        await using var host = await CdsTestHost.StartAsync(time: new BrokenTimeProvider());

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.CardCase));

        Assert.Empty(response["cards"]!.AsArray());
        Assert.Null(response["systemActions"]);
    }

    [Fact]
    public async Task Post_EvaluationOverBudget_Returns200WithNoCards()
    {
        await using var host = await CdsTestHost.StartAsync(time: new SlowTimeProvider(TimeSpan.FromSeconds(2)), deadline: TimeSpan.FromMilliseconds(100));

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.CardCase));

        Assert.Empty(response["cards"]!.AsArray());
    }

    [Fact]
    public async Task Post_NotDevAndNoTrustedIssuer_Returns401WithEmptyBody()
    {
        await using var host = await CdsTestHost.StartAsync(dev: false);

        var (status, body) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase));
        var (feedbackStatus, feedbackBody) = await host.PostAsync(Select + "/feedback", "{}");

        Assert.Equal(401, status);
        Assert.Null(body);
        Assert.Equal(401, feedbackStatus);
        Assert.Null(feedbackBody);
    }

    [Fact]
    public void Build_DevOnNonLoopbackUrl_Throws()
    {
        var settings = new ImagingValue.Web.ServeSettings { Urls = "http://0.0.0.0:5080", Cds = new() { Dev = true } };

        var thrown = Assert.Throws<ArgumentException>(() => ImagingValue.Web.ImagingValueHost.Build(settings, TimeProvider.System));
        Assert.Contains("'http://0.0.0.0:5080' is not a loopback URL", thrown.Message, StringComparison.Ordinal);
    }

    private static string RatingOf(JsonObject response) =>
        Assert.Single(response["systemActions"]!.AsArray())!["resource"]!["extension"]!.AsArray()
            .Single(e => e!["url"]!.GetValue<string>() == PamaRating.RatingUrl)!["valueCodeableConcept"]!["coding"]![0]!["code"]!.GetValue<string>();

    private sealed class BrokenTimeProvider : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException("clock broken");
    }

    private sealed class SlowTimeProvider(TimeSpan delay) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow()
        {
            Thread.Sleep(delay);
            return CdsTestHost.Now;
        }
    }
}
