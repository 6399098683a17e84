using System.Net;
using System.Text.RegularExpressions;
using ImagingValue.Core.Screening;
using ImagingValue.Web.Tests.Support;

namespace ImagingValue.Web.Tests.Review;

/// <summary>The dashboard keeps its analysis until a review, the data or the screening run changes, and then shows the change.</summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private ReviewTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Dashboard_AfterAReviewIsSaved_CountsIt()
    {
        using var client = _host.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await ReviewTestHost.SignInAsync(client, "ana")).StatusCode);
        Assert.Equal(0, await CountAsync(client, "Reviewed"));
        Assert.Equal(0, await CountAsync(client, "Reviewed"));

        var form = new Dictionary<string, string>
        {
            ["Major"] = "true", ["Management"] = "none", ["Revision"] = "0", ["ExamToken"] = "0",
            ["__RequestVerificationToken"] = await ReviewTestHost.TokenAsync(client, "exams/E1"),
        };
        using (var content = new FormUrlEncodedContent(form))
        using (var saved = await client.PostAsync(new Uri("exams/E1", UriKind.Relative), content))
        {
            Assert.True(saved.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, saved.StatusCode.ToString());
        }

        Assert.Equal(1, await CountAsync(client, "Reviewed"));
        Assert.Equal(2, await CountAsync(client, "Unreviewed"));
    }

    [Fact]
    public async Task Dashboard_AfterANewScreeningRun_ShowsItsCohort()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "ana");
        Assert.Equal(3, await CountAsync(client, "Unreviewed"));

        using (var store = _host.OpenStores())
        {
            await store.Screening.SaveRunAsync(
                new ScreeningRun("sacrum-mri-lbp", TimeProvider.System.GetUtcNow(), [
                    new ScreeningDecision("E1", Decision.Included, true, null, [], []),
                    new ScreeningDecision("E2", Decision.Excluded, true, "tumor", ["tumor"], []),
                    new ScreeningDecision("E3", Decision.Excluded, true, "tumor", ["tumor"], []),
                    new ScreeningDecision("L1", Decision.NotTarget, false, null, [], []),
                    new ScreeningDecision("X1", Decision.Excluded, true, "tumor", ["tumor"], []),
                ]),
                CancellationToken.None);
        }

        Assert.Equal(1, await CountAsync(client, "Unreviewed"));
    }

    [Fact]
    public async Task Dashboard_ProtocolChosenInTheQuery_ShowsThatProtocolsRunAndCohortTheConfiguredOneByDefault()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "ana");
        using (var store = _host.OpenStores())
        {
            await store.Screening.SaveRunAsync(
                new ScreeningRun("lumbar-imaging-lbp", TimeProvider.System.GetUtcNow(), [
                    new ScreeningDecision("E1", Decision.NotTarget, false, null, [], []),
                    new ScreeningDecision("E2", Decision.NotTarget, false, null, [], []),
                    new ScreeningDecision("E3", Decision.NotTarget, false, null, [], []),
                    new ScreeningDecision("L1", Decision.Excluded, true, "cancer", ["cancer"], []),
                    new ScreeningDecision("X1", Decision.NotTarget, false, null, [], []),
                ]),
                CancellationToken.None);
        }

        // The selector offers every served protocol, the configured one chosen by default.
        var sacrum = await client.GetStringAsync(new Uri("dashboard", UriKind.Relative));
        Assert.Contains(@"<option value=""sacrum-mri-lbp"" selected=""selected"">", sacrum, StringComparison.Ordinal);
        Assert.Contains(@"<option value=""lumbar-imaging-lbp"">", sacrum, StringComparison.Ordinal);
        Assert.Equal(3, await CountAsync(client, "Included"));

        var lumbar = await client.GetStringAsync(new Uri("dashboard?protocol=lumbar-imaging-lbp", UriKind.Relative));
        Assert.Contains("Dashboard: Lumbar spine imaging", lumbar, StringComparison.Ordinal);
        Assert.Contains(@"<option value=""lumbar-imaging-lbp"" selected=""selected"">", lumbar, StringComparison.Ordinal);
        // Its figures link to its own cohort; the worklist lists the configured protocol's exams only, so no link there.
        Assert.Matches(@"<th scope=""row"">Excluded: [^<]*</th><td><a href=""/cohort\?[^""]*protocol=lumbar-imaging-lbp[^""]*reason=cancer"">1</a>", lumbar);
        Assert.Contains(@"<th scope=""row"">Included</th><td><a id=""included-link"">0</a>", lumbar, StringComparison.Ordinal);
        var cohort = await client.GetStringAsync(new Uri("cohort?protocol=lumbar-imaging-lbp", UriKind.Relative));
        // Order ids as the cohort links them: a bare "X1" also turns up inside the page's random antiforgery token.
        Assert.Contains(">L1</a>", cohort, StringComparison.Ordinal);
        Assert.DoesNotContain(">X1</a>", cohort, StringComparison.Ordinal);

        var unknown = await client.GetStringAsync(new Uri("dashboard?protocol=lumbar-imagin-lbp", UriKind.Relative));
        Assert.Contains("No protocol &#x27;lumbar-imagin-lbp&#x27; here", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_AfterAnInterventionIsRecorded_SplitsItsMonitoringAtIt()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "ana");
        var before = await client.GetStringAsync(new Uri("dashboard", UriKind.Relative));

        using (var store = _host.OpenStores())
        {
            await store.Interventions.AddInterventionAsync(new Core.Interventions.Intervention(0, new DateOnly(2015, 4, 15), "education", [], null, null), CancellationToken.None);
        }

        var after = await client.GetStringAsync(new Uri("dashboard", UriKind.Relative));
        Assert.DoesNotMatch("split at [1-9]\\d* intervention", before);
        Assert.Contains("split at 1 intervention", after, StringComparison.Ordinal);
    }

    private static async Task<int> CountAsync(HttpClient client, string row)
    {
        var html = await client.GetStringAsync(new Uri("dashboard", UriKind.Relative));
        var match = Regex.Match(html, $@"<th scope=""row"">{row}</th><td><a (?:id=""[^""]*"" )?href=""[^""]*"">(\d+)</a>");
        Assert.True(match.Success, $"no '{row}' row on the dashboard");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
