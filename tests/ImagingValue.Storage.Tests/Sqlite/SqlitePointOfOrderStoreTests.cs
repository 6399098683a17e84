using ImagingValue.Core.Alerts;
using ImagingValue.Storage.Sqlite;

namespace ImagingValue.Storage.Tests.Sqlite;

public sealed class SqlitePointOfOrderStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 13, 5, 9, 250, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("iv-poo-").FullName;

    public SqlitePointOfOrderStoreTests()
    {
        using (SqliteWorkspaceStore.Create(_dir, TimeProvider.System))
        {
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static PointOfOrderAlert Alert(string consult, string? card = "card-1", string? jti = "jti-1") =>
        new(consult, At, "sacrum-mri-lbp-select", "sacrum-mri-lbp", "order-select", "hook-1", jti, "ServiceRequest/sr-1", "not-appropriate", card, "Dr. Who", null);

    private static AlertFeedback Overridden(string card, DateTimeOffset at) =>
        new("sacrum-mri-lbp-select", card, AlertFeedback.Overridden, at, [], "urn:imaging-value:cds:override-reason", "tumor", "known met", At);

    [Fact]
    public async Task RecordAsync_Alerts_ReadBackFieldForFieldAfterReopen()
    {
        var alerts = new[] { Alert("c-1"), Alert("c-2", card: null, jti: null) with { Rating = "appropriate", Department = "Spine Clinic" } };
        await SqlitePointOfOrderStore.Open(_dir, TimeProvider.System).RecordAsync(alerts, CancellationToken.None);

        using var store = SqliteWorkspaceStore.Open(_dir, TimeProvider.System);
        var stored = await store.GetAlertsAsync(CancellationToken.None);

        Assert.Equal(alerts, stored);
    }

    [Fact]
    public async Task RecordAsync_SameConsultIdTwice_StoredOnce()
    {
        var log = SqlitePointOfOrderStore.Open(_dir, TimeProvider.System);

        await log.RecordAsync([Alert("c-1")], CancellationToken.None);
        await log.RecordAsync([Alert("c-1")], CancellationToken.None);

        Assert.Single(await log.ListAlertsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AddFeedbackAsync_RepeatOfTheSameOutcome_StoredOnceAndReportedAsRepeat()
    {
        var log = SqlitePointOfOrderStore.Open(_dir, TimeProvider.System);

        Assert.True(await log.AddFeedbackAsync(Overridden("card-1", At), CancellationToken.None));
        Assert.False(await log.AddFeedbackAsync(Overridden("card-1", At), CancellationToken.None));
        Assert.True(await log.AddFeedbackAsync(Overridden("card-1", At.AddMinutes(1)), CancellationToken.None));

        var stored = await SqlitePointOfOrderStore.Open(_dir, TimeProvider.System).ListFeedbackAsync(CancellationToken.None);
        Assert.Equal(2, stored.Count);
        Assert.Equal(Overridden("card-1", At), stored[0] with { AcceptedSuggestions = [] });
    }

    [Fact]
    public async Task AddFeedbackAsync_Accepted_KeepsTheSuggestionIds()
    {
        var log = SqlitePointOfOrderStore.Open(_dir, TimeProvider.System);
        var accepted = new AlertFeedback("sacrum-mri-lbp-select", "card-2", AlertFeedback.Accepted, At, ["s-1", "s-2"], null, null, null, At);

        await log.AddFeedbackAsync(accepted, CancellationToken.None);

        Assert.Equal(["s-1", "s-2"], Assert.Single(await log.ListFeedbackAsync(CancellationToken.None)).AcceptedSuggestions);
    }

    [Fact]
    public async Task LatestAsync_TwoAuditsOfOneProtocol_TheNewestForThatProtocolOnly()
    {
        var older = new LocalEvidence("sacrum-mri-lbp", "2013-07-01", "2017-06-30", 98, 2, 0.0056, 0.0714, 0, 12, 4900, At);
        var newer = older with { To = "2018-06-30", Reviewed = 120, RecordedAt = At.AddDays(1) };
        using (var store = SqliteWorkspaceStore.Open(_dir, TimeProvider.System))
        {
            await store.SaveLocalEvidenceAsync(older, CancellationToken.None);
            await store.SaveLocalEvidenceAsync(newer, CancellationToken.None);
        }

        var source = SqlitePointOfOrderStore.Open(_dir, TimeProvider.System);

        Assert.Equal(newer, await source.LatestAsync("sacrum-mri-lbp", CancellationToken.None));
        Assert.Null(await source.LatestAsync("head-ct-headache", CancellationToken.None));
    }

    [Fact]
    public void Open_NoWorkspace_ThrowsNamingTheFolder()
    {
        var missing = Path.Combine(_dir, "nothing-here");

        var error = Assert.Throws<WorkspaceNotFoundException>(() => SqlitePointOfOrderStore.Open(missing, TimeProvider.System));

        Assert.Equal(missing, error.Directory);
    }
}
