using ImagingValue.Core.Data;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;
using ImagingValue.Protocols;
using ImagingValue.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Cli.Tests;

/// <summary>
/// The screening pipeline (read pages on one thread, decode and screen them on the pool, store on another thread, hand
/// decisions to the log on a third)
/// over a real workspace of several batches: order kept, every decision stored, and a failure or cancellation in any
/// stage leaves no run behind.
/// </summary>
public sealed class StreamingScreeningTests : IDisposable
{
    private const int Orders = 10_000; // two full batches of 4,096 and a partial one

    private readonly string _dir = Directory.CreateTempSubdirectory("iv-screen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IReadOnlyList<ProtocolRuntime> Screener() => [ProtocolLoader.Load("sacrum-mri-lbp")];

    private async Task<SqliteWorkspace> CreateWorkspaceAsync()
    {
        var store = SqliteWorkspace.Create(_dir, TimeProvider.System);
        await using var session = await store.Imports.BeginImportAsync(CanonicalTable.Orders, "orders.csv", CancellationToken.None);
        for (var i = 0; i < Orders; i++)
        {
            var id = $"O{i:D6}";
            var values = new string?[CanonicalTable.Orders.Columns.Count];
            values[CanonicalTable.Orders.IndexOf("order_id")] = id;
            values[CanonicalTable.Orders.IndexOf("patient_id")] = $"P{i % 997}";
            values[CanonicalTable.Orders.IndexOf("ordered_at")] = "2015-03-17T14:18:00";
            values[CanonicalTable.Orders.IndexOf("procedure_name")] = i % 3 == 0 ? "MRI SACRUM WO" : i % 5 == 0 ? "MRI LUMBAR SPINE WO" : "XR CHEST 2 VIEWS";
            values[CanonicalTable.Orders.IndexOf("indication")] = i % 7 == 0 ? "LBP, hx breast ca" : "tailbone pain x 3 months";
            values[CanonicalTable.Orders.IndexOf("status")] = "completed";
            await session.StageAsync(i + 2, id, values, null, CancellationToken.None);
        }

        await session.CommitAsync(new HashSet<string>(), 0, CancellationToken.None);
        return store;
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, SqliteWorkspace.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task ScreenStreaming_SeveralBatches_EveryOrderOnceInOrderAndEveryDecisionStored()
    {
        using var store = await CreateWorkspaceAsync();
        var seen = new List<(string Order, string Decision)>();

        var tally = (await WorkspaceScreening.ScreenStreamingAsync(store.Data, store.Screening, Screener(), TimeProvider.System, (o, _, d) => seen.Add((o.OrderId, d.OrderId)), CancellationToken.None))[0];

        Assert.Equal(Enumerable.Range(0, Orders).Select(i => $"O{i:D6}"), seen.Select(s => s.Order));
        Assert.All(seen, s => Assert.Equal(s.Order, s.Decision));
        Assert.Equal(Orders, tally.Orders);
        Assert.Equal(Orders, tally.ByDecision.Values.Sum());
        Assert.Equal(Orders, Scalar($"SELECT decisions FROM screening_runs WHERE run_id = {tally.RunId}"));
        Assert.Equal(Orders, Scalar($"SELECT COUNT(*) FROM screening_decisions WHERE run_id = {tally.RunId}"));
        Assert.Equal(tally.ByDecision.GetValueOrDefault("excluded"), Scalar($"SELECT COUNT(*) FROM screening_decisions WHERE run_id = {tally.RunId} AND decision = 'excluded'"));
    }

    [Fact]
    public async Task ScreenStreaming_TwoProtocols_EachOrderOncePerProtocolAndARunEachWithTheDecisionsOfThatProtocolAlone()
    {
        using var store = await CreateWorkspaceAsync();
        var both = Screener().Append(ProtocolLoader.Load("lumbar-imaging-lbp")).ToList();
        var seen = new List<(string Order, int Protocol, ScreeningDecision Decision)>();

        var tallies = await WorkspaceScreening.ScreenStreamingAsync(store.Data, store.Screening, both, TimeProvider.System, (o, p, d) => seen.Add((o.OrderId, p, d)), CancellationToken.None);

        // Order by order, each in protocol order.
        Assert.Equal(Enumerable.Range(0, Orders).SelectMany(i => new[] { ($"O{i:D6}", 0), ($"O{i:D6}", 1) }), seen.Select(s => (s.Order, s.Protocol)));
        Assert.Equal(["sacrum-mri-lbp", "lumbar-imaging-lbp"], tallies.Select(t => t.ProtocolId));
        Assert.NotEqual(tallies[0].RunId, tallies[1].RunId);
        Assert.All(tallies, t => Assert.Equal(Orders, Scalar($"SELECT COUNT(*) FROM screening_decisions WHERE run_id = {t.RunId}")));
        // Each protocol decides its own target exams: the lumbar MRIs (every 15th order) are lumbar's, not the sacrum's.
        Assert.Equal(Enumerable.Range(0, Orders).Count(i => i % 3 != 0 && i % 5 == 0), seen.Count(s => s.Protocol == 1 && s.Decision.IsTargetExam));
        Assert.Equal(Enumerable.Range(0, Orders).Count(i => i % 3 == 0), seen.Count(s => s.Protocol == 0 && s.Decision.IsTargetExam));

        // The sacrum's decisions are those of a run of the sacrum alone.
        var alone = (await WorkspaceScreening.ScreenStreamingAsync(store.Data, store.Screening, Screener(), TimeProvider.System, null, CancellationToken.None))[0];
        var fromAlone = await store.Screening.GetScreeningDecisionsAsync(alone.RunId, CancellationToken.None);
        static string Row(ScreeningDecision d) => $"{d.OrderId},{d.DecisionText},{d.Reason},{string.Join(';', d.Reasons)},{ScreeningEvidenceFormatter.Join(d.Evidence)}";
        Assert.Equal(fromAlone.Select(Row), seen.Where(s => s.Protocol == 0).Select(s => Row(s.Decision)));
    }

    [Fact]
    public async Task ScreenStreaming_LogFailsMidway_ItsErrorIsReportedAndNoRunIsStored()
    {
        using var store = await CreateWorkspaceAsync();
        var count = 0;

        var ex = await Assert.ThrowsAsync<IOException>(() => WorkspaceScreening.ScreenStreamingAsync(store.Data, store.Screening, Screener(), TimeProvider.System, (_, _, _) =>
        {
            if (++count == 5_000)
            {
                throw new IOException("disk full");
            }
        }, CancellationToken.None));

        Assert.Equal("disk full", ex.Message);
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM screening_runs"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM screening_decisions"));
        Assert.Equal(Orders, (await store.Data.ReadOrdersAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ScreenStreaming_CancelledMidway_CancelledAndNoRunIsStored()
    {
        using var store = await CreateWorkspaceAsync();
        using var cancel = new CancellationTokenSource();
        var count = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => WorkspaceScreening.ScreenStreamingAsync(store.Data, store.Screening, Screener(), TimeProvider.System, (_, _, _) =>
        {
            if (++count == 3_000)
            {
                cancel.Cancel();
            }
        }, cancel.Token));

        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM screening_runs"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM screening_decisions"));
    }

