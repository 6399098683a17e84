using ImagingValue.Core.Storage;

namespace ImagingValue.Storage.Tests.Contracts;

/// <summary>
/// What every provider's token replay cache does: a (issuer, jti) is recorded once, for every instance opened on the
/// workspace, and expired entries are purged.
/// </summary>
public abstract class TokenReplayStoreContract : WorkspaceContract
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 22, 0, 0, TimeSpan.Zero);

    /// <summary>The same workspace opened again, as a second service instance opens it.</summary>
    protected abstract IWorkspace OpenSecondInstance();

    [Fact]
    public async Task AToken_IsRecordedOnce()
    {
        Assert.True(await Workspace.Tokens.TryRecordTokenAsync("https://ehr.example", "j1", Now.AddMinutes(5), Now, Ct));
        Assert.False(await Workspace.Tokens.TryRecordTokenAsync("https://ehr.example", "j1", Now.AddMinutes(5), Now.AddSeconds(1), Ct));
    }

    [Fact]
    public async Task TheSameJti_OfAnotherIssuer_IsAnotherToken()
    {
        Assert.True(await Workspace.Tokens.TryRecordTokenAsync("https://ehr.example", "j1", Now.AddMinutes(5), Now, Ct));
        Assert.True(await Workspace.Tokens.TryRecordTokenAsync("https://other.example", "j1", Now.AddMinutes(5), Now, Ct));
    }

    [Fact]
    public async Task ATokenUsedOnOneInstance_IsARepeatOnTheOther()
    {
        Assert.True(await Workspace.Tokens.TryRecordTokenAsync("https://ehr.example", "j1", Now.AddMinutes(5), Now, Ct));
        using var second = OpenSecondInstance();
        Assert.False(await second.Tokens.TryRecordTokenAsync("https://ehr.example", "j1", Now.AddMinutes(5), Now, Ct));
        Assert.True(await second.Tokens.TryRecordTokenAsync("https://ehr.example", "j2", Now.AddMinutes(5), Now, Ct));
        Assert.False(await Workspace.Tokens.TryRecordTokenAsync("https://ehr.example", "j2", Now.AddMinutes(5), Now, Ct));
    }

    [Fact]
    public async Task AnExpiredEntry_IsPurged()
    {
        Assert.True(await Workspace.Tokens.TryRecordTokenAsync("https://ehr.example", "j1", Now.AddMinutes(5), Now, Ct));
        // Once expired the entry may go (the token itself is refused by then for its exp): recorded anew means purged.
        Assert.True(await Workspace.Tokens.TryRecordTokenAsync("https://ehr.example", "j1", Now.AddMinutes(20), Now.AddMinutes(10), Ct));
    }

    [Fact]
    public async Task ManyInstancesRecordingOneTokenAtOnce_AcceptItOnce()
    {
        var first = Workspace;
        using var second = OpenSecondInstance();
        var attempts = Enumerable.Range(0, 8)
            .Select(i => (i % 2 == 0 ? first : second).Tokens.TryRecordTokenAsync("https://ehr.example", "race", Now.AddMinutes(5), Now, Ct));
        var accepted = await Task.WhenAll(attempts);
        Assert.Single(accepted, a => a);
    }
}
