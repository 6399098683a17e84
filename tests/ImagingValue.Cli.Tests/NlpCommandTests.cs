using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

public class NlpCommandTests
{
    [Fact]
    public void Annotate_Tsv_OneRowPerInputInOrderWithContractColumns()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("targets.tsv"),
        [
            "id\tsentence\ttarget",
            "a1\tNo history of trauma.\ttrauma",
            "a2\thx breast ca, new LBP\tbreast ca",
            "a3\tmother had breast cancer\tbreast cancer",
            "a4\tr/o occult sacral fx\toccult sacral fx",
            "a5\treturn if fever\tfever",
            "a6\tLBP x 3 months\tsciatica",
        ]);

        var result = CliRunner.Run(dir.Path, "nlp", "annotate", "--in", "targets.tsv", "--out", "annotated.tsv");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                "id\tnegated\tuncertain\thistorical\thypothetical\texperiencer",
                "a1\ttrue\tfalse\ttrue\tfalse\tpatient",
                "a2\tfalse\tfalse\ttrue\tfalse\tpatient",
                "a3\tfalse\tfalse\tfalse\tfalse\tother",
                "a4\tfalse\ttrue\tfalse\tfalse\tpatient",
                "a5\tfalse\tfalse\tfalse\ttrue\tpatient",
                "a6\tfalse\tfalse\tfalse\tfalse\tpatient",
            ],
            File.ReadAllLines(dir.File("annotated.tsv")));
        Assert.Contains("targets.tsv:7: target: 'sciatica' does not occur in the sentence", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Annotate_WrongHeader_ExitCode1NamingLineAndField()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("targets.tsv"), ["sentence\ttarget", "no fever\tfever"]);
        var result = CliRunner.Run(dir.Path, "nlp", "annotate", "--in", "targets.tsv", "--out", "annotated.tsv");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("targets.tsv:1: header: expected id<TAB>sentence<TAB>target", result.Stderr, StringComparison.Ordinal);
    }
}
