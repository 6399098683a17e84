using ImagingValue.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Cli.Tests;

public class ImportCrashTests
{
    [Fact]
    public void Import_KilledHalfway_WorkspaceExactlyAsBefore()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "synth", "orders", "--rows", "400000", "--out", "big.csv").ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, "synth", "paper", "--out", "paper").ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws").ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, "import", "--workspace", "ws", "--orders", "paper/orders.csv").ExitCode);
        var before = Snapshot(dir.File("ws/imaging-value.db"));

        using (var import = CliRunner.Start(dir.Path, "import", "--workspace", "ws", "--orders", "big.csv"))
        {
            // Kill it as soon as it says it is under way (stderr is not a terminal: one line per 100,000 rows).
            string? line;
            while ((line = import.StandardError.ReadLine()) is not null && !line.Contains("100,000 rows read", StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
            import.Kill(entireProcessTree: true);
            import.WaitForExit();
        }

        Assert.Equal(before, Snapshot(dir.File("ws/imaging-value.db")));
        var screen = CliRunner.Run(dir.Path, "screen", "--workspace", "ws");
        Assert.Equal(0, screen.ExitCode);
    }

    /// <summary>Integrity check plus the row count and a content digest of every table.</summary>
    private static string Snapshot(string db)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        var parts = new List<string>();
        foreach (var sql in new[]
        {
            "PRAGMA integrity_check",
            "SELECT COUNT(*) || ':' || COALESCE(TOTAL(row_hash), 0) FROM orders",
            "SELECT COUNT(*) FROM imports",
            "SELECT COUNT(*) FROM sqlite_temp_master",
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            parts.Add(Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        Assert.Equal("ok", parts[0]);
        return string.Join("|", parts);
    }
}
