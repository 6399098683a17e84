using System.Net;
using System.Text.RegularExpressions;
using ImagingValue.Cli.Tests.Support;
using ImagingValue.Storage;
using ImagingValue.Web.Cds;
using ImagingValue.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ImagingValue.Web.Tests.Instances;

/// <summary>
/// Two <c>serve</c> instances on one workspace, as behind a load balancer (issue 16 item 4), over real HTTP. On
/// PostgreSQL each has a folder of its own (a copy of <c>workspace.json</c> only), so the database is all they share:
/// a sign-in on one holds on the other, a review saved on one makes the other's open form stale, and the alerts of
/// both are counted by <c>monitor</c>. On SQLite both serve the one folder.
/// </summary>
public sealed class TwoInstancesTests : IAsyncLifetime, IDisposable
{
    private const string ConflictMessage = "Someone saved a review of this exam after you opened it.";

    private readonly CdsCaller _ehr = new();
    private readonly List<ReviewTestHost> _hosts = [];
    private TestDatabase? _database;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Postgres_ACookieFromOneInstance_SignsInOnTheOther_AndAnAlteredOneIsRefused()
    {
        var (first, second) = await StartPostgresAsync();

        await ACookieFromTheFirstSignsInOnTheSecondAsync(first, second);
        Assert.False(Directory.Exists(Path.Combine(first.Workspace, "keys")));
        Assert.False(Directory.Exists(Path.Combine(second.Workspace, "keys")));
    }

    [Fact]
    public async Task Sqlite_ACookieFromOneInstance_SignsInOnTheOther_AndAnAlteredOneIsRefused()
    {
        var (first, second) = await StartSqliteAsync();

        await ACookieFromTheFirstSignsInOnTheSecondAsync(first, second);
    }

    [Fact]
    public async Task Postgres_ReviewSavedOnOneInstance_StaleFormOnTheOther_GetsTheConflict_NothingLost()
    {
        var (first, second) = await StartPostgresAsync();

        await AStaleFormGetsTheConflictAsync(first, second);
    }

    [Fact]
    public async Task Sqlite_ReviewSavedOnOneInstance_StaleFormOnTheOther_GetsTheConflict_NothingLost()
    {
        var (first, second) = await StartSqliteAsync();

        await AStaleFormGetsTheConflictAsync(first, second);
    }

