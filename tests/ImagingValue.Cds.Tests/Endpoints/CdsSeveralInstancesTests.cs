using System.Text;
using ImagingValue.Cds.Tests.Support;
using ImagingValue.Core.Alerts;
using ImagingValue.Storage;
using ImagingValue.Web;
using ImagingValue.Web.Cds;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>
/// Two <c>serve</c> instances on one workspace, as behind a load balancer (issue 16 item 4): a token used on one is a
/// replay on the other, and both record their alerts in the workspace.
/// </summary>
public sealed class CdsSeveralInstancesTests : IDisposable
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private const string SelectUrl = "http://localhost" + Select;
    private readonly TestIssuer _issuer = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("iv-two-instances-").FullName;
    private NpgsqlConnectionStringBuilder? _database;

    [Fact]
    public async Task Sqlite_ATokenUsedOnOneInstance_Gets401OnTheOther_AndBothAlertsAreKept()
    {
        Workspaces.Create(_folder, TimeProvider.System).Dispose();
        await ReplayAcrossInstancesAsync();
    }

    [Fact]
    public async Task Postgres_ATokenUsedOnOneInstance_Gets401OnTheOther_AndBothAlertsAreKept()
    {
        _database = CreateDatabase();
        Workspaces.Create(_folder, _database.ConnectionString, TimeProvider.System).Dispose();
        await ReplayAcrossInstancesAsync();
    }

    [Fact]
    public async Task Postgres_InstancesWithFoldersOfTheirOwn_ShareTheSignInKeys()
    {
        _database = CreateDatabase();
        Workspaces.Create(_folder, _database.ConnectionString, TimeProvider.System).Dispose();
        // The second machine's folder: a copy of workspace.json only.
        var elsewhere = Path.Combine(_folder, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.Copy(Path.Combine(_folder, "workspace.json"), Path.Combine(elsewhere, "workspace.json"));
        await using var first = Build(_folder);
        await using var second = Build(elsewhere);
        await first.StartAsync();
        await second.StartAsync();

        // The purpose chain is the cookie handler's own, so this is what reading the other's sign-in cookie needs.
        string[] purposes = ["Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", "Cookies", "v2"];
        var ticket = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purposes).Protect("signed in");
        var read = second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purposes).Unprotect(ticket);

        Assert.Equal("signed in", read);
        Assert.False(Directory.Exists(Path.Combine(_folder, "keys")));
        Assert.False(Directory.Exists(Path.Combine(elsewhere, "keys")));
    }

    [Fact]
    public async Task TheReplayStoreFailing_AnswersNoCards()
    {
        await using var app = Build(workspace: null, services => services.AddSingleton<ITokenReplayStore>(new FailingReplayStore()));
        await app.StartAsync();

        var (status, body) = await PostAsync(app, _issuer.Es384(SelectUrl));

        Assert.Equal(200, status);
        Assert.Equal("""{"cards":[]}""", body.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheReplayStoreNotAnswering_AnswersNoCardsWithinTheDeadline()
    {
        // A database server that takes the connection and never answers (a network partition): the replay check must
        // not hold the order past the deadline.
        var store = new SilentReplayStore();
        await using var app = Build(workspace: null, services => services.AddSingleton<ITokenReplayStore>(store), deadline: TimeSpan.FromMilliseconds(500));
        await app.StartAsync();
        // A first call while the store answers: token checking and evaluation are loaded, so the timed call is the wait alone.
        Assert.Contains("\"cards\":[{", (await PostAsync(app, _issuer.Es384(SelectUrl))).Body, StringComparison.Ordinal);
        store.Silent = true;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var (status, body) = await PostAsync(app, _issuer.Es384(SelectUrl)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(200, status);
        Assert.Equal("""{"cards":[]}""", body.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.True(store.Cancelled, "the replay store was never told to stop");
        // The deadline and a margin for a loaded test machine; without the deadline the call waits for ever.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed}");
    }

    private async Task ReplayAcrossInstancesAsync()
    {
        await using var first = Build(_folder);
        await using var second = Build(_folder);
        await first.StartAsync();
        await second.StartAsync();
        var token = _issuer.Es384(SelectUrl);

        var onFirst = await PostAsync(first, token);
        var replayed = await PostAsync(second, token);
        var fresh = await PostAsync(second, _issuer.Es384(SelectUrl));

        Assert.Equal(200, onFirst.Status);
        Assert.Contains("\"cards\":[{", onFirst.Body, StringComparison.Ordinal);
        Assert.Equal(401, replayed.Status);
        Assert.Equal(200, fresh.Status);
        await first.Services.GetRequiredService<AlertRecorder>().FlushAsync(CancellationToken.None);
        await second.Services.GetRequiredService<AlertRecorder>().FlushAsync(CancellationToken.None);
        using var workspace = Workspaces.Open(_folder, TimeProvider.System, WorkspaceUse.Command);
        var alerts = await workspace.Alerts.ListAlertsAsync(CancellationToken.None);
        Assert.Equal(2, alerts.Select(a => a.Jti).Distinct(StringComparer.Ordinal).Count());
    }

    private WebApplication Build(string? workspace, Action<IServiceCollection>? services = null, TimeSpan? deadline = null)
    {
        var settings = new ServeSettings
        {
            Workspace = workspace,
            Cds = new CdsSettings { Dev = false, TrustedIssuers = [_issuer.Trusted()], Deadline = deadline ?? TimeSpan.FromSeconds(10) },
        };
        return ImagingValueHost.Build(settings, new FakeTimeProvider(CdsTestHost.Now), builder =>
        {
            builder.WebHost.UseTestServer();
            services?.Invoke(builder.Services);
        });
    }

    private static async Task<(int Status, string Body)> PostAsync(WebApplication app, string token)
    {
        using var client = app.GetTestClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(Select, UriKind.Relative))
        {
            Content = new StringContent(TestFiles.Read(TestFiles.CardCase), Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A new empty database on the test cluster (IV_TEST_POSTGRES, set by ./test; never skipped).</summary>
    private static NpgsqlConnectionStringBuilder CreateDatabase()
    {
        var cluster = Environment.GetEnvironmentVariable("IV_TEST_POSTGRES") is { Length: > 0 } text
            ? new NpgsqlConnectionStringBuilder(text)
            : throw new InvalidOperationException("IV_TEST_POSTGRES is not set: run ./test, which starts a throwaway PostgreSQL cluster (scripts/test-postgres.sh) and sets it");
        var name = "iv_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        using var connection = new NpgsqlConnection(cluster.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = name };
    }

    public void Dispose()
    {
        _issuer.Dispose();
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            var cluster = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Database = "postgres" };
            using var connection = new NpgsqlConnection(cluster.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database.Database} WITH (FORCE)", connection);
            command.ExecuteNonQuery();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class FailingReplayStore : ITokenReplayStore
    {
        public Task<bool> TryRecordTokenAsync(string issuer, string jti, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken) =>
            throw new IOException("the workspace is not reachable");
    }

    /// <summary>A replay store whose database, once <see cref="Silent"/>, never answers: it waits until told to stop.</summary>
    private sealed class SilentReplayStore : ITokenReplayStore
    {
        public bool Silent { get; set; }

        public bool Cancelled { get; private set; }

        public async Task<bool> TryRecordTokenAsync(string issuer, string jti, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
        {
            if (!Silent)
            {
                return true;
            }

            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return true;
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                throw;
            }
        }
    }
}
