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
