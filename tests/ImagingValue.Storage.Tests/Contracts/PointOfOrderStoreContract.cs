using ImagingValue.Core.Alerts;

namespace ImagingValue.Storage.Tests.Contracts;

/// <summary>What every provider's point-of-order tables do: alerts and feedback round-trip, repeats stored once, evidence kept only when it changed.</summary>
public abstract class PointOfOrderStoreContract : WorkspaceContract
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset At = Seed.At;

    private static PointOfOrderAlert Alert(string consult, string? card = "card-1", string? jti = "jti-1") =>
        new(consult, At, "sacrum-mri-lbp-select", "sacrum-mri-lbp", "order-select", "hook-1", jti, "ServiceRequest/sr-1", "not-appropriate", card, "Dr. Who", null);

    private static AlertFeedback Overridden(string card, DateTimeOffset at) =>
        new("sacrum-mri-lbp-select", card, AlertFeedback.Overridden, at, [], "urn:imaging-value:cds:override-reason", "tumor", "known met", At);

    [Fact]
    public async Task RecordAlerts_ReadBackFieldForFieldInTheOrderReceived()
    {
        var alerts = new[]
        {
            Alert("c-1") with { PatientId = "pat-1", EncounterId = "enc-1" },
            Alert("c-2", card: null, jti: null) with { Rating = "appropriate", Department = "Spine Clinic" },
            Alert("c-3") with { PatientId = "pat-1", OrderIdentified = false },
        };

        await Workspace.Alerts.RecordAsync(alerts, Ct);

        Assert.Equal(alerts, await Workspace.Alerts.ListAlertsAsync(Ct));
    }

    [Fact]
    public async Task RecordAlerts_SameConsultIdTwice_StoredOnce()
    {
        await Workspace.Alerts.RecordAsync([Alert("c-1")], Ct);
        await Workspace.Alerts.RecordAsync([Alert("c-1")], Ct);
        await Workspace.Alerts.RecordAsync([], Ct);

        Assert.Single(await Workspace.Alerts.ListAlertsAsync(Ct));
    }

    [Fact]
    public async Task IsCardIssued_OnlyForAStoredCardOfThatService()
    {
        await Workspace.Alerts.RecordAsync([Alert("c-1", card: "card-1"), Alert("c-2", card: null)], Ct);

        Assert.True(await Workspace.Alerts.IsCardIssuedAsync("sacrum-mri-lbp-select", "card-1", Ct));
        Assert.False(await Workspace.Alerts.IsCardIssuedAsync("sacrum-mri-lbp-sign", "card-1", Ct));
        Assert.False(await Workspace.Alerts.IsCardIssuedAsync("sacrum-mri-lbp-select", "card-9", Ct));
    }

    [Fact]
    public async Task AddFeedback_RepeatOfTheSameOutcome_StoredOnceAndReportedAsRepeat()
    {
        Assert.True(await Workspace.Alerts.AddFeedbackAsync(Overridden("card-1", At), Ct));
        Assert.False(await Workspace.Alerts.AddFeedbackAsync(Overridden("card-1", At), Ct));
        Assert.True(await Workspace.Alerts.AddFeedbackAsync(Overridden("card-1", At.AddMinutes(1)), Ct));

        var stored = await Workspace.Alerts.ListFeedbackAsync(Ct);
        Assert.Equal(2, stored.Count);
        Assert.Equal(Overridden("card-1", At), stored[0] with { AcceptedSuggestions = [] });
    }

    [Fact]
    public async Task AddFeedback_Accepted_KeepsTheSuggestionIds()
    {
        await Workspace.Alerts.AddFeedbackAsync(new AlertFeedback("sacrum-mri-lbp-select", "card-2", AlertFeedback.Accepted, At, ["s-1", "s-2"], null, null, null, At), Ct);

        Assert.Equal(["s-1", "s-2"], Assert.Single(await Workspace.Alerts.ListFeedbackAsync(Ct)).AcceptedSuggestions);
    }

    [Fact]
    public async Task LocalEvidence_TwoAuditsOfOneProtocol_TheNewestForThatProtocolOnly()
    {
        var older = new LocalEvidence("sacrum-mri-lbp", "2013-07-01", "2017-06-30", 98, 2, 0.0056, 0.0714, 0, 12, 4900, At);
        var newer = older with { To = "2018-06-30", Reviewed = 120, RecordedAt = At.AddDays(1) };

        Assert.True(await Workspace.Evidence.SaveAsync(older, Ct));
        Assert.True(await Workspace.Evidence.SaveAsync(newer, Ct));

        Assert.Equal(newer, await Workspace.Evidence.LatestAsync("sacrum-mri-lbp", Ct));
        Assert.Null(await Workspace.Evidence.LatestAsync("head-ct-headache", Ct));
    }

    [Fact]
    public async Task LocalEvidence_SameFiguresLater_NotKeptAgain()
    {
        var first = new LocalEvidence("sacrum-mri-lbp", "2013-07-01", "2017-06-30", 98, 2, 0.0056, 0.0714, 0, 12, 4900, At);

        Assert.True(await Workspace.Evidence.SaveAsync(first, Ct));
        Assert.False(await Workspace.Evidence.SaveAsync(first with { RecordedAt = At.AddDays(1) }, Ct));

        Assert.Equal(first, await Workspace.Evidence.LatestAsync("sacrum-mri-lbp", Ct));
    }

    [Fact]
    public async Task LocalEvidence_FromSyntheticData_KeptAsSuch()
    {
        var real = new LocalEvidence("sacrum-mri-lbp", "2013-07-01", "2017-06-30", 98, 2, 0.0056, 0.0714, 0, 12, 4900, At);

        Assert.True(await Workspace.Evidence.SaveAsync(real, Ct));
        Assert.True(await Workspace.Evidence.SaveAsync(real with { Synthetic = true, RecordedAt = At.AddDays(1) }, Ct)); // not "the same figures"

        Assert.True((await Workspace.Evidence.LatestAsync("sacrum-mri-lbp", Ct))!.Synthetic);
    }
}
