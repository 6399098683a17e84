using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;
using ImagingValue.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Storage.Tests.Sqlite;

public sealed class SqliteWorkspaceStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iv-store-").FullName;

    private string DbPath => Path.Combine(_dir, SqliteWorkspaceStore.FileName);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string?[] OrderValues(string id, string? indication = "LBP")
    {
        var values = new string?[CanonicalTable.Orders.Columns.Count];
        values[CanonicalTable.Orders.IndexOf("order_id")] = id;
        values[CanonicalTable.Orders.IndexOf("patient_id")] = "P-" + id;
        values[CanonicalTable.Orders.IndexOf("ordered_at")] = "2015-03-17T14:18:00";
        values[CanonicalTable.Orders.IndexOf("procedure_name")] = "MRI SACRUM WO";
        values[CanonicalTable.Orders.IndexOf("indication")] = indication;
        values[CanonicalTable.Orders.IndexOf("status")] = "completed";
        return values;
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public void Create_NewWorkspace_MigratedToLatestVersion()
    {
        using (SqliteWorkspaceStore.Create(_dir, TimeProvider.System))
        {
        }

        Assert.Equal(SqliteWorkspaceStore.SchemaVersion, Scalar("SELECT MAX(version) FROM schema_version"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'screening_decisions'"));
    }

    [Fact]
    public void Open_NoWorkspace_ThrowsNamingTheFolder()
    {
        var ex = Assert.Throws<WorkspaceNotFoundException>(() => SqliteWorkspaceStore.Open(Path.Combine(_dir, "missing"), TimeProvider.System));
        Assert.Contains("init --workspace", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SchemaNewerThanProgram_Refused()
    {
        using (SqliteWorkspaceStore.Create(_dir, TimeProvider.System))
        {
        }

        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE schema_version SET version = 999";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<InvalidOperationException>(() => SqliteWorkspaceStore.Open(_dir, TimeProvider.System));
        Assert.Contains("newer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportSession_DisposedWithoutCommit_NothingWritten()
    {
        using var store = SqliteWorkspaceStore.Create(_dir, TimeProvider.System);
        using (var session = store.BeginImport(CanonicalTable.Orders, "a.csv"))
        {
            session.Stage(2, "O1", OrderValues("O1"), null);
        }

        var counts = await store.CountRowsAsync(CancellationToken.None);
        Assert.Equal(0, counts["orders"]);
        Assert.Equal(0, counts["imports"]);
    }

    [Fact]
    public void ImportSession_SameKeyTwice_ConflictOnlyWhenDataDiffers()
    {
        using var store = SqliteWorkspaceStore.Create(_dir, TimeProvider.System);
        using var session = store.BeginImport(CanonicalTable.Orders, "a.csv");
        session.Stage(2, "O1", OrderValues("O1"), null);
        session.Stage(3, "O2", OrderValues("O2"), null);
        session.Stage(4, "O1", OrderValues("O1"), null);
        session.Stage(5, "O2", OrderValues("O2", "other"), null);
        session.Stage(6, "O2", OrderValues("O2"), "{\"x\":\"1\"}");

        var conflict = Assert.Single(session.FindConflicts());
        Assert.Equal("O2", conflict.Key);
        Assert.Equal([3, 5, 6], conflict.Lines);

        var counts = session.Commit(new HashSet<string> { "O2" });
        Assert.Equal(new Core.Storage.ImportCounts(1, 0, 0), counts);
    }

    [Fact]
    public async Task SaveScreeningRun_DecisionsStoredWithEvidence()
    {
        using var store = SqliteWorkspaceStore.Create(_dir, TimeProvider.System);
        var run = new ScreeningRun("sacrum-mri-lbp", new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero),
        [
            new ScreeningDecision("O1", Decision.Excluded, true, "tumor", ["tumor", "recent_trauma"], [new ScreeningEvidence(EvidenceSource.Indication, EvidenceRole.Counted, For: "tumor", Concept: "tumor", Text: "hx breast ca", Mention: new TextSpan(3, 9), Sentence: new TextSpan(0, 12), Qualifiers: EvidenceQualifiers.Historical)]),
            new ScreeningDecision("O2", Decision.Included, true, null, [], [ScreeningEvidence.FromLegacyText("indication: \"LBP\" [low_back_pain]")]),
        ]);

        var id = await store.SaveScreeningRunAsync(run, CancellationToken.None);

        Assert.Equal(1, id);
        Assert.Equal(2, Scalar("SELECT decisions FROM screening_runs WHERE run_id = 1"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM screening_decisions WHERE reason = 'tumor' AND reasons = 'tumor;recent_trauma' AND evidence LIKE '%hx breast ca%'"));
    }

    private static void ImportOrders(SqliteWorkspaceStore store, int count)
    {
        using var session = store.BeginImport(CanonicalTable.Orders, "many.csv");
        for (var i = 0; i < count; i++)
        {
            var id = $"O{i:D6}";
            session.Stage(i + 2, id, OrderValues(id), null);
        }

        session.Commit(new HashSet<string>());
    }

    [Fact]
    public void ReadOrders_MorePagesThanOne_EveryOrderOnceInOrderIdOrder()
    {
        using var store = SqliteWorkspaceStore.Create(_dir, TimeProvider.System);
        ImportOrders(store, 10_000);

        var ids = store.ReadOrders(CancellationToken.None).Select(o => o.OrderId).ToList();

        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => $"O{i:D6}"), ids);
    }

    [Fact]
    public void ReadOrderPages_NoOrders_NoPage()
    {
        using var store = SqliteWorkspaceStore.Create(_dir, TimeProvider.System);

        Assert.Empty(store.ReadOrderPages(CancellationToken.None));
    }

    [Fact]
    public async Task ReadOrderPages_VariedValues_DecodeAsTheDataReaderReadsThem()
    {
        // The page decoder reads SQLite's bytes itself; the data reader path (GetOrdersAsync) is the reference.
        using var store = SqliteWorkspaceStore.Create(_dir, TimeProvider.System);
        using (var session = store.BeginImport(CanonicalTable.Orders, "orders.csv"))
        {
            for (var i = 0; i < 9_000; i++)
            {
                var id = $"O{i:D6}";
                var values = OrderValues(id, i switch
                {
                    7 => new string('x', 2_000_000), // larger than a page's first buffer
                    _ when i % 11 == 0 => null,
                    _ when i % 5 == 0 => "Schmerzen im Steißbein, Ærø, 脊椎 — seit 3 Wochen",
                    _ when i % 8 == 1 => "pt states \"tailbone pain\" \\ r/o fx\tafter fall\nline two \u0001 😀 end",
                    _ => $"LBP x {i % 9} wks",
                });
                Set(values, "procedure_name", i % 13 == 0 ? "MRI SACRUM " + new string('é', 200) : i % 2 == 0 ? "MRI SACRUM WO" : "XR L-SPINE");
                Set(values, "procedure_code", i % 3 == 0 ? null : $"7219{i % 2}");
                Set(values, "accession", i % 4 == 0 ? null : $"A{i}");
                Set(values, "performed_at", i % 6 == 0 ? null : $"2015-03-{1 + (i % 28):D2}T08:{i % 60:D2}:00");
                Set(values, "reason_codes", i % 7 == 0 ? null : i % 2 == 0 ? "M54.5;M53.3" : "M54.50");
                Set(values, "ordering_provider", i % 17 == 0 ? null : i % 9 == 4 ? $"O\"Brien \\ {i % 3}" : $"Dr. Ölund {i % 40}");
                Set(values, "ordering_department", $"Dept {i % 12}");
                Set(values, "patient_sex", i % 19 == 0 ? null : i % 2 == 0 ? "F" : "M");
                Set(values, "patient_birth_date", i % 23 == 0 ? null : $"19{40 + (i % 50)}-0{1 + (i % 9)}-1{i % 10}");
                Set(values, "status", i % 29 == 0 ? "cancelled" : "completed");
                session.Stage(i + 2, id, values, null);
            }

            session.Commit(new HashSet<string>());
        }

        var expected = await store.GetOrdersAsync(CancellationToken.None);
        var pages = store.ReadOrderPages(CancellationToken.None).ToList();
        var actual = pages.AsParallel().AsOrdered().SelectMany(page => page.Decode()).ToList();

        Assert.Equal(9_000, expected.Count);
        Assert.Equal(pages.Sum(p => p.Count), actual.Count);
        Assert.Equal(expected.Select(o => o with { ReasonCodes = [] }), actual.Select(o => o with { ReasonCodes = [] }));
        Assert.Equal(expected.Select(o => string.Join('|', o.ReasonCodes)), actual.Select(o => string.Join('|', o.ReasonCodes)));
        Assert.Throws<ObjectDisposedException>(() => pages[0].Decode()); // its bytes went back to the pool
    }

    private static void Set(string?[] values, string column, string? value) => values[CanonicalTable.Orders.IndexOf(column)] = value;

    [Fact]
    public void BeginScreeningRun_WrittenWhileReadingOrders_CommittedWithItsCount()
    {
        using var store = SqliteWorkspaceStore.Create(_dir, TimeProvider.System);
        ImportOrders(store, 5_000);

        long runId;
        using (var writer = store.BeginScreeningRun(new ScreeningRunStamp("sacrum-mri-lbp", "fingerprint", 1, DateTimeOffset.UnixEpoch)))
        {
            foreach (var order in store.ReadOrders(CancellationToken.None))
            {
                writer.Add([new ScreeningDecision(order.OrderId, Decision.NotTarget, false, null, [], [])]);
            }

            runId = writer.Commit();
        }

        Assert.Equal(5_000, Scalar($"SELECT decisions FROM screening_runs WHERE run_id = {runId}"));
        Assert.Equal(5_000, Scalar($"SELECT COUNT(*) FROM screening_decisions WHERE run_id = {runId}"));
    }

    [Fact]
    public void BeginScreeningRun_DisposedWithoutCommit_NothingStored()
    {
        using var store = SqliteWorkspaceStore.Create(_dir, TimeProvider.System);
        ImportOrders(store, 10);

        using (var writer = store.BeginScreeningRun(new ScreeningRunStamp("sacrum-mri-lbp", "fingerprint", 1, DateTimeOffset.UnixEpoch)))
        {
            writer.Add([new ScreeningDecision("O000001", Decision.NotTarget, false, null, [], [])]);
        }

        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM screening_runs"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM screening_decisions"));
        Assert.Equal(10, store.ReadOrders(CancellationToken.None).Count());
    }
}
