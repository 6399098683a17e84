using System.Text;
using ImagingValue.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Cli.Tests;

/// <summary>
/// What only reads writes nothing: monitor, report and a repeated analyze of unchanged data reuse the latest screening
/// run and leave the workspace database as it was; changed data or a changed protocol screens again.
/// </summary>
public sealed class ReadOnlyCommandsTests
{
    private const string Period = "2013-07-01..2017-06-30";

    [Fact]
    public void MonitorReportAndRepeatedAnalyze_UnchangedData_LeaveTheDatabaseUnchanged()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "demo", "--out", "demo").ExitCode);
        var workspace = dir.File("demo/workspace");
        var before = Dump(workspace);

        var steps = new[]
        {
            new[] { "monitor", "--workspace", workspace, "--json", dir.File("monitor.json") },
            ["report", "--workspace", workspace, "--period", Period, "--intervention", "2018-06-30", "--follow-up", "2018-07-01..2018-09-30", "--out", dir.File("report")],
            ["analyze", "--workspace", workspace, "--period", Period, "--intervention", "2018-06-30", "--follow-up", "2018-07-01..2018-09-30", "--out", dir.File("analyze")],
        };
        foreach (var step in steps)
        {
            var run = CliRunner.Run(dir.Path, step);
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Equal(before, Dump(workspace));
        }

        // The outputs come from the stored run: the same screening log as the demo's own analysis wrote.
        Assert.Equal(File.ReadAllBytes(dir.File("demo/screening.csv")), File.ReadAllBytes(dir.File("analyze/screening.csv")));
    }

    [Fact]
    public void Analyze_AfterAnImportChangedOrders_ScreensAgain_AndScreenAlwaysDoes()
    {
        using var dir = new TempDirectory();
        var workspace = dir.File("ws");
        File.WriteAllText(dir.File("orders.csv"), """
            order_id,patient_id,ordered_at,procedure_name,indication
            A1,P1,2015-03-02T09:00,MRI SACRUM WO CONTRAST,chronic low back pain
            A2,P2,2015-04-02T09:00,MRI SACRUM WO CONTRAST,"low back pain, hx breast cancer"
            """);
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", workspace).ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, "import", "--workspace", workspace, "--orders", dir.File("orders.csv")).ExitCode);
        var analyze = new[] { "analyze", "--workspace", workspace, "--period", "2015-01-01..2015-12-31", "--json", dir.File("summary.json") };

        Assert.Equal(0, CliRunner.Run(dir.Path, analyze).ExitCode);
        Assert.Equal(1, Runs(workspace));
        Assert.Equal(0, CliRunner.Run(dir.Path, analyze).ExitCode);
        Assert.Equal(1, Runs(workspace));

        // Re-importing the same file changes nothing, so nothing is screened again.
        Assert.Equal(0, CliRunner.Run(dir.Path, "import", "--workspace", workspace, "--orders", dir.File("orders.csv")).ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, analyze).ExitCode);
        Assert.Equal(1, Runs(workspace));

        // A changed order is new data: the next analysis screens again and sees it.
        File.WriteAllText(dir.File("orders.csv"), File.ReadAllText(dir.File("orders.csv")).Replace("hx breast cancer", "no red flags", StringComparison.Ordinal));
        Assert.Equal(0, CliRunner.Run(dir.Path, "import", "--workspace", workspace, "--orders", dir.File("orders.csv")).ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, analyze).ExitCode);
        Assert.Equal(2, Runs(workspace));
        Assert.Contains("\"included\": 2", File.ReadAllText(dir.File("summary.json")), StringComparison.Ordinal);

        // screen is the explicit request: it always stores a run.
        Assert.Equal(0, CliRunner.Run(dir.Path, "screen", "--workspace", workspace).ExitCode);
        Assert.Equal(3, Runs(workspace));
    }

    private static long Runs(string workspace)
    {
        using var connection = Open(workspace);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM screening_runs";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Every table's schema and rows, as text.</summary>
    private static string Dump(string workspace)
    {
        using var connection = Open(workspace);
        var dump = new StringBuilder();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
                dump.AppendLine(reader.GetString(1));
            }
        }

        foreach (var table in tables)
        {
            using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = rows.ExecuteReader();
            while (reader.Read())
            {
                dump.Append(table);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    dump.Append('\t').Append(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                }

                dump.AppendLine();
            }
        }

        return dump.ToString();
    }

    private static SqliteConnection Open(string workspace)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(workspace, "imaging-value.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
