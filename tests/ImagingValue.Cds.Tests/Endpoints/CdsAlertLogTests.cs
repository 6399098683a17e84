using ImagingValue.Cds.Services;
using ImagingValue.Cds.Tests.Support;
using ImagingValue.Core.Alerts;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>What the service keeps of each call (alerts, consult ids, jti) and the local evidence its card cites.</summary>
public sealed class CdsAlertLogTests : IDisposable
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private readonly TestIssuer _issuer = new();

    [Fact]
    public async Task OrderSelect_WithWorkspaceEvidence_CardCitesTheLocalAudit()
    {
        var evidence = new LocalEvidence("sacrum-mri-lbp", "2013-07-01", "2017-06-30", 98, 2, 0.0056, 0.0714, 0, 12, 4900, CdsTestHost.Now);
        await using var host = await CdsTestHost.StartAsync(evidence: new FixedEvidence(evidence));

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.CardCase));

        var detail = response["cards"]![0]!["detail"]!.GetValue<string>();
        Assert.Contains(
            "Local audit (2013-07-01 to 2017-06-30): 2 of 98 reviewed exams showed a major finding that explains the pain (2.0%, 95% CI 0.6%–7.1%); none led to a major change in management (12 to a minor change). Charge: $4,900 per exam.",
            detail,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderSelect_EvidenceOfAnotherProtocol_NotCited()
    {
        var other = new LocalEvidence("head-ct-headache", "2020-01-01", "2020-12-31", 50, 1, 0.004, 0.105, 0, 0, 1200, CdsTestHost.Now);
        await using var host = await CdsTestHost.StartAsync(evidence: new FixedEvidence(other));

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.CardCase));

        Assert.DoesNotContain("Local audit", response["cards"]![0]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderSelect_RatedOrder_RecordedWithHookInstanceCardAndConsultId()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.CardCase);

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        var alert = Assert.Single(await host.AlertsAsync());
        Assert.Equal(request["hookInstance"]!.GetValue<string>(), alert.HookInstance);
        Assert.Equal("sacrum-mri-lbp-select", alert.ServiceId);
        Assert.Equal("sacrum-mri-lbp", alert.ProtocolId);
        Assert.Equal("order-select", alert.Hook);
        Assert.Equal("ServiceRequest/sr-sacrum", alert.OrderReference);
        Assert.Equal(PamaRating.NotAppropriate, alert.Rating);
        Assert.Equal(response["cards"]![0]!["uuid"]!.GetValue<string>(), alert.CardUuid);
        Assert.Equal(CdsTestHost.Now, alert.ReceivedAt);
        Assert.Null(alert.Jti);
        var consult = JsonRules.ConsultIds(response).Single();
        Assert.Equal($"urn:uuid:{alert.ConsultId}", consult);
    }

    [Fact]
    public async Task OrderSelect_RedFlagHistory_RecordedAsAppropriateWithoutCard()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(Select, TestFiles.Read(TestFiles.BreastCancerHistory));

        Assert.Empty(response["cards"]!.AsArray());
        var alert = Assert.Single(await host.AlertsAsync());
        Assert.Equal(PamaRating.Appropriate, alert.Rating);
        Assert.Null(alert.CardUuid);
        Assert.False(alert.Warned);
    }

    [Fact]
    public async Task OrderSelect_SignedCall_RecordsTheTokensJti()
    {
        await using var host = await CdsTestHost.StartAsync(dev: false, issuers: [_issuer.Trusted()]);

        var (status, _) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), _issuer.Es384("http://localhost" + Select, jti: "jti-4711"));

        Assert.Equal(200, status);
        Assert.Equal("jti-4711", Assert.Single(await host.AlertsAsync()).Jti);
    }

    [Fact]
    public async Task OrderSelect_RepeatedCallsWithNewHookInstances_EachRecordedWithItsOwnConsultId()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.CardCase);

        foreach (var instance in new[] { "hook-1", "hook-2", "hook-3" })
        {
            request["hookInstance"] = instance;
            await host.PostOkAsync(Select, request.ToJsonString());
        }

        var alerts = await host.AlertsAsync();
        Assert.Equal(["hook-1", "hook-2", "hook-3"], alerts.Select(a => a.HookInstance));
        Assert.Equal(3, alerts.Select(a => a.ConsultId).Distinct().Count());
    }

    // Issue 13: each edit of a draft fires order-select again with a new hookInstance; monitor counts the order once.
    [Fact]
    public async Task OrderSelect_ThreeCallsForOneDraftOrder_OneOrderAndFeedbackOnAnyCallCountsForIt()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        var cards = new List<string>();
        foreach (var instance in new[] { "hook-1", "hook-2", "hook-3" })
        {
            request["hookInstance"] = instance;
            cards.Add((await host.PostOkAsync(Select, request.ToJsonString()))["cards"]![0]!["uuid"]!.GetValue<string>());
        }

        var feedback = $$$"""{"feedback":[{"card":"{{{cards[1]}}}","outcome":"overridden","overrideReason":{"reason":{"system":"{{{CardBuilder.OverrideReasonSystem}}}","code":"cauda_equina"}},"outcomeTimestamp":"2026-11-23T15:04:11Z"}]}""";
        var (status, _) = await host.PostAsync(Select + "/feedback", feedback);

        Assert.Equal(200, status);
        var alerts = await host.AlertsAsync();
        Assert.All(alerts, a => Assert.Equal(("pat-1001", "enc-89284", "ServiceRequest/sr-sacrum"), (a.PatientId, a.EncounterId, a.OrderReference)));
        Assert.Single(alerts.Select(a => a.OrderKey).Distinct());
        var activity = AlertActivity.Summarize("sacrum-mri-lbp", alerts, await host.AlertLog.ListFeedbackAsync(CancellationToken.None), [])!;
        Assert.Equal((1, 1, 0, 1, 0), (activity.Rated, activity.Warned, activity.Accepted, activity.Overridden, activity.NoFeedback));
        Assert.Equal(new Dictionary<string, int> { ["cauda_equina"] = 1 }, activity.OverrideReasons);
    }

    public void Dispose() => _issuer.Dispose();
}