    [Fact]
    public async Task Postgres_MonitorCountsTheAlertsOfBothInstances()
    {
        var (first, second) = await StartPostgresAsync();

        // Two orders warned on the first instance, one on the second (a patient each, so three distinct orders).
        var calls = new[] { await _ehr.SelectAsync(first.Address, "pat-a1"), await _ehr.SelectAsync(first.Address, "pat-a2"), await _ehr.SelectAsync(second.Address, "pat-b1") };
        foreach (var (status, body) in calls)
        {
            Assert.Equal(200, status);
            Assert.Contains("\"indicator\":\"warning\"", body, StringComparison.Ordinal);
        }

        await first.Services.GetRequiredService<AlertRecorder>().FlushAsync(CancellationToken.None);
        await second.Services.GetRequiredService<AlertRecorder>().FlushAsync(CancellationToken.None);
        var monitor = CliRunner.Run(second.Workspace, "monitor", "--workspace", second.Workspace);

        Assert.True(monitor.ExitCode == 0, monitor.Stderr);
        Assert.Contains("point of order: 3 orders rated, 3 warned, 0 accepted, 0 overridden, 3 without feedback", monitor.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Signs in on <paramref name="first"/>; its cookie opens a page on <paramref name="second"/>, an altered copy does not.</summary>
    private static async Task ACookieFromTheFirstSignsInOnTheSecondAsync(ReviewTestHost first, ReviewTestHost second)
    {
        using var onFirst = first.NewClient();
        using var signIn = await ReviewTestHost.SignInAsync(onFirst, "ana");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = SessionCookie(signIn);

        var (status, page, _) = await GetWithCookieAsync(second, cookie);
        var (alteredStatus, _, location) = await GetWithCookieAsync(second, Altered(cookie));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Signed in as ana (reviewer)", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, alteredStatus);
        Assert.StartsWith("/signin", location, StringComparison.Ordinal);
    }

    /// <summary>
    /// The same exam's form open on both instances (the same reviewer in two sessions, as two browser tabs); saved on
    /// the second; the first's stale save is refused with the conflict message, its values kept in the form, and
    /// saving again from there keeps them, with the second's version in the audit trail.
    /// </summary>
    private static async Task AStaleFormGetsTheConflictAsync(ReviewTestHost first, ReviewTestHost second)
    {
        using var onFirst = first.NewClient();
        using var onSecond = second.NewClient();
        (await ReviewTestHost.SignInAsync(onFirst, "ana")).Dispose();
        (await ReviewTestHost.SignInAsync(onSecond, "ana")).Dispose();
        var staleForm = await onFirst.GetStringAsync(new Uri("exams/E2", UriKind.Relative));
        var secondForm = await onSecond.GetStringAsync(new Uri("exams/E2", UriKind.Relative));

        using var saved = await PostReviewAsync(onSecond, secondForm, major: false, "none", "saved on the second instance");
        using var stale = await PostReviewAsync(onFirst, staleForm, major: true, "major", "stale form on the first instance");
        var conflictPage = await stale.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains(ConflictMessage, conflictPage, StringComparison.Ordinal);
        // The refused values are still in the form; the saved review is shown beside it.
        Assert.Contains(">stale form on the first instance</textarea>", conflictPage, StringComparison.Ordinal);
        Assert.Contains("<td>saved on the second instance</td>", conflictPage, StringComparison.Ordinal);
        using (var stores = first.OpenStores())
        {
            var stored = Assert.Single(await stores.Reviews.GetExamReviewsAsync("E2", CancellationToken.None));
            Assert.Equal("saved on the second instance", stored.Review.FindingNotes);
            Assert.False(stored.Review.MajorFinding);
        }

        // Saving again from the conflict page (its tokens are the current ones) keeps the first's values.
        using var again = await PostReviewAsync(onFirst, conflictPage, major: true, "major", "stale form on the first instance");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        using (var stores = second.OpenStores())
        {
            var stored = Assert.Single(await stores.Reviews.GetExamReviewsAsync("E2", CancellationToken.None));
            Assert.Equal("stale form on the first instance", stored.Review.FindingNotes);
            Assert.True(stored.Review.MajorFinding);
            var trail = await stores.Reviews.GetAuditTrailAsync("E2", CancellationToken.None);
            Assert.Contains(trail, e => e is { Field: "finding_notes", OldValue: null, NewValue: "saved on the second instance" });
            Assert.Contains(trail, e => e is { Field: "finding_notes", OldValue: "saved on the second instance", NewValue: "stale form on the first instance" });
        }
    }

    /// <summary>Posts the review form of <paramref name="form"/> (its anti-forgery token and revision tokens) with these values.</summary>
    private static Task<HttpResponseMessage> PostReviewAsync(HttpClient client, string form, bool major, string management, string notes)
    {
        var fields = new Dictionary<string, string>
        {
            ["Major"] = major ? "true" : "false",
            ["Management"] = management,
            ["Notes"] = notes,
            ["Revision"] = Hidden(form, "Revision"),
            ["ExamToken"] = Hidden(form, "ExamToken"),
            ["__RequestVerificationToken"] = Hidden(form, "__RequestVerificationToken"),
        };
        return client.PostAsync(new Uri("exams/E2", UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    private static string Hidden(string html, string name) =>
        Regex.Match(html, $"name=\"{Regex.Escape(name)}\"(?: type=\"hidden\")? value=\"([^\"]*)\"") is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"no hidden field {name} in the page");

    /// <summary>The sign-in cookie (<c>iv-review=…</c>) the response sets.</summary>
    private static string SessionCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("iv-review=", StringComparison.Ordinal));

    /// <summary>The cookie with one character of its protected payload changed (as a forger would).</summary>
    private static string Altered(string cookie)
    {
        var at = "iv-review=".Length + ((cookie.Length - "iv-review=".Length) / 2);
        return cookie[..at] + (cookie[at] == 'A' ? 'B' : 'A') + cookie[(at + 1)..];
    }

    /// <summary>GET / on <paramref name="host"/> with only this cookie, as another browser holding it would.</summary>
    private static async Task<(HttpStatusCode Status, string Body, string Location)> GetWithCookieAsync(ReviewTestHost host, string cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = host.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location is { } to ? (to.IsAbsoluteUri ? to.PathAndQuery : to.OriginalString) : string.Empty);
    }

    private async Task<(ReviewTestHost First, ReviewTestHost Second)> StartPostgresAsync()
    {
        _database = TestDatabase.Create();
        var first = Directory.CreateTempSubdirectory("iv-web-a-").FullName;
        Workspaces.Create(first, _database.ConnectionString, TimeProvider.System).Dispose();
        await ReviewTestHost.SeedAsync(first);
        // The second machine's folder: a copy of workspace.json, which names the database.
        var second = Directory.CreateTempSubdirectory("iv-web-b-").FullName;
        File.Copy(Path.Combine(first, "workspace.json"), Path.Combine(second, "workspace.json"));
        return (await StartAsync(first), await StartAsync(second));
    }

    private async Task<(ReviewTestHost First, ReviewTestHost Second)> StartSqliteAsync()
    {
        var folder = Directory.CreateTempSubdirectory("iv-web-").FullName;
        await ReviewTestHost.SeedAsync(folder);
        return (await StartAsync(folder), await StartAsync(folder));
    }

    private async Task<ReviewTestHost> StartAsync(string folder)
    {
        var host = await ReviewTestHost.StartAsync(workspace: folder, cds: _ehr.Settings());
        _hosts.Add(host);
        return host;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _database?.Dispose();
    }

    public void Dispose() => _ehr.Dispose();
}
