using System.Net;
using System.Text.RegularExpressions;
using ImagingValue.Core.Review;
using ImagingValue.Web.Tests.Support;

namespace ImagingValue.Web.Tests.Security;

/// <summary>Sessions end when the account changes (security stamp checked on each request); refusals do not tell names apart.</summary>
public sealed partial class SessionTests : IAsyncLifetime
{
    private ReviewTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewTestHost.StartAsync(maxFailedSignIns: 2);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Uri Relative(string path) => new(path, UriKind.Relative);

    /// <summary>A client whose cookies the test can read and copy.</summary>
    private (HttpClient Client, CookieContainer Cookies) NewClient()
    {
        var cookies = new CookieContainer();
        return (new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _host.Address }, cookies);
    }

    private async Task<HttpStatusCode> WorklistStatusAsync(CookieContainer cookies)
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _host.Address };
        using var response = await client.GetAsync(Relative(""));
        return response.StatusCode;
    }

    /// <summary>A copy of the sign-in cookie as it is now, as an attacker or a saved browser profile would keep it.</summary>
    private CookieContainer Saved(CookieContainer cookies)
    {
        var copy = new CookieContainer();
        foreach (Cookie cookie in cookies.GetCookies(_host.Address))
        {
            copy.Add(_host.Address, new Cookie(cookie.Name, cookie.Value));
        }

        return copy;
    }

    private async Task ChangeAsync(string name, AccountChange change)
    {
        using var store = _host.OpenStores();
        Assert.NotNull(await store.Users.ChangeUserAsync(name, change, CancellationToken.None));
    }

    [Fact]
    public async Task CookieSavedBeforeSignOut_RefusedAfterIt()
    {
        var (client, cookies) = NewClient();
        using (client)
        {
            await ReviewTestHost.SignInAsync(client, "ana");
            var saved = Saved(cookies);
            Assert.Equal(HttpStatusCode.OK, await WorklistStatusAsync(saved));

            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = await ReviewTestHost.TokenAsync(client, "signout") });
            using var signedOut = await client.PostAsync(Relative("signout"), form);

            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, await WorklistStatusAsync(saved));
        }
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("role")]
    [InlineData("reset-password")]
    public async Task AccountChanged_ItsOpenSessionEndsAtTheNextRequest(string change)
    {
        var (client, cookies) = NewClient();
        using (client)
        {
            await ReviewTestHost.SignInAsync(client, "root");
            Assert.Equal(HttpStatusCode.OK, await WorklistStatusAsync(cookies));

            await ChangeAsync("root", change switch
            {
                "disable" => new AccountChange(Disabled: true),
                "role" => new AccountChange(Role: UserRole.Viewer),
                _ => new AccountChange(PasswordHash: Web.Review.Passwords.Hash("Another-Password-77")),
            });

            using var import = await client.GetAsync(Relative("import"));
            Assert.Equal(HttpStatusCode.Redirect, import.StatusCode);
            Assert.StartsWith("/signin", import.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        // Another account's session is not touched.
        var (other, otherCookies) = NewClient();
        using (other)
        {
            await ReviewTestHost.SignInAsync(other, "ana");
            Assert.Equal(HttpStatusCode.OK, await WorklistStatusAsync(otherCookies));
        }
    }

    [Fact]
    public async Task UnknownDisabledAndLockedNames_GetTheSameAnswer()
    {
        await ChangeAsync("vi", new AccountChange(Disabled: true));
        for (var i = 0; i < 2; i++)
        {
            await ReviewTestHost.SignInAsync(_host.NewClient(), "ben", "wrong-password-" + i);
        }

        async Task<(HttpStatusCode, string)> AnswerAsync(string name, string password)
        {
            using var response = await ReviewTestHost.SignInAsync(_host.NewClient(), name, password);
            return (response.StatusCode, Alert().Match(await response.Content.ReadAsStringAsync()).Value);
        }

        var unknown = await AnswerAsync("nobody", ReviewTestHost.Password);
        var locked = await AnswerAsync("ben", ReviewTestHost.Password);
        var disabled = await AnswerAsync("vi", ReviewTestHost.Password);
        var wrong = await AnswerAsync("ana", "not-the-password");

        Assert.Equal(HttpStatusCode.OK, unknown.Item1);
        Assert.Contains("Wrong name or password.", unknown.Item2, StringComparison.Ordinal);
        Assert.Equal(unknown, locked);
        Assert.Equal(unknown, disabled);
        Assert.Equal(unknown, wrong);
    }

    [GeneratedRegex("<p class=\"message error\" role=\"alert\">[^<]*</p>")]
    private static partial Regex Alert();
}
