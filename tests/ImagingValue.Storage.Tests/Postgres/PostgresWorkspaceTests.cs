using ImagingValue.Core.Data;
using ImagingValue.Core.Review;
using ImagingValue.Core.Storage;
using ImagingValue.Storage.Postgres;
using Npgsql;

namespace ImagingValue.Storage.Tests.Postgres;

/// <summary>
/// What only the PostgreSQL provider has: migrations raced by two processes, concurrent review saves on separate
/// connections, and the folder's <c>workspace.json</c> (connection strings, URIs, the password never kept).
/// </summary>
public sealed class PostgresWorkspaceTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly List<NpgsqlConnectionStringBuilder> _databases = [];
    private readonly string _dir = Directory.CreateTempSubdirectory("iv-pg-location-").FullName;

    [Fact]
    public async Task Open_ManyAtOnceOnANewDatabase_EachMigrationAppliedOnce()
    {
        var database = NewDatabase();

        // Without the advisory lock, the openers race to CREATE TABLE and all but one fail.
        using var start = new Barrier(6);
        var opened = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            using var workspace = PostgresWorkspace.Connect(database, TimeProvider.System);
            return workspace.Location;
        })));

        Assert.All(opened, location => Assert.EndsWith("/" + database.Database, location, StringComparison.Ordinal));
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var versions = new NpgsqlCommand("SELECT COUNT(*), COUNT(DISTINCT version), MAX(version) FROM schema_migrations", connection);
        await using var reader = await versions.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal((PostgresWorkspace.SchemaVersion, PostgresWorkspace.SchemaVersion, PostgresWorkspace.SchemaVersion), ((int)reader.GetInt64(0), (int)reader.GetInt64(1), reader.GetInt32(2)));
    }

    [Fact]
    public async Task SaveReview_ManyAtOnceAgainstOneRevision_ExactlyOneSaved()
    {
        using var workspace = PostgresWorkspace.Connect(NewDatabase(), TimeProvider.System);
        var at = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

        // Eight tabs loaded the empty form (revision 0) and save at once, each on a pooled connection of its own.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            workspace.Reviews.SaveReviewAsync(new ReviewDraft(new ExamReview("A1", "ana", i % 2 == 0, null, null, $"tab {i}", null, "primary", null), []), 0, "ana", at, Ct))));

        Assert.Single(results, r => r.Saved);
        Assert.Equal(7, results.Count(r => r.IsConflict));
        var stored = Assert.Single(await workspace.Reviews.GetExamReviewsAsync("A1", Ct));
        Assert.Equal(results.Single(r => r.Saved).Current!.Review.FindingNotes, stored.Review.FindingNotes);
    }

    [Fact]
    public async Task BulkImportAndRun_LeaveTheirTablesAnalyzed_SmallOnesLeaveItToAutovacuum()
    {
        // PostgresRows.AnalyzeAfterRows: the rows a bulk path changes before it refreshes the planner's statistics.
        const int Bulk = 10_000;
        var database = NewDatabase();
        using var workspace = PostgresWorkspace.Connect(database, TimeProvider.System);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        // Autovacuum must not do it for us during the test.
        await using (var off = new NpgsqlCommand("ALTER TABLE orders SET (autovacuum_enabled = false); ALTER TABLE worklist_exams SET (autovacuum_enabled = false); ALTER TABLE screening_decisions SET (autovacuum_enabled = false); ALTER TABLE screening_evidence SET (autovacuum_enabled = false)", connection))
        {
            await off.ExecuteNonQueryAsync(Ct);
        }

        async Task<List<string>> AnalyzedAsync()
        {
            await using var analyzed = new NpgsqlCommand("SELECT relname::text FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL ORDER BY relname", connection);
            var tables = new List<string>();
            await using var reader = await analyzed.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                tables.Add(reader.GetString(0));
            }

            return tables;
        }

        await Contracts.Seed.ImportOrdersAsync(workspace.Imports, 5);
        await Contracts.Seed.SaveRunAsync(workspace.Screening, Contracts.Seed.Stamp(fingerprint: "small"), [new Core.Screening.ScreeningDecision("O000000", Core.Screening.Decision.Included, true, null, [], [])]);
        var afterSmall = await AnalyzedAsync();
        await Contracts.Seed.ImportOrdersAsync(workspace.Imports, Bulk + 5); // 5 unchanged, Bulk new
        await Contracts.Seed.SaveRunAsync(workspace.Screening, Contracts.Seed.Stamp(), [.. Enumerable.Range(0, Bulk).Select(i => new Core.Screening.ScreeningDecision($"O{i:D6}", Core.Screening.Decision.Included, true, null, [], []))]);

        Assert.Empty(afterSmall);
        Assert.Equal(["orders", "screening_decisions", "screening_evidence", "worklist_exams"], await AnalyzedAsync());
    }

    [Fact]
    public async Task Import_ChunkTheServerRefusesWhileLaterRowsAreRead_ImportStopsAndNothingWritten()
    {
        using var workspace = PostgresWorkspace.Connect(NewDatabase(), TimeProvider.System);
        var refused = false;
        await using (var session = await workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "a.csv", Ct))
        {
            try
            {
                // Row 5 holds a NUL, which PostgreSQL text refuses: its chunk's COPY fails while later chunks are staged.
                for (var i = 0; i < 30_000; i++)
                {
                    var id = $"O{i:D6}";
                    await session.StageAsync(i + 2, id, Contracts.Seed.OrderValues(id, i == 5 ? "LBP\0" : "LBP"), null, Ct);
                }

                await session.FindConflictsAsync(Ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CharacterNotInRepertoire)
            {
                refused = true;
            }
        }

        Assert.True(refused);
        var counts = await workspace.CountRowsAsync(Ct);
        Assert.Equal((0L, 0L), (counts["orders"], counts["imports"]));
    }

    [Fact]
    public async Task Import_StatementLongerThanTheConnectionsCommandTimeout_Completes()
    {
        // A 10,000,000-order import's statements run for minutes; the connection string's Command Timeout (Npgsql's
        // default 30 s) must not end them. Here the merge waits 3 s for a lock, against a timeout of 1 s.
        var database = NewDatabase();
        using var workspace = PostgresWorkspace.Connect(new NpgsqlConnectionStringBuilder(database.ConnectionString) { CommandTimeout = 1 }, TimeProvider.System);
        await Contracts.Seed.ImportOrdersAsync(workspace.Imports, 1);
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync(Ct);
        await using var hold = await holder.BeginTransactionAsync(Ct);
        await using (var lockOrders = new NpgsqlCommand("LOCK TABLE orders IN SHARE MODE", holder, hold))
        {
            await lockOrders.ExecuteNonQueryAsync(Ct);
        }

        var release = Task.Delay(TimeSpan.FromSeconds(3), Ct).ContinueWith(_ => hold.CommitAsync(Ct), Ct, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        ImportCounts counts;
        await using (var session = await workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "a.csv", Ct))
        {
            await session.StageAsync(2, "O000001", Contracts.Seed.OrderValues("O000001"), null, Ct);
            Assert.Empty(await session.FindConflictsAsync(Ct));
            counts = await session.CommitAsync(new HashSet<string>(), 0, Ct);
        }

        await release;
        Assert.Equal(new ImportCounts(1, 0, 0), counts);
        Assert.Equal(2, (await workspace.CountRowsAsync(Ct))["orders"]);
    }

    [Fact]
    public void Parse_Uri_EveryPartAndOptionsPasswordUnescaped()
    {
        var builder = PostgresLocation.Parse("postgresql://iv%20user:p%40ss@db.example.org:6543/imaging?sslmode=require&application_name=iv");

        Assert.Equal(("iv user", "p@ss", "db.example.org", 6543, "imaging"), (builder.Username, builder.Password, builder.Host, builder.Port, builder.Database));
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal("iv", builder.ApplicationName);
        Assert.Equal("postgresql://iv%20user@db.example.org:6543/imaging", PostgresLocation.Describe(builder));
        Assert.DoesNotContain("p@ss", PostgresLocation.WithoutPassword(builder), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NeitherForm_FormatErrorWithoutTheText()
    {
        var error = Assert.Throws<FormatException>(() => PostgresLocation.Parse("Host=x;Pasword=hunter2"));

        Assert.StartsWith("--database: not a PostgreSQL connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteThenRead_PasswordDroppedAndTheRestKept()
    {
        var builder = PostgresLocation.Parse("Host=127.0.0.1;Port=5433;Username=iv;Password=hunter2;Database=site;Passfile=/etc/iv/pgpass");

        PostgresLocation.Write(_dir, builder);
        var read = PostgresLocation.Read(_dir);

        Assert.DoesNotContain("hunter2", File.ReadAllText(Path.Combine(_dir, PostgresLocation.FileName)), StringComparison.Ordinal);
        Assert.Null(read.Password);
        Assert.Equal(("127.0.0.1", 5433, "iv", "site", "/etc/iv/pgpass"), (read.Host, read.Port, read.Username, read.Database, read.Passfile));
        Assert.True(PostgresLocation.IsIn(_dir));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, PostgresLocation.FileName)));
        }
    }

    [Theory]
    [InlineData("{\"provider\": \"mysql\", \"connection\": \"Host=x\"}", "field \"provider\": expected \"postgresql\", found \"mysql\"")]
    [InlineData("{\"provider\": \"postgresql\"}", "field \"connection\": missing or empty")]
    [InlineData("{\"provider\": \"postgresql\",\n \"connection\": 3}", "field \"connection\": missing or empty")]
    [InlineData("{\"provider\": \"postgresql\",\n \"connection\": \"Hots=x\"}", "field \"connection\": ")]
    [InlineData("{\"provider\":\n", "line 2: not JSON")]
    public void Read_Malformed_ErrorNamesFileAndField(string json, string expected)
    {
        var path = Path.Combine(_dir, PostgresLocation.FileName);
        File.WriteAllText(path, json);

        var error = Assert.Throws<InvalidDataException>(() => PostgresLocation.Read(_dir));

        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", WorkspaceUse.Command, 0)]
    [InlineData("", WorkspaceUse.Service, 30)]
    [InlineData("", WorkspaceUse.Feed, 30)]
    [InlineData(";Command Timeout=120", WorkspaceUse.Command, 120)]
    [InlineData(";CommandTimeout=5", WorkspaceUse.Service, 5)]
    public void Open_ACommandsStatementsHaveNoTimeLimitUnlessTheSiteSetsOne(string given, WorkspaceUse use, int seconds)
    {
        // The 10,000,000-order import's INSERT ran past Npgsql's 30-second default and the import failed.
        PostgresLocation.Write(_dir, PostgresLocation.Parse(NewDatabase().ConnectionString + given));

        using var workspace = PostgresWorkspace.Open(_dir, TimeProvider.System, use);

        Assert.Equal(seconds, workspace.CommandTimeoutSeconds);
    }

    private NpgsqlConnectionStringBuilder NewDatabase()
    {
        var database = PostgresTestWorkspace.CreateDatabase();
        _databases.Add(database);
        return database;
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            PostgresTestWorkspace.DropDatabase(database);
        }

        Directory.Delete(_dir, recursive: true);
    }
}
