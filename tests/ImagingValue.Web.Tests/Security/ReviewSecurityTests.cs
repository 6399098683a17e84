using System.Net;
using System.Text;
using ImagingValue.Web.Tests.Support;

namespace ImagingValue.Web.Tests.Security;

/// <summary>The review workspace over real HTTP: sign-in required, roles, anti-forgery, lockout, escaping, no passwords in logs or the database.</summary>
public sealed class ReviewSecurityTests : IAsyncLifetime
{
    private ReviewTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewTestHost.StartAsync(maxFailedSignIns: 3);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<HttpResponseMessage> PostReviewAsync(HttpClient client, string orderId, bool withToken, string notes = "posted notes")
    {
        var fields = new Dictionary<string, string> { ["Major"] = "true", ["Management"] = "minor", ["Notes"] = notes, ["Revision"] = "0", ["ExamToken"] = "0" };
        if (withToken)
        {
            fields["__RequestVerificationToken"] = await ReviewTestHost.TokenAsync(client, $"exams/{orderId}");
        }

        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri($"exams/{orderId}", UriKind.Relative), form);
    }

    private async Task<int> ReviewCountAsync()
    {
        var store = _host.OpenStores().Reviews;
        return (await store.GetAllReviewsAsync(CancellationToken.None)).Count;
    }

    [Theory]
    [InlineData("")]
    [InlineData("?filter=mine&p=2")]
    [InlineData("exams/E1")]
    [InlineData("exams/E1/audit")]
    [InlineData("exams/NOPE")]
    [InlineData("signout")]
    [InlineData("denied")]
    [InlineData("dashboard")]
    [InlineData("cohort?decision=excluded")]
    public async Task EveryPage_NotSignedIn_RedirectsToSignIn(string path)
    {
        using var client = _host.NewClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posts_NotSignedIn_RefusedAndNothingStored()
    {
        using var client = _host.NewClient();
        var token = await ReviewTestHost.TokenAsync(client, "signin");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Major"] = "true", ["__RequestVerificationToken"] = token });

        using var response = await client.PostAsync(new Uri("exams/E1", UriKind.Relative), form);

        Assert.False(response.IsSuccessStatusCode);
        Assert.Equal(0, await ReviewCountAsync());
    }

    [Fact]
    public async Task SignInPage_Public_AndCdsEndpointsStayAsTheyWere()
    {
        using var client = _host.NewClient();

        using var signIn = await client.GetAsync(new Uri("signin", UriKind.Relative));
        using var discovery = await client.GetAsync(new Uri("cds-services", UriKind.Relative));
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var service = await client.PostAsync(new Uri("cds-services/sacrum-mri-lbp-select", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, service.StatusCode);
        Assert.False(discovery.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task Pages_SendAContentSecurityPolicyWithoutInlineScripts()
    {
        using var client = _host.NewClient();

        using var response = await client.GetAsync(new Uri("signin", UriKind.Relative));

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Viewer_PostOfAReview_RefusedAndNothingStored()
    {
        using var client = _host.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await ReviewTestHost.SignInAsync(client, "vi")).StatusCode);

        using var response = await PostReviewAsync(client, "E1", withToken: true);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(0, await ReviewCountAsync());
        using var denied = await client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Reviewer_PostWithoutAntiforgeryToken_400AndNothingStored()
    {
        using var client = _host.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await ReviewTestHost.SignInAsync(client, "ana")).StatusCode);

        using var without = await PostReviewAsync(client, "E1", withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.Equal(0, await ReviewCountAsync());

        // The same post with the token is stored: the 400 was the missing token, nothing else.
        using var with = await PostReviewAsync(client, "E1", withToken: true);
        Assert.Equal(HttpStatusCode.Redirect, with.StatusCode);
        Assert.Equal(1, await ReviewCountAsync());
    }

    [Fact]
    public async Task SignOut_WithoutToken_400_WithToken_EndsTheSession()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "ana");
        using (var empty = new FormUrlEncodedContent(new Dictionary<string, string>()))
        using (var refused = await client.PostAsync(new Uri("signout", UriKind.Relative), empty))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        var token = await ReviewTestHost.TokenAsync(client, "signout");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        using var signedOut = await client.PostAsync(new Uri("signout", UriKind.Relative), form);
        using var after = await client.GetAsync(new Uri("", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/signin", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPasswords_LockTheAccountAfterTheConfiguredTries_EvenForTheRightPassword()
    {
        using var client = _host.NewClient();

        for (var i = 0; i < 2; i++)
        {
            using var wrong = await ReviewTestHost.SignInAsync(client, "ben", "wrong-password-" + i);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("Wrong name or password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var third = await ReviewTestHost.SignInAsync(client, "ben", "wrong-password-3");
        Assert.Contains("locked", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var right = await ReviewTestHost.SignInAsync(client, "ben");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another account is not affected.
        using var other = await ReviewTestHost.SignInAsync(_host.NewClient(), "ana");
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
    }

    [Fact]
    public async Task ScriptInIndicationAndReport_RenderedAsText()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "ana");

        var html = await client.GetStringAsync(new Uri("exams/E3", UriKind.Relative));

        Assert.DoesNotContain(ReviewTestHost.ScriptText, html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;window.__xss = 1;&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Passwords_NeverInLogsNorInClearInTheDatabase()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "ana");
        await ReviewTestHost.SignInAsync(_host.NewClient(), "ben", "Wrong-Password-Typed-9");
        await PostReviewAsync(client, "E2", withToken: true);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var logs = string.Join("\n", _host.Logs.Lines);
        var bytes = await File.ReadAllBytesAsync(_host.DatabasePath);

        Assert.Contains("ana signed in", logs, StringComparison.Ordinal);
        foreach (var secret in new[] { ReviewTestHost.Password, "Wrong-Password-Typed-9" })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)));
        }

        // Nor patient text: the indication and report of the exam reviewed.
        Assert.DoesNotContain("tailbone pain", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("facet arthropathy", logs, StringComparison.Ordinal);
    }
}
