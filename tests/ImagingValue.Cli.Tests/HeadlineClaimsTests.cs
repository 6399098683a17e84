using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary>The console headline states findings only as far as the included exams were reviewed (issue 13).</summary>
public class HeadlineClaimsTests
{
    [Fact]
    public void Audit_NoReviewsAndPartReviewed_HeadlineSaysHowManyOfTheIncludedWereReviewed()
    {
        using var dir = new TempDirectory();
        var synth = CliRunner.Run(dir.Path, "synth", "paper", "--out", "data");
        Assert.True(synth.ExitCode == 0, synth.Stderr);

        var none = Audit(dir, reviews: null);

        Assert.Contains("findings:   not reviewed yet (0 of 98 included exams reviewed)", none, StringComparison.Ordinal);
        Assert.DoesNotContain("per major finding", none, StringComparison.Ordinal);
        Assert.DoesNotContain("management changed", none, StringComparison.Ordinal);

        // Keep the reviews of the first 40 rows only: some included exams reviewed, not all.
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "data", "reviews.csv"));
        File.WriteAllLines(Path.Combine(dir.Path, "data", "some-reviews.csv"), lines.Take(41));

        var partial = Audit(dir, reviews: "data/some-reviews.csv");

        Assert.Matches(@"findings:   \d+/\d+ major .*of the \d+ reviewed so far.*; \d+ of 98 included exams reviewed", partial);
        Assert.DoesNotContain("per major finding", partial, StringComparison.Ordinal);
    }

    private static string Audit(TempDirectory dir, string? reviews)
    {
        string[] args =
        [
            "audit", "--protocol", "sacrum-mri-lbp", "--orders", "data/orders.csv", "--conditions", "data/conditions.csv",
            "--reports", "data/reports.csv", .. reviews is null ? Array.Empty<string>() : ["--reviews", reviews],
            "--period", "2013-07-01..2017-06-30", "--charge", "4900", "--out", "out",
        ];
        var result = CliRunner.Run(dir.Path, args);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout;
    }
}
