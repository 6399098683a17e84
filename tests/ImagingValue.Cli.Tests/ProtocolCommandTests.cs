using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary>protocol list | show | test as a QI lead runs them (contracts section 9).</summary>
public sealed class ProtocolCommandTests
{
    [Fact]
    public void Test_BuiltInSacrum_PassesEveryExample()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "protocol", "test", "sacrum-mri-lbp");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Matches(@"^sacrum-mri-lbp: (\d+) of \1 examples pass\n$", run.Stdout);
    }

    [Fact]
    public void Test_FileWithAWrongExample_Exits1AndPrintsTheEvidence()
    {
        using var dir = new TempDirectory();
        var fixture = Path.Combine(AppContext.BaseDirectory, "TestData", "knee-protocol");
        foreach (var file in Directory.GetFiles(fixture, "*.json"))
        {
            File.Copy(file, dir.File(Path.GetFileName(file)));
        }

        File.WriteAllText(dir.File("knee.yaml"), File.ReadAllText(Path.Combine(fixture, "knee-mri-pain.yaml")) + """

            examples:
              - text: right knee pain for 3 months
                expect: included
              - text: knee pain with locking episodes
                expect: included
            """);
        var run = CliRunner.Run(dir.Path, "protocol", "test", "knee.yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("knee.yaml:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"knee pain with locking episodes\": expected included, got excluded (mechanical_symptoms)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("evidence: indication: \"knee pain with locking episodes\" [mechanical_symptoms", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("knee-mri-pain: 1 of 2 examples pass, 1 fails", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ListAndShow_DescribeTheBuiltInProtocols()
    {
        using var dir = new TempDirectory();
        var list = CliRunner.Run(dir.Path, "protocol", "list");
        var show = CliRunner.Run(dir.Path, "protocol", "show", "sacrum-mri-lbp");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("sacrum-mri-lbp: MRI of the sacrum/coccyx for low back or tailbone pain (9 red flags, ", list.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("[recent_trauma]", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("text phrases (trauma): trauma, ", show.Stdout, StringComparison.Ordinal);
    }
}