    [Fact]
    public async Task AuditInputs_ReadFromTheStoreAPageAtATime_SameAuditAndFactsAsEveryOrderInMemory()
    {
        // Orders over several pages, with ordering providers who order from two departments, exam days spread over
        // two months, lumbar MRIs the same day as some included sacrum MRIs, and cancelled target exams.
        using var store = SqliteWorkspace.Create(_dir, TimeProvider.System);
        await using (var session = await store.Imports.BeginImportAsync(CanonicalTable.Orders, "orders.csv", CancellationToken.None))
        {
            for (var i = 0; i < Orders; i++)
            {
                var id = $"O{i:D6}";
                var values = new string?[CanonicalTable.Orders.Columns.Count];
                values[CanonicalTable.Orders.IndexOf("order_id")] = id;
                values[CanonicalTable.Orders.IndexOf("patient_id")] = $"P{i % 997}";
                values[CanonicalTable.Orders.IndexOf("ordered_at")] = $"2015-03-{1 + (i % 3 == 0 ? i / 3 % 28 : i % 28):D2}T14:18:00";
                values[CanonicalTable.Orders.IndexOf("performed_at")] = i == 7_001 ? "2015-05-02T08:00:00" : null;
                values[CanonicalTable.Orders.IndexOf("procedure_name")] = i % 3 == 0 ? "MRI SACRUM WO" : i % 5 == 0 ? "MRI LUMBAR SPINE WO" : "XR CHEST 2 VIEWS";
                values[CanonicalTable.Orders.IndexOf("indication")] = i % 7 == 0 ? "LBP, hx breast ca" : "tailbone pain x 3 months";
                values[CanonicalTable.Orders.IndexOf("ordering_provider")] = $"Dr {i % 13}";
                values[CanonicalTable.Orders.IndexOf("ordering_department")] = i % 4 == 0 ? "Emergency" : i % 11 == 0 ? null : "Family Medicine";
                values[CanonicalTable.Orders.IndexOf("status")] = i % 301 == 0 ? "cancelled" : "completed";
                await session.StageAsync(i + 2, id, values, null, CancellationToken.None);
            }

            await session.CommitAsync(new HashSet<string>(), 0, CancellationToken.None);
        }

        var runtime = Screener()[0];
        var run = await WorkspaceScreening.LatestOrScreenAsync(store.Data, store.Screening, runtime, TimeProvider.System, CancellationToken.None);
        var options = new Core.Analytics.AuditOptions(Core.Analytics.DateRange.Parse("2015-03-01..2015-03-20"), null, Core.Analytics.DateRange.Parse("2015-03-21..2015-05-31"), null);

        var inputs = await Core.Analytics.AuditInputs.ReadAsync(store.Data, store.Screening, [run], [runtime.Protocol], CancellationToken.None);
        var streamed = Core.Analytics.AuditAnalyzer.Analyze(runtime.Protocol, options, inputs.Targets[0], inputs.Facts, []);

        var orders = await store.Data.ReadOrdersAsync(CancellationToken.None);
        var decisions = await store.Screening.GetScreeningDecisionsAsync(run.RunId, CancellationToken.None);
        var inMemory = Core.Analytics.AuditAnalyzer.Analyze(runtime.Protocol, options, orders, decisions, []);
        var facts = Core.Analytics.OrderFacts.Of(orders, runtime.Protocol.ConcurrentExams.Values, Core.Analytics.AuditAnalyzer.IncludedDays(inputs.Targets[0]));

        // Only the target exams are held: a third of the orders.
        Assert.Equal(decisions.Count(d => d.IsTargetExam || d.Decision != Decision.NotTarget), inputs.Targets[0].Count);
        Assert.InRange(inputs.Targets[0].Count, 3_000, 3_400);
        Assert.Equal(Json(inMemory.Summary), Json(streamed.Summary));
        Assert.Equal(inMemory.Exams.Select(e => (e.Order.OrderId, e.Window)), streamed.Exams.Select(e => (e.Order.OrderId, e.Window)));
        // The figures the other orders add are there to compare: concurrent exams, cancelled targets, the data's end.
        Assert.InRange(streamed.Summary.Concurrent["lumbar_spine_mri"], 1, streamed.Summary.Cohort.Included - 1);
        Assert.True(streamed.Summary.Cohort.Cancelled > 0);
        Assert.Equal("2015-05-02", streamed.Summary.FollowUp!.CoveredThrough);
        Assert.Equal((facts.DataThrough, facts.LastExamDate), (inputs.Facts.DataThrough, inputs.Facts.LastExamDate));
        Assert.Equal(facts.DepartmentOfProvider.OrderBy(kv => kv.Key, StringComparer.Ordinal), inputs.Facts.DepartmentOfProvider.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(13, inputs.Facts.DepartmentOfProvider.Count);

        static string Json(Core.Analytics.AuditSummary summary) => System.Text.Json.JsonSerializer.Serialize(summary);
    }
}
