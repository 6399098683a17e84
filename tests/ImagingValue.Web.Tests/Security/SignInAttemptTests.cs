using System.Net;
using ImagingValue.Core.Review;
using ImagingValue.Web.Tests.Support;

namespace ImagingValue.Web.Tests.Security;

/// <summary>
/// The failed-attempt limit holds under a burst of parallel attempts, and every refusal costs one password check,
/// counted by the hasher the real host uses (never by the clock).
/// </summary>
public sealed class SignInAttemptTests : IAsyncLifetime
{
    private const int Limit = 5;
    private readonly CountingPasswordHasher _hasher = new();
    private ReviewTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewTestHost.StartAsync(maxFailedSignIns: Limit, hasher: _hasher);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Posts the sign-in form from <paramref name="clients"/> all at once (their forms were loaded first).</summary>
    private static async Task<HttpStatusCode[]> SignInAtOnceAsync(List<HttpClient> clients, string name, string password)
    {
        var forms = new List<FormUrlEncodedContent>();
        foreach (var client in clients)
        {
            forms.Add(new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Name"] = name, ["Password"] = password, ["__RequestVerificationToken"] = await ReviewTestHost.TokenAsync(client, "signin"),
            }));
        }

        using var start = new SemaphoreSlim(0);
        var posts = clients.Select(async (client, i) =>
        {
            await start.WaitAsync();
            using var response = await client.PostAsync(new Uri("signin", UriKind.Relative), forms[i]);
            return response.StatusCode;
        }).ToList();
        start.Release(clients.Count);
        var statuses = await Task.WhenAll(posts);
        forms.ForEach(f => f.Dispose());
        return statuses;
    }

    [Fact]
    public async Task TwentyParallelWrongPasswords_AtMostTheLimitAreCheckedAgainstTheAccount()
    {
        var clients = Enumerable.Range(0, 20).Select(_ => _host.NewClient()).ToList();

        var statuses = await SignInAtOnceAsync(clients, "ben", "not-bens-password-at-all");
        using var rightPassword = await ReviewTestHost.SignInAsync(_host.NewClient(), "ben");

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(Limit, _hasher.ChecksAgainst("ben"));
        Assert.Equal(21, _hasher.Checks);
        // Locked: the right password is refused and not even checked against the account.
        Assert.Equal(HttpStatusCode.OK, rightPassword.StatusCode);
        clients.ForEach(c => c.Dispose());

        using var store = _host.OpenStores();
        Assert.True((await store.Users.FindUserAsync("ben", CancellationToken.None))!.IsLockedAt(TimeProvider.System.GetUtcNow().AddMinutes(1)));
    }

    [Fact]
    public async Task UnknownDisabledLockedAndWrong_EachCostOnePasswordCheck()
    {
        using (var store = _host.OpenStores())
        {
            await store.Users.ChangeUserAsync("vi", new AccountChange(Disabled: true), CancellationToken.None);
        }

        for (var i = 0; i < Limit; i++)
        {
            using var wrong = await ReviewTestHost.SignInAsync(_host.NewClient(), "ben", "wrong-password-" + i);
        }

        foreach (var (name, password) in new[] { ("nobody", ReviewTestHost.Password), ("vi", ReviewTestHost.Password), ("ben", ReviewTestHost.Password), ("ana", "not-the-password") })
        {
            var before = _hasher.Checks;
            using var response = await ReviewTestHost.SignInAsync(_host.NewClient(), name, password);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Wrong name or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(before + 1, _hasher.Checks);
        }

        Assert.Equal(Limit, _hasher.ChecksAgainst("ben"));
    }
}
