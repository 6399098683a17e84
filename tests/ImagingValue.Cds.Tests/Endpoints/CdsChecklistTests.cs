using System.Net;
using System.Text.Json.Nodes;
using ImagingValue.Cds.Services;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>
/// The acceptance checklist of tests/ImagingValue.Cds.Tests/acceptance-checklist.md, one test (or more) per item, named
/// <c>B&lt;item&gt;_...</c>. Item 11 (JWT) is in <see cref="CdsJwtTests"/>, item 15 (latency, stalled FHIR server) in
/// <see cref="CdsLoopbackTests"/>, item 17 (golden files) in <see cref="CdsGoldenFileTests"/>.
/// </summary>
public sealed class CdsChecklistTests
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private const string Sign = "/cds-services/sacrum-mri-lbp-sign";

    // acceptance-checklist.md item 1
    [Fact]
    public async Task B01_Discovery_OrderSelectAndOrderSignWithDistinctIdsAndRequiredFields()
    {
        await using var host = await CdsTestHost.StartAsync(dev: false);

        var discovery = await host.GetJsonAsync("/cds-services");

        var services = discovery["services"]!.AsArray().Select(s => s!.AsObject()).ToList();
        // One order-select and one order-sign service per built-in protocol.
        Assert.Equal(["order-select", "order-select", "order-select", "order-sign", "order-sign", "order-sign"], services.Select(s => s["hook"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(services.Count, services.Select(s => s["id"]!.GetValue<string>()).Distinct().Count());
        Assert.All(services, s =>
        {
            foreach (var member in new[] { "hook", "id", "description", "version" })
            {
                Assert.False(string.IsNullOrWhiteSpace(s[member]?.GetValue<string>()), $"{member} missing");
            }
        });
        Assert.Empty(JsonRules.NullOrEmpty(discovery));
    }

    // acceptance-checklist.md item 2
    [Fact]
    public async Task B02_OrderSelect_Cpt72195WithSnomedCoccyxPainNoHistory_OneValidWarningCard()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.Sandbox);
        Assert.Equal("72195", request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["code"]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("34789001", request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["reasonCode"]![0]!["coding"]![0]!["code"]!.GetValue<string>());

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        var card = Assert.Single(response["cards"]!.AsArray())!.AsObject();
        Assert.Equal("warning", card["indicator"]!.GetValue<string>());
        Assert.InRange(card["summary"]!.GetValue<string>().Length, 1, 139);
        Assert.False(string.IsNullOrWhiteSpace(card["source"]!["label"]!.GetValue<string>()));
        Assert.True(Guid.TryParse(card["uuid"]!.GetValue<string>(), out _));
        Assert.Empty(JsonRules.NullOrEmpty(response));
    }

    // acceptance-checklist.md item 3
    [Fact]
    public async Task B03_OrderSelect_RatingUpdateDiffersFromTheOrderOnlyByRatingAndConsultId()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.Sandbox);
        var original = request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!.AsObject();

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        var action = Assert.Single(response["systemActions"]!.AsArray())!.AsObject();
        Assert.Equal("update", action["type"]!.GetValue<string>());
        var rated = action["resource"]!.AsObject();
        Assert.Equal(original.Select(p => p.Key).Append("extension").Order(StringComparer.Ordinal), rated.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.All(original, p => Assert.True(JsonNode.DeepEquals(p.Value, rated[p.Key]), $"{p.Key} changed"));
        var extensions = rated["extension"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal([PamaRating.RatingUrl, PamaRating.ConsultIdUrl], extensions.Select(e => e["url"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var rating = extensions.Single(e => e["url"]!.GetValue<string>() == PamaRating.RatingUrl)["valueCodeableConcept"]!["coding"]![0]!;
        Assert.Equal(PamaRating.NotAppropriate, rating["code"]!.GetValue<string>());
        Assert.Equal("http://fhir.org/argonaut/CodeSystem/pama-rating", rating["system"]!.GetValue<string>());
    }

    // acceptance-checklist.md item 4
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task B04_OrderSelect_RatingInSystemActionsAndInExtensionOnlyWithTheCompatibilityFlag(bool compat)
    {
        await using var host = await CdsTestHost.StartAsync(compat: compat);

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.Sandbox));

        Assert.Single(response["systemActions"]!.AsArray());
        if (compat)
        {
            Assert.True(JsonNode.DeepEquals(response["systemActions"], response["extension"]!["systemActions"]));
        }
        else
        {
            Assert.Null(response["extension"]);
        }
    }

    // acceptance-checklist.md item 5: one red-flag condition each; dates relative to the order (2026-11-20).
    [Theory]
    [InlineData("C79.51", "Secondary malignant neoplasm of bone", "2026-03-01")]
    [InlineData("S32.10XA", "Unspecified fracture of sacrum, initial encounter", "2026-11-10")]
    [InlineData("M46.28", "Osteomyelitis of vertebra, sacral and sacrococcygeal region", "2026-10-01")]
    [InlineData("M45.8", "Ankylosing spondylitis sacral and sacrococcygeal region", "2014-01-01")]
    public async Task B05_OrderSelect_PrefetchedRedFlagCondition_NoCardsRatedAppropriate(string icd10, string display, string onset)
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = WithCondition(TestFiles.ReadJson(TestFiles.CardCase), "http://hl7.org/fhir/sid/icd-10-cm", icd10, display, onset);

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Empty(response["cards"]!.AsArray());
        Assert.Equal(PamaRating.Appropriate, RatingOf(response));
    }

    // acceptance-checklist.md item 5: trauma more than 4 weeks before the order is not a red flag.
    [Fact]
    public async Task B05_OrderSelect_OldTraumaCondition_StillWarns()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = WithCondition(TestFiles.ReadJson(TestFiles.CardCase), "http://hl7.org/fhir/sid/icd-10-cm", "S32.10XA", "Unspecified fracture of sacrum", "2026-09-01");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Single(response["cards"]!.AsArray());
        Assert.Equal(PamaRating.NotAppropriate, RatingOf(response));
    }

    // acceptance-checklist.md item 6
    [Fact]
    public async Task B06_OrderSelect_NonTargetCpt70450_NoCardAndNoAction()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["code"] =
            JsonNode.Parse("""{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"70450","display":"CT head without contrast"}],"text":"CT HEAD WO CONTRAST"}""");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Empty(response["cards"]!.AsArray());
        Assert.Null(response["systemActions"]);
    }

    // acceptance-checklist.md item 6: with two target drafts, only the one in selections is rated.
    [Fact]
    public async Task B06_OrderSelect_TwoTargetDraftsOneSelected_OnlyTheSelectedIsRated()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = WithSecondSacrumDraft(TestFiles.ReadJson(TestFiles.CardCase));

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        var action = Assert.Single(response["systemActions"]!.AsArray())!;
        Assert.Equal("sr-sacrum", action["resource"]!["id"]!.GetValue<string>());
        Assert.Single(response["cards"]!.AsArray());
    }

    // acceptance-checklist.md item 7
    [Fact]
    public async Task B07_OrderSelect_MissingReason_InfoCardAskingForIndicationAndNoRating()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.Sandbox);
        request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!.AsObject().Remove("reasonCode");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        var card = Assert.Single(response["cards"]!.AsArray())!;
        Assert.Equal("info", card["indicator"]!.GetValue<string>());
        Assert.Contains("indication", card["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Null(response["systemActions"]);
    }

    // acceptance-checklist.md item 8
    [Fact]
    public async Task B08_OrderSelect_RequiredPrefetchAbsentWithoutFhirAuthorization_412WithOperationOutcome()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.Sandbox);
        request.Remove("fhirServer");
        request["prefetch"]!.AsObject().Remove("conditions");

        var (status, body) = await host.PostAsync(Select, request.ToJsonString());

        Assert.Equal(412, status);
        Assert.Equal("OperationOutcome", body!["resourceType"]!.GetValue<string>());
        Assert.Equal("error", body["issue"]![0]!["severity"]!.GetValue<string>());
    }

    // acceptance-checklist.md item 8: null means "no data", not "not attempted".
    [Fact]
    public async Task B08_OrderSelect_PrefetchValueNull_TreatedAsNoDataAndAdvised()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.Sandbox);
        request["prefetch"]!["conditions"] = null;
        request["prefetch"]!["patient"] = null;

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Equal("warning", Assert.Single(response["cards"]!.AsArray())!["indicator"]!.GetValue<string>());
    }

    // acceptance-checklist.md item 9
    [Fact]
    public async Task B09_WarningCard_OverrideReasonsCodedSuggestionsWithBehaviorActionsDescribed()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.Sandbox));

        var card = Assert.Single(response["cards"]!.AsArray())!.AsObject();
        Assert.All(card["overrideReasons"]!.AsArray(), r =>
        {
            foreach (var member in new[] { "system", "code", "display" })
            {
                Assert.False(string.IsNullOrWhiteSpace(r![member]?.GetValue<string>()), $"override reason {member} missing");
            }
        });
        Assert.NotEmpty(card["suggestions"]!.AsArray());
        Assert.Equal("at-most-one", card["selectionBehavior"]!.GetValue<string>());
        var actions = card["suggestions"]!.AsArray().SelectMany(s => s!["actions"]!.AsArray()).Concat(response["systemActions"]!.AsArray());
        Assert.All(actions, a => Assert.False(string.IsNullOrWhiteSpace(a!["description"]?.GetValue<string>())));
    }

    // acceptance-checklist.md item 10
    [Fact]
    public async Task B10_Feedback_OverriddenWithReasonPostedTwice_200AndStoredOnce()
    {
        await using var host = await CdsTestHost.StartAsync();
        var card = (await host.PostOkAsync(Select, TestFiles.Read(TestFiles.Sandbox)))["cards"]![0]!["uuid"]!.GetValue<string>();
        var body = """{"feedback":[{"card":"CARD","outcome":"overridden","overrideReason":{"reason":{"system":"urn:imaging-value:cds:override-reason","code":"tumor"}},"outcomeTimestamp":"2026-11-23T15:01:02Z"}]}"""
            .Replace("CARD", card, StringComparison.Ordinal);

        var (first, _) = await host.PostAsync(Select + "/feedback", body);
        var (second, _) = await host.PostAsync(Select + "/feedback", body);

        Assert.Equal(200, first);
        Assert.Equal(200, second);
        Assert.Equal(card, Assert.Single(await host.AlertLog.ListFeedbackAsync(CancellationToken.None)).CardUuid);
    }

    // acceptance-checklist.md item 10 (cds-fb-2)
    [Fact]
    public async Task B10_Feedback_AcceptedWithoutAcceptedSuggestions_400()
    {
        await using var host = await CdsTestHost.StartAsync();

        var (status, body) = await host.PostAsync(Select + "/feedback", """{"feedback":[{"card":"c-1","outcome":"accepted","outcomeTimestamp":"2026-11-23T15:01:02Z"}]}""");

        Assert.Equal(400, status);
        Assert.Equal("OperationOutcome", body!["resourceType"]!.GetValue<string>());
        Assert.Empty(await host.AlertLog.ListFeedbackAsync(CancellationToken.None));
    }

    // acceptance-checklist.md item 10 (cds-fb-3): an override reason needs a reason coding or a comment.
    [Fact]
    public async Task B10_Feedback_OverrideReasonWithNeitherReasonNorComment_400()
    {
        await using var host = await CdsTestHost.StartAsync();

        var (status, body) = await host.PostAsync(Select + "/feedback", """{"feedback":[{"card":"c-1","outcome":"overridden","overrideReason":{},"outcomeTimestamp":"2026-11-23T15:01:02Z"}]}""");

        Assert.Equal(400, status);
        Assert.Equal("OperationOutcome", body!["resourceType"]!.GetValue<string>());
        Assert.Empty(await host.AlertLog.ListFeedbackAsync(CancellationToken.None));
    }

    // acceptance-checklist.md item 12
    [Theory]
    [InlineData("/cds-services")]
    [InlineData(Select)]
    [InlineData(Select + "/feedback")]
    public async Task B12_Options_PreflightWithoutJwt_2xxAllowingAuthorizationAndContentType(string path)
    {
        await using var host = await CdsTestHost.StartAsync(dev: false);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(path, UriKind.Relative));
        preflight.Headers.Add("Origin", "https://sandbox.cds-hooks.org");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        using var response = await host.Client.SendAsync(preflight);

        Assert.InRange((int)response.StatusCode, 200, 299);
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers"));
        Assert.Contains("authorization", allowed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("content-type", allowed, StringComparison.OrdinalIgnoreCase);
    }

    // acceptance-checklist.md item 13
    [Theory]
    [InlineData("malformed")]
    [InlineData("hook")]
    [InlineData("hookInstance")]
    [InlineData("context")]
    public async Task B13_Post_MalformedJsonOrMissingRequiredMember_400WithOperationOutcome(string broken)
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.Sandbox);
        request.Remove(broken);
        var body = broken == "malformed" ? request.ToJsonString()[..^10] : request.ToJsonString();

        var (status, outcome) = await host.PostAsync(Select, body);

        Assert.Equal(400, status);
        Assert.Equal("OperationOutcome", outcome!["resourceType"]!.GetValue<string>());
    }

    // acceptance-checklist.md item 13
    [Fact]
    public async Task B13_Post_UnknownServiceId_404WithOperationOutcome()
    {
        await using var host = await CdsTestHost.StartAsync();

        var (status, outcome) = await host.PostAsync("/cds-services/no-such-service", TestFiles.Read(TestFiles.Sandbox));

        Assert.Equal(404, status);
        Assert.Equal("OperationOutcome", outcome!["resourceType"]!.GetValue<string>());
    }

    // acceptance-checklist.md item 14
    [Fact]
    public async Task B14_FhirAuthorizationAccessToken_NeverInTheLogs()
    {
        const string Token = "checklist-access-token-b14";
        var logs = new CollectingLoggerProvider();
        var conditions = TestFiles.ReadJson(TestFiles.CardCase)["prefetch"]!["conditions"]!.ToJsonString();
        await using var host = await CdsTestHost.StartAsync(fhirServer: new FakeFhirServer(HttpStatusCode.OK, conditions), logs: logs);
        var request = TestFiles.ReadJson(TestFiles.Sandbox);
        request["fhirAuthorization"] = new JsonObject { ["access_token"] = Token, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "patient/Condition.read", ["subject"] = "cds" };
        request["prefetch"]!.AsObject().Remove("conditions");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Single(response["cards"]!.AsArray());
        Assert.NotEmpty(logs.Messages);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(Token, StringComparison.Ordinal));
    }

    // acceptance-checklist.md item 16: each rated order, in one call and across repeated calls, gets its own consult id.
    [Fact]
    public async Task B16_OrderSign_TwoRatedOrdersAndARepeatedCall_EveryConsultIdUnique()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = WithSecondSacrumDraft(TestFiles.ReadJson(TestFiles.CardCase));
        request["hook"] = "order-sign";
        request["context"]!.AsObject().Remove("selections");

        var first = await host.PostOkAsync(Sign, request.ToJsonString());
        request["hookInstance"] = "5d6e7f80-9a1b-4c2d-8e3f-405162738495";
        var second = await host.PostOkAsync(Sign, request.ToJsonString());

        var ids = JsonRules.ConsultIds(first).Concat(JsonRules.ConsultIds(second)).ToList();
        Assert.Equal(4, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(Guid.TryParse(id["urn:uuid:".Length..], out _), id));
    }

    // acceptance-checklist.md item 16: hookInstance, consult id and the token's jti are in the audit log.
    [Fact]
    public async Task B16_RatedCall_AuditLogHasHookInstanceConsultIdAndJti()
    {
        using var issuer = new TestIssuer();
        var logs = new CollectingLoggerProvider();
        await using var host = await CdsTestHost.StartAsync(dev: false, issuers: [issuer.Trusted()], logs: logs);
        var request = TestFiles.ReadJson(TestFiles.Sandbox);

        var (status, response) = await host.PostAsync(Select, request.ToJsonString(), issuer.Es384("http://localhost" + Select, jti: "jti-audit-b16"));

        Assert.Equal(200, status);
        var consultId = Assert.Single(JsonRules.ConsultIds(response!.AsObject()));
        var audit = Assert.Single(logs.Messages, m => m.Contains(request["hookInstance"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Contains(consultId, audit, StringComparison.Ordinal);
        Assert.Contains("jti-audit-b16", audit, StringComparison.Ordinal);
    }

    internal static JsonObject WithCondition(JsonObject request, string system, string code, string display, string onset)
    {
        var condition = JsonNode.Parse($$$"""
            {"resource":{"resourceType":"Condition","id":"cnd-flag","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
             "code":{"coding":[{"system":"{{{system}}}","code":"{{{code}}}","display":"{{{display}}}"}]},"subject":{"reference":"Patient/pat-1001"},"onsetDateTime":"{{{onset}}}"}}
            """);
        request["prefetch"]!["conditions"]!["entry"]!.AsArray().Add(condition);
        return request;
    }

    internal static string RatingOf(JsonObject response) =>
        Assert.Single(response["systemActions"]!.AsArray())!["resource"]!["extension"]!.AsArray()
            .Single(e => e!["url"]!.GetValue<string>() == PamaRating.RatingUrl)!["valueCodeableConcept"]!["coding"]![0]!["code"]!.GetValue<string>();

    /// <summary>The card case with a second sacrum MRI draft (sr-sacrum-2) that is not selected.</summary>
    private static JsonObject WithSecondSacrumDraft(JsonObject request)
    {
        var entries = request["context"]!["draftOrders"]!["entry"]!.AsArray();
        var second = entries[0]!.DeepClone();
        second["resource"]!["id"] = "sr-sacrum-2";
        second["resource"]!["code"]!["text"] = "MRI SACRUM COCCYX WO CONTRAST";
        entries.Add(second);
        return request;
    }
}
