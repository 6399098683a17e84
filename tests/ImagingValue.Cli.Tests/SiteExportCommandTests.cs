using System.Security.Cryptography;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary>Site exports read with a profile (<c>--map</c>): <c>import --check</c> and the canonical rows they give.</summary>
public class SiteExportCommandTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "site-exports", name);

    [Fact]
    public void FourSiteExports_EachImportedWithItsProfile_ExportIdenticalCanonicalRows()
    {
        using var dir = new TempDirectory();
        var exports = new List<string>();
        foreach (var (file, profile) in new[] { ("excel.csv", "excel.yaml"), ("semicolon.csv", "semicolon.yaml"), ("sqlserver.txt", "sqlserver.yaml"), ("us.tsv", "us.yaml") })
        {
            var ws = Path.GetFileNameWithoutExtension(file);
            Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", ws).ExitCode);
            var import = CliRunner.Run(dir.Path, "import", "--workspace", ws, "--orders", Fixture(file), "--map", Fixture(profile));
            Assert.True(import.ExitCode == 0, import.Stderr);
            Assert.Equal(0, CliRunner.Run(dir.Path, "export", "--workspace", ws, "--out", ws + "-out").ExitCode);
            exports.Add(File.ReadAllText(dir.File(ws + "-out/orders.csv")));
        }

        Assert.Single(exports.Distinct());
        Assert.Contains("A1002,P002,,2016-03-11T08:45:00", exports[0], StringComparison.Ordinal);
        Assert.Equal(5, exports[0].Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void ImportCheck_ShowsTheFirstRowsAsCanonicalAndErrorsPerField_WorkspaceByteIdentical()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws").ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, "import", "--workspace", "ws", "--orders", Fixture("canonical.csv")).ExitCode);
        // A US export with two bad rows: a status the profile does not list, a date in another shape.
        var lines = File.ReadAllLines(Fixture("us.tsv")).ToList();
        lines.Add("A1005\tP005\t3/9/2016 10:00 AM\t\tMRI SACRUM WO CONTRAST\tSacral pain\tMüller, Jörg\tFemale\t1/2/1950\tPending");
        lines.Add("A1006\tP006\t2016-03-09 10:00\t\tMRI SACRUM WO CONTRAST\tSacral pain\tMüller, Jörg\tMale\t1/2/1950\tFinal");
        File.WriteAllLines(dir.File("us.tsv"), lines);
        var before = Digest(dir.File("ws"));

        var check = CliRunner.Run(dir.Path, "import", "--workspace", "ws", "--orders", "us.tsv", "--map", Fixture("us.yaml"), "--check");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("us.tsv: orders (delimiter tab, utf-8): 6 rows read, 4 would be stored, 2 rejected; nothing stored", check.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\n  ordered_at +Ordered +2016-03-07T14:09:00 \| 2016-03-11T08:45:00 \|", check.Stdout);
        Assert.Matches(@"\n  status +Status +completed \| cancelled \| completed \| completed\n", check.Stdout);
        Assert.Contains("  1 error in Status, first: us.tsv:6: Status: 'Pending' is not one of the values the profile lists for status (Final, Canceled, Signed)", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("  1 error in Ordered, first: us.tsv:7: Ordered: '2016-03-09 10:00' does not match the profile's format for ordered_at (M/d/yyyy h:mm tt)", check.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, Digest(dir.File("ws")));
        Assert.False(Directory.Exists(dir.File("ws/rejects")));
    }

    [Fact]
    public void Import_ProfileTimeZoneOtherThanTheWorkspaces_RefusedNothingStored()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws", "--time-zone", "America/New_York").ExitCode);
        File.WriteAllText(dir.File("berlin.yaml"), "orders:\n  time_zone: Europe/Berlin\n");
        File.WriteAllText(dir.File("new-york.yaml"), "orders:\n  time_zone: America/New_York\n");
        File.WriteAllText(dir.File("orders.csv"), "order_id,patient_id,ordered_at,procedure_name\nO1,P1,2016-09-06T17:59:00Z,MRI SACRUM\n");

        var refused = CliRunner.Run(dir.Path, "import", "--workspace", "ws", "--orders", "orders.csv", "--map", "berlin.yaml");
        var imported = CliRunner.Run(dir.Path, "import", "--workspace", "ws", "--orders", "orders.csv", "--map", "new-york.yaml");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("orders.time_zone is Europe/Berlin, but this workspace's times are local times of America/New_York", refused.Stderr, StringComparison.Ordinal);
        Assert.True(imported.ExitCode == 0, imported.Stderr);
        Assert.Equal(0, CliRunner.Run(dir.Path, "export", "--workspace", "ws", "--out", "out").ExitCode);
        Assert.Contains("O1,P1,,2016-09-06T13:59:00", File.ReadAllText(dir.File("out/orders.csv")), StringComparison.Ordinal);
        Assert.Equal(1, File.ReadAllLines(dir.File("out/orders.csv")).Length - 1);
    }

    [Fact]
    public void AuditCheck_AsImportCheck_NoOutputsWritten()
    {
        using var dir = new TempDirectory();
        var lines = File.ReadAllLines(Fixture("us.tsv")).ToList();
        lines.Add("A1005\tP005\t3/9/2016 10:00 AM\t\tMRI SACRUM WO CONTRAST\tSacral pain\tMüller, Jörg\tFemale\t1/2/1950\tPending");
        File.WriteAllLines(dir.File("us.tsv"), lines);

        var check = CliRunner.Run(dir.Path, "audit", "--orders", "us.tsv", "--map", Fixture("us.yaml"), "--check", "--period", "2016-01-01..2016-12-31", "--out", "out");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("us.tsv: orders (delimiter tab, utf-8): 5 rows read, 4 would be stored, 1 rejected; nothing stored", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("  1 error in Status, first: us.tsv:6: Status: 'Pending' is not one of the values the profile lists for status (Final, Canceled, Signed)", check.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void AuditCheck_NeedsNoPeriod_AnAuditStillDoes()
    {
        using var dir = new TempDirectory();
        File.Copy(Fixture("us.tsv"), dir.File("us.tsv"));

        var check = CliRunner.Run(dir.Path, "audit", "--orders", "us.tsv", "--map", Fixture("us.yaml"), "--check");
        var audit = CliRunner.Run(dir.Path, "audit", "--orders", "us.tsv", "--map", Fixture("us.yaml"), "--out", "out");

        Assert.True(check.ExitCode == 0, check.Stderr);
        Assert.Contains("us.tsv: orders (delimiter tab, utf-8): 4 rows read, 4 would be stored, 0 rejected; nothing stored", check.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, audit.ExitCode);
        Assert.Contains("Option '--period' is required (the review period, FROM..TO); only --check does without it.", audit.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void Audit_ProfilesNamingTwoTimeZones_RefusedNothingAudited()
    {
        // import refuses a zone other than the workspace's; a one-shot audit has none, so its files must agree.
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("two-zones.yaml"), "orders:\n  time_zone: America/New_York\nconditions:\n  time_zone: Europe/Berlin\n");
        File.WriteAllText(dir.File("orders.csv"), "order_id,patient_id,ordered_at,procedure_name\nO1,P1,2016-09-06T17:59:00Z,MRI SACRUM\n");
        File.WriteAllText(dir.File("conditions.csv"), "patient_id,code,recorded_at\nP1,C50.9,2016-09-01T08:00:00Z\n");

        var refused = CliRunner.Run(dir.Path, "audit", "--orders", "orders.csv", "--conditions", "conditions.csv", "--map", "two-zones.yaml", "--period", "2016-01-01..2016-12-31", "--out", "out");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("audit: the --map profile's conditions.time_zone is Europe/Berlin, but its orders.time_zone is America/New_York: the files' times would be on two clocks: nothing audited", refused.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    /// <summary>Every file of the workspace folder, byte for byte.</summary>
    private static string Digest(string folder) =>
        string.Join('\n', Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(folder, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));
}
