using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary>protocol list | show | test as a QI lead runs them (contracts section 9).</summary>
public sealed class ProtocolCommandTests
{
    [Theory]
    [InlineData("sacrum-mri-lbp")]
    [InlineData("lumbar-imaging-lbp")]
    [InlineData("head-imaging-headache")]
    public void Test_BuiltIn_PassesEveryExample(string id)
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "protocol", "test", id);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Matches($@"^{id}: (\d+) of \1 examples pass\n$", run.Stdout);
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
        Assert.Contains("lumbar-imaging-lbp: Lumbar spine imaging (radiograph, CT or MRI) for low back pain (12 red flags, ", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("head-imaging-headache: Head CT or brain MRI for headache (13 red flags, ", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_ASiteFile_TellsToTestItByItsPath()
    {
        // A site's protocol is not found by its id, so `protocol test knee-mri-pain` would fail.
        using var dir = new TempDirectory();
        var fixture = Path.Combine(AppContext.BaseDirectory, "TestData", "knee-protocol");
        foreach (var file in Directory.GetFiles(fixture))
        {
            File.Copy(file, dir.File(Path.GetFileName(file)));
        }

        var show = CliRunner.Run(dir.Path, "protocol", "show", "knee-mri-pain.yaml");
        var builtIn = CliRunner.Run(dir.Path, "protocol", "show", "sacrum-mri-lbp");

        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("example cases; `protocol test knee-mri-pain.yaml` checks them.", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("example cases; `protocol test sacrum-mri-lbp` checks them.", builtIn.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_Lumbar_SaysWhichFlagsNeedAnAgeOrADuration()
    {
        using var dir = new TempDirectory();
        var show = CliRunner.Run(dir.Path, "protocol", "show", "lumbar-imaging-lbp");

        Assert.Equal(0, show.ExitCode);
        Assert.Contains("[minor_trauma_older]", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("only in a patient 70 or older at the order", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("only when the symptoms have lasted at least 42 days", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("text phrases (prior_lumbar_surgery): ", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("  - NICE NG59: do not routinely offer imaging", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("(sources: NICE NG59, Low back pain and sciatica in over 16s)", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("  - Refer to physical therapy instead (http://snomed.info/sct 91251008)", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("72220", show.Stdout, StringComparison.Ordinal);
    }
}
