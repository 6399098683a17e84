using System.Data.Common;
using ImagingValue.Cds.Tests.Support;
using ImagingValue.Core.Alerts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>
/// Fail open while the alert log's database is away, also in dev mode, where no token makes a call read the database:
/// no card is given that could not be stored, the cards given before the failure are stored on its return, and cards
/// come back without a restart.
/// </summary>
public sealed class CdsAlertLogOutageTests
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AlertLogAway_NoCardsUntilItIsBack_ThenTheEarlierCardsAlertIsStoredAndCardsReturn()
    {
        var log = new SwitchableAlertLog();
        var logs = new CollectingLoggerProvider();
        await using var host = await CdsTestHost.StartAsync(logs: logs, services: s => s.AddSingleton<IAlertLog>(log));
        var request = TestFiles.Read(TestFiles.CardCase);

        log.Away = true;
        var before = await host.PostOkAsync(Select, request);
        var shownCard = Assert.Single(before["cards"]!.AsArray())!["uuid"]!.GetValue<string>();
        await Until(() => !host.Recorder.CanRecord, "the recorder to notice the database is away");

        var during = await host.PostOkAsync(Select, request);

        Assert.Empty(during["cards"]!.AsArray());
        Assert.Contains(logs.Messages, m => m.Contains("sacrum-mri-lbp-select", StringComparison.Ordinal) && m.Contains("alert log's database is away; answered with no cards", StringComparison.Ordinal));
        Assert.Empty(await log.Stored.ListAlertsAsync(CancellationToken.None));

        log.Away = false;
        await Until(() => host.Recorder.CanRecord, "the recorder's retry to find the database back");

        var stored = Assert.Single(await log.Stored.ListAlertsAsync(CancellationToken.None));
        Assert.Equal(shownCard, stored.CardUuid);
        var after = await host.PostOkAsync(Select, request);
        Assert.Single(after["cards"]!.AsArray());
        await host.Recorder.FlushAsync(CancellationToken.None);
        Assert.Equal(2, (await log.Stored.ListAlertsAsync(CancellationToken.None)).Count);
        Assert.Contains(logs.Messages, m => m.Contains("database is back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWriteFailingForAnotherReason_IsNotAnOutage_CardsGoOn()
    {
        var log = new SwitchableAlertLog { Broken = true };
        await using var host = await CdsTestHost.StartAsync(services: s => s.AddSingleton<IAlertLog>(log));
        var request = TestFiles.Read(TestFiles.CardCase);

        Assert.Single((await host.PostOkAsync(Select, request))["cards"]!.AsArray());
        await host.Recorder.FlushAsync(CancellationToken.None);

        // A failure that retrying cannot mend (a bug, a constraint) is logged and dropped: no endless retry, no
        // service that stops advising because of one bad row.
        Assert.True(host.Recorder.CanRecord);
        Assert.Single((await host.PostOkAsync(Select, request))["cards"]!.AsArray());
    }

    [Fact]
    public async Task SqliteLockedByAnotherWriter_CardsGoOn_AndTheirAlertsAreStoredWhenTheLockIsReleased()
    {
        var log = new SwitchableAlertLog { Locked = true };
        var logs = new CollectingLoggerProvider();
        await using var host = await CdsTestHost.StartAsync(logs: logs, services: s => s.AddSingleton<IAlertLog>(log));
        var request = TestFiles.Read(TestFiles.CardCase);

        var first = Assert.Single((await host.PostOkAsync(Select, request))["cards"]!.AsArray())!["uuid"]!.GetValue<string>();
        await Until(() => logs.Messages.Any(m => m.Contains("locked by another writer", StringComparison.Ordinal)), "the recorder to meet the lock");
        var second = Assert.Single((await host.PostOkAsync(Select, request))["cards"]!.AsArray())!["uuid"]!.GetValue<string>();

        Assert.True(host.Recorder.CanRecord);
        Assert.Empty(await log.Stored.ListAlertsAsync(CancellationToken.None));
        log.Locked = false;
        await host.Recorder.FlushAsync(CancellationToken.None);
        var stored = (await log.Stored.ListAlertsAsync(CancellationToken.None)).Select(a => a.CardUuid).ToHashSet();
        Assert.Equal(new HashSet<string?> { first, second }, stored);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Patience, $"waited {Patience.TotalSeconds} s for {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>An alert log whose database can be taken away (a transient error, as Npgsql gives) or broken.</summary>
    private sealed class SwitchableAlertLog : IAlertLog
    {
        public InMemoryAlertLog Stored { get; } = new();

        public volatile bool Away;

        public volatile bool Broken;

        public volatile bool Locked;

        public Task RecordAsync(IReadOnlyList<PointOfOrderAlert> alerts, CancellationToken cancellationToken) =>
            Away ? throw new DatabaseAwayException() : Locked ? throw new SqliteException("database is locked", 5) : Broken ? throw new InvalidOperationException("a bug") : Stored.RecordAsync(alerts, cancellationToken);

        public Task<bool> IsCardIssuedAsync(string serviceId, string cardUuid, CancellationToken cancellationToken) => Stored.IsCardIssuedAsync(serviceId, cardUuid, cancellationToken);

        public Task<bool> AddFeedbackAsync(AlertFeedback feedback, CancellationToken cancellationToken) => Stored.AddFeedbackAsync(feedback, cancellationToken);

        public Task<IReadOnlyList<PointOfOrderAlert>> ListAlertsAsync(CancellationToken cancellationToken) => Stored.ListAlertsAsync(cancellationToken);

        public Task<IReadOnlyList<AlertFeedback>> ListFeedbackAsync(CancellationToken cancellationToken) => Stored.ListFeedbackAsync(cancellationToken);
    }

    private sealed class DatabaseAwayException : DbException
    {
        public override bool IsTransient => true;
    }
}
