using ImagingValue.Cli.Tests.Support;
using Npgsql;

namespace ImagingValue.Cli.Tests;

/// <summary>
/// The commands on a PostgreSQL workspace (<c>init --database</c>), on a new database of the cluster
/// <c>IV_TEST_POSTGRES</c> names (./test starts one): the same audit as on SQLite, and a password given in the
/// connection is used but never kept or printed.
/// </summary>
public sealed class PostgresWorkspaceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<string> _databases = [];

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void InitDatabase_PasswordInConnection_NotInAnyFileOrOutput()
    {
        const string Secret = "Pw-7f3c9e1d-not-kept";
        var cluster = Cluster();
        var database = CreateDatabase();
        var uri = $"postgresql://{cluster.Username}:{Secret}@{cluster.Host}:{cluster.Port}/{database}";
        Assert.Equal(0, CliRunner.Run(_dir.Path, "synth", "paper", "--out", "data").ExitCode);

        var runs = new List<CliRunner.Result>
        {
            CliRunner.Run(_dir.Path, "init", "--workspace", "ws", "--database", uri),
            CliRunner.Run(_dir.Path, "import", "--workspace", "ws", "--orders", "data/orders.csv", "--conditions", "data/conditions.csv", "--reports", "data/reports.csv", "--reviews", "data/reviews.csv", "--strict"),
            CliRunner.Run(_dir.Path, "screen", "--workspace", "ws"),
        };

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Stderr));
        Assert.Contains($"postgresql://{cluster.Username}@{cluster.Host}:{cluster.Port}/{database}", runs[0].Stderr, StringComparison.Ordinal);
        Assert.All(runs, r => Assert.DoesNotContain(Secret, r.Stdout + r.Stderr, StringComparison.Ordinal));
        var files = Directory.GetFiles(_dir.File("ws"), "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => Path.GetFileName(f) == "workspace.json");
        Assert.DoesNotContain(files, f => Path.GetFileName(f) == "imaging-value.db");
        Assert.All(files, f => Assert.DoesNotContain(Secret, File.ReadAllText(f), StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("ws/workspace.json")));
        // The orders went to the database named, not to a file.
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = database }.ConnectionString);
        connection.Open();
        using var count = new NpgsqlCommand("SELECT COUNT(*) FROM orders", connection);
        Assert.True((long)count.ExecuteScalar()! > 1000);
    }

    [Fact]
    public void PaperAudit_PostgresAndSqlite_SameSummaryAndScreening()
    {
        Assert.Equal(0, CliRunner.Run(_dir.Path, "synth", "paper", "--out", "data").ExitCode);
        Assert.Equal(0, CliRunner.Run(_dir.Path, "init", "--workspace", "sqlite").ExitCode);
        var init = CliRunner.Run(_dir.Path, "init", "--workspace", "pg", "--database", new NpgsqlConnectionStringBuilder(Cluster().ConnectionString) { Database = CreateDatabase() }.ConnectionString);
        Assert.True(init.ExitCode == 0, init.Stderr);

        foreach (var workspace in new[] { "sqlite", "pg" })
        {
            var import = CliRunner.Run(_dir.Path, "import", "--workspace", workspace, "--orders", "data/orders.csv", "--conditions", "data/conditions.csv", "--reports", "data/reports.csv", "--reviews", "data/reviews.csv", "--strict");
            Assert.True(import.ExitCode == 0, import.Stderr);
            var screen = CliRunner.Run(_dir.Path, "screen", "--workspace", workspace);
            Assert.True(screen.ExitCode == 0, screen.Stderr);
            var analyze = CliRunner.Run(_dir.Path, "analyze", "--workspace", workspace, "--period", "2013-07-01..2017-06-30", "--follow-up", "2018-07-01..2018-09-30", "--json", $"{workspace}-summary.json");
            Assert.True(analyze.ExitCode == 0, analyze.Stderr);
        }

        Assert.Equal(File.ReadAllText(_dir.File("sqlite/screening.csv")), File.ReadAllText(_dir.File("pg/screening.csv")));
        Assert.Equal(File.ReadAllText(_dir.File("sqlite-summary.json")), File.ReadAllText(_dir.File("pg-summary.json")));
        Assert.Contains("\"savings\": 25112", File.ReadAllText(_dir.File("pg-summary.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void InitDatabase_ServerNotThere_OneLineWithoutPasswordAndNoWorkspace()
    {
        var result = CliRunner.Run(_dir.Path, "init", "--workspace", "ws", "--database", "postgresql://someone:Secret-1@127.0.0.1:1/nowhere");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("postgresql://someone@127.0.0.1:1/nowhere: cannot open the PostgreSQL workspace", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret-1", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("ws/workspace.json")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void PasswordAccount_PasswordFromPgpasswordOrPassfile_NeverFromTheFolder()
    {
        // scripts/test-postgres.sh makes this account give a password (scram-sha-256); every other is trusted.
        const string Account = "iv_password_test";
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var cluster = Cluster();
        var database = CreateDatabase();
        using (var admin = new NpgsqlConnection(cluster.ConnectionString))
        {
            admin.Open();
            using var role = new NpgsqlCommand(
                $"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{Account}') THEN CREATE ROLE {Account} LOGIN; END IF; END $$; " +
                $"ALTER ROLE {Account} PASSWORD '{password}'; ALTER DATABASE {database} OWNER TO {Account}",
                admin);
            role.ExecuteNonQuery();
        }

        var passfile = _dir.File("pgpass");
        File.WriteAllText(passfile, $"{cluster.Host}:{cluster.Port}:{database}:{Account}:{password}\n");
        File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // No password anywhere: an empty password file (Npgsql refuses a PGPASSFILE that does not exist) stands for ~/.pgpass.
        var empty = _dir.File("empty-pgpass");
        File.WriteAllText(empty, "");
        File.SetUnixFileMode(empty, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var none = new Dictionary<string, string?> { ["PGPASSWORD"] = null, ["PGPASSFILE"] = empty };

        var init = CliRunner.RunWithEnvironment(_dir.Path, none, "init", "--workspace", "ws", "--database", $"postgresql://{Account}:{password}@{cluster.Host}:{cluster.Port}/{database}");
        var withoutPassword = CliRunner.RunWithEnvironment(_dir.Path, none, "intervention", "list", "--workspace", "ws");
        var fromVariable = CliRunner.RunWithEnvironment(_dir.Path, new Dictionary<string, string?>(none) { ["PGPASSWORD"] = password }, "intervention", "list", "--workspace", "ws");
        var fromFile = CliRunner.RunWithEnvironment(_dir.Path, new Dictionary<string, string?>(none) { ["PGPASSFILE"] = passfile }, "migrate", "--workspace", "ws", "--check");

        Assert.True(init.ExitCode == 0, init.Stderr);
        Assert.Equal(1, withoutPassword.ExitCode);
        Assert.Contains($"postgresql://{Account}@{cluster.Host}:{cluster.Port}/{database}: cannot open the PostgreSQL workspace", withoutPassword.Stderr, StringComparison.Ordinal);
        Assert.True(fromVariable.ExitCode == 0, fromVariable.Stderr);
        Assert.True(fromFile.ExitCode == 0, fromFile.Stderr);
        Assert.Contains("nothing to apply", fromFile.Stderr, StringComparison.Ordinal);
        Assert.All(new[] { init, withoutPassword, fromVariable, fromFile }, r => Assert.DoesNotContain(password, r.Stdout + r.Stderr, StringComparison.Ordinal));
        Assert.DoesNotContain(password, File.ReadAllText(_dir.File("ws/workspace.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void InitDatabase_FolderHoldsSqliteWorkspace_OneLineAndSqliteKept()
    {
        Assert.Equal(0, CliRunner.Run(_dir.Path, "init", "--workspace", "ws").ExitCode);

        var result = CliRunner.Run(_dir.Path, "init", "--workspace", "ws", "--database", new NpgsqlConnectionStringBuilder(Cluster().ConnectionString) { Database = "postgres" }.ConnectionString);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already holds a SQLite workspace", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("ws/workspace.json")));
    }

    [Fact]
    public void InitDatabase_FolderPointsToAnotherDatabase_RefusedAndFolderUnchanged()
    {
        var cluster = Cluster();
        var first = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = CreateDatabase() }.ConnectionString;
        var second = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = CreateDatabase() }.ConnectionString;
        Assert.Equal(0, CliRunner.Run(_dir.Path, "init", "--workspace", "ws", "--database", first).ExitCode);
        var recorded = File.ReadAllText(_dir.File("ws/workspace.json"));

        var again = CliRunner.Run(_dir.Path, "init", "--workspace", "ws", "--database", first);
        var elsewhere = CliRunner.Run(_dir.Path, "init", "--workspace", "ws", "--database", second);

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(1, elsewhere.ExitCode);
        Assert.Contains($"already holds the workspace in postgresql://{cluster.Username}@{cluster.Host}:{cluster.Port}/{new NpgsqlConnectionStringBuilder(first).Database}", elsewhere.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", elsewhere.Stderr, StringComparison.Ordinal);
        Assert.Equal(recorded, File.ReadAllText(_dir.File("ws/workspace.json")));
    }

    [Theory]
    [InlineData("{\"provider\": \"postgresql\", \"connection\": ", "line 2: not JSON")]
    [InlineData("{\"provider\": \"mysql\", \"connection\": \"Host=x\"}", "provider")]
    public void DamagedWorkspaceJson_OneLineNamingTheFile(string json, string expected)
    {
        Directory.CreateDirectory(_dir.File("ws"));
        File.WriteAllText(_dir.File("ws/workspace.json"), json + "\n");

        var result = CliRunner.Run(_dir.Path, "intervention", "list", "--workspace", "ws");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("workspace.json", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Migrate_SqliteWorkspace_UsageErrorSayingSo()
    {
        Assert.Equal(0, CliRunner.Run(_dir.Path, "init", "--workspace", "ws").ExitCode);

        var result = CliRunner.Run(_dir.Path, "migrate", "--workspace", "ws");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not a PostgreSQL workspace", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_StatementOverTheSitesCommandTimeout_OneLineSayingSo()
    {
        // A site's own Command Timeout is kept for a command's reads (commands otherwise run without one; an import's
        // statements never have one), and running past it is one line naming the setting, not "unexpected error"
        // with a stack trace. Another session's lock on the orders table holds the export's read.
        Assert.Equal(0, CliRunner.Run(_dir.Path, "synth", "paper", "--out", "data").ExitCode);
        var database = new NpgsqlConnectionStringBuilder(Cluster().ConnectionString) { Database = CreateDatabase() };
        var init = CliRunner.Run(_dir.Path, "init", "--workspace", "ws", "--database", database.ConnectionString + ";Command Timeout=2");
        Assert.True(init.ExitCode == 0, init.Stderr);
        Assert.Equal(0, CliRunner.Run(_dir.Path, "import", "--workspace", "ws", "--orders", "data/orders.csv").ExitCode);
        using var holder = new NpgsqlConnection(database.ConnectionString);
        holder.Open();
        using var hold = holder.BeginTransaction();
        using (var lockOrders = new NpgsqlCommand("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE", holder, hold))
        {
            lockOrders.ExecuteNonQuery();
        }

        var export = CliRunner.Run(_dir.Path, "export", "--workspace", "ws", "--out", "out");
        hold.Rollback();

        Assert.Equal(1, export.ExitCode);
        Assert.StartsWith("imaging-value: the workspace's database failed (no answer within the connection string's Command Timeout): ", export.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", export.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", export.Stderr, StringComparison.Ordinal);
    }

    private static NpgsqlConnectionStringBuilder Cluster() =>
        Environment.GetEnvironmentVariable("IV_TEST_POSTGRES") is { Length: > 0 } cluster
            ? new NpgsqlConnectionStringBuilder(cluster)
            : throw new InvalidOperationException("IV_TEST_POSTGRES is not set: run ./test, which starts a throwaway PostgreSQL cluster (scripts/test-postgres.sh) and sets it");

    private string CreateDatabase()
    {
        var name = "iv_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        using var connection = new NpgsqlConnection(Cluster().ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        _databases.Add(name);
        return name;
    }

    public void Dispose()
    {
        if (_databases.Count > 0)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(Cluster().ConnectionString);
            connection.Open();
            foreach (var name in _databases)
            {
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
                drop.ExecuteNonQuery();
            }
        }

        _dir.Dispose();
    }
}
