using ImagingValue.Core.Data;
using ImagingValue.Core.Review;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;
using ImagingValue.Storage.Tests.Contracts;
using ImagingValue.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Storage.Tests.Sqlite;

/// <summary>What is SQLite's own: the file, its migrations, the page decoder, the stored encodings and triggers.</summary>
public sealed class SqliteWorkspaceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iv-store-").FullName;

    private string DbPath => Path.Combine(_dir, SqliteWorkspace.FileName);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Create_NewWorkspace_FolderAndDatabaseReadableByTheOwnerOnly()
    {
        var folder = Path.Combine(_dir, "new-workspace");
        using (SqliteWorkspace.Create(folder, TimeProvider.System))
        {
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, SqliteWorkspace.FileName)));
    }

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
        using (SqliteWorkspace.Create(_dir, TimeProvider.System))
        {
        }

        Assert.Equal(SqliteWorkspace.SchemaVersion, Scalar("SELECT MAX(version) FROM schema_version"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'screening_decisions'"));
    }

    [Fact]
    public void Open_NoWorkspace_ThrowsNamingTheFolder()
    {
        var ex = Assert.Throws<WorkspaceNotFoundException>(() => SqliteWorkspace.Open(Path.Combine(_dir, "missing"), TimeProvider.System));
        Assert.Contains("init --workspace", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SchemaNewerThanProgram_Refused()
    {
        using (SqliteWorkspace.Create(_dir, TimeProvider.System))
        {
        }

        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE schema_version SET version = 999";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<InvalidOperationException>(() => SqliteWorkspace.Open(_dir, TimeProvider.System));
        Assert.Contains("newer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOrderPages_VariedValues_DecodeAsTheDataReaderReadsThem()
    {
        // The page decoder reads SQLite's bytes itself; the data reader path (GetOrdersAsync) is the reference.
        using var store = SqliteWorkspace.Create(_dir, TimeProvider.System);
        await using (var session = await store.Imports.BeginImportAsync(CanonicalTable.Orders, "orders.csv", CancellationToken.None))
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
                Set(values, "patient_sex", SexWord(i));
                Set(values, "patient_birth_date", i % 23 == 0 ? null : $"19{40 + (i % 50)}-0{1 + (i % 9)}-1{i % 10}");
                Set(values, "status", StatusWord(i));
                await session.StageAsync(i + 2, id, values, null, CancellationToken.None);
            }

            await session.CommitAsync(new HashSet<string>(), 0, CancellationToken.None);
        }

        var expected = await store.Data.GetOrdersAsync(CancellationToken.None);
        var pages = new List<OrderPage>();
        await foreach (var page in store.Data.ReadOrderPagesAsync(CancellationToken.None))
        {
            pages.Add(page);
        }

        var actual = pages.AsParallel().AsOrdered().SelectMany(page => page.Decode()).ToList();

        Assert.Equal(9_000, expected.Count);
        Assert.Equal(pages.Sum(p => p.Count), actual.Count);
        Assert.Equal(expected.Select(o => o with { ReasonCodes = [] }), actual.Select(o => o with { ReasonCodes = [] }));
        Assert.Equal(expected.Select(o => string.Join('|', o.ReasonCodes)), actual.Select(o => string.Join('|', o.ReasonCodes)));
        Assert.Throws<ObjectDisposedException>(() => pages[0].Decode()); // its bytes went back to the pool
        // Every stored word decodes to the value whose word it is, on both paths.
        Assert.Equal(Enumerable.Range(0, 9_000).Select(StatusWord), actual.Select(o => o.Status.ToWord()));
        Assert.Equal(Enumerable.Range(0, 9_000).Select(SexWord), actual.Select(o => o.Sex?.ToWord()));
        Assert.Equal(Enumerable.Range(0, 9_000).Select(SexWord), expected.Select(o => o.Sex?.ToWord()));
        Assert.Equal(OrderStatuses.All, actual.Select(o => o.Status).Distinct().Order());
    }

    private static readonly string[] _statusWords = ["completed", "cancelled", "scheduled", "in-progress", "ordered", "on-hold", "discontinued", "entered-in-error"];

    private static string StatusWord(int i) => i % 29 == 0 ? _statusWords[(i / 29) % _statusWords.Length] : "completed";

    private static string? SexWord(int i) => i % 19 == 0 ? null : "FMOU"[i % 4].ToString();

    private static void Set(string?[] values, string column, string? value) => values[CanonicalTable.Orders.IndexOf(column)] = value;

    [Fact]
    public void OpenForService_NoWorkspace_ThrowsNamingTheFolder()
    {
        var missing = Path.Combine(_dir, "nothing-here");

        var error = Assert.Throws<WorkspaceNotFoundException>(() => SqliteWorkspace.Open(missing, TimeProvider.System, WorkspaceUse.Service));

        Assert.Equal(missing, error.Directory);
    }

    [Fact]
    public async Task ScreeningRun_DecisionsStoredInTheirColumns()
    {
        using var store = SqliteWorkspace.Create(_dir, TimeProvider.System);

        var id = await Seed.SaveRunAsync(store.Screening, Seed.Stamp(), [
            new ScreeningDecision("O1", Decision.Excluded, true, "tumor", ["tumor", "recent_trauma"], [new ScreeningEvidence(EvidenceSource.Indication, EvidenceRole.Counted, For: "tumor", Concept: "tumor", Text: "hx breast ca", Mention: new TextSpan(3, 9), Sentence: new TextSpan(0, 12), Qualifiers: EvidenceQualifiers.Historical)]),
            new ScreeningDecision("O2", Decision.Included, true, null, [], [new ScreeningEvidence(EvidenceSource.Indication, EvidenceRole.Counted, For: "low_back_pain", Concept: "low_back_pain", Text: "LBP", Mention: new TextSpan(0, 3), Sentence: new TextSpan(0, 3))]),
        ]);

        Assert.Equal(1, id);
        Assert.Equal(2, Scalar("SELECT decisions FROM screening_runs WHERE run_id = 1"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM screening_decisions WHERE reason = 'tumor' AND reasons = 'tumor;recent_trauma' AND evidence LIKE '%hx breast ca%'"));
    }

    [Fact]
    public async Task ReviewAudit_DeleteOrUpdate_RefusedByTheDatabase()
    {
        using (var store = SqliteWorkspace.Create(_dir, TimeProvider.System))
        {
            var review = new ExamReview("A1", "ana", false, false, true, "notes", ManagementChange.None, "primary", new DateTime(2026, 11, 27, 14, 0, 0));
            await store.Reviews.SaveReviewAsync(new ReviewDraft(review, []), 0, "ana", Seed.At, CancellationToken.None);
        }

        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        foreach (var sql in new[] { "DELETE FROM review_audit", "UPDATE review_audit SET new_value = 'x'" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            var ex = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
            Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        }
    }
}
