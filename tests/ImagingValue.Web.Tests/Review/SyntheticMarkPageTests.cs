using ImagingValue.Cli.Tests.Support;
using ImagingValue.Reports.Html;
using ImagingValue.Web.Tests.Support;

namespace ImagingValue.Web.Tests.Review;

/// <summary>Issue 13: every page made from demo or synth data says so, the review workspace's pages included.</summary>
public sealed class SyntheticMarkPageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReviewPages_OfTheDemoWorkspace_SaySyntheticData()
    {
        var demo = CliRunner.Run(_dir.Path, "demo", "--out", "demo");
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        var added = CliRunner.RunWithInput(_dir.Path, ReviewTestHost.Password + "\n", "user", "add", "--workspace", "demo/workspace", "--name", "lead", "--role", "viewer");
        Assert.True(added.ExitCode == 0, added.Stderr);
        await using var host = await ReviewTestHost.StartAsync(workspace: _dir.File("demo/workspace"));
        using var client = host.NewClient();
        await ReviewTestHost.SignInAsync(client, "lead");

        foreach (var path in new[] { "", "dashboard", "cohort" })
        {
            var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));
            Assert.True(html.Contains(System.Net.WebUtility.HtmlEncode(AuditReport.SyntheticNotice), StringComparison.Ordinal), $"/{path} does not say synthetic data");
        }
    }

    [Fact]
    public async Task ReviewPages_OfRealData_SayNothingOfTheKind()
    {
        await using var host = await ReviewTestHost.StartAsync();
        using var client = host.NewClient();
        await ReviewTestHost.SignInAsync(client, "root");

        var html = await client.GetStringAsync(new Uri("dashboard", UriKind.Relative));

        Assert.DoesNotContain("synthetic-mark", html, StringComparison.Ordinal);
    }
}
