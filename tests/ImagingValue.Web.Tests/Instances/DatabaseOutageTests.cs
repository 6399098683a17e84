using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ImagingValue.Cli.Tests.Support;
using ImagingValue.Import.Hl7;
using ImagingValue.Storage;
using ImagingValue.Web.Cds;
using ImagingValue.Web.Tests.Support;
using Xunit.Abstractions;

namespace ImagingValue.Web.Tests.Instances;

/// <summary>
/// The database goes away under running services and comes back (issue 16 item 7), on a PostgreSQL cluster of the
/// test's own that it stops and starts again: during the outage the CDS service answers no cards within its deadline
/// and logs it, the review pages answer 503 with a plain page, <c>listen</c> answers AR; afterwards each recovers on
/// its next request, with no restart.
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    private readonly CdsCaller _ehr = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("iv-outage-").FullName;
    private string _workspace = "";
    private TestCluster? _cluster;
    private ReviewTestHost? _serve;
    private ListenProcess? _listen;

    public async Task InitializeAsync()
    {
        _cluster = TestCluster.Start();
        _workspace = Path.Combine(_folder, "workspace");
        Directory.CreateDirectory(_workspace);
        Workspaces.Create(_workspace, _cluster.ConnectionString, TimeProvider.System).Dispose();
        await ReviewTestHost.SeedAsync(_workspace);
        _serve = await ReviewTestHost.StartAsync(workspace: _workspace, cds: _ehr.Settings(Deadline));
        _listen = await ListenProcess.StartAsync(_workspace);
    }

    [Fact]
    public async Task DatabaseAway_CdsFailsOpen_PagesSay503_ListenAnswersAR_ThenAllRecoverWithoutRestart()
    {
        var serve = _serve!;
        using var reviewer = serve.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await ReviewTestHost.SignInAsync(reviewer, "ana")).StatusCode);
        // Before: every path has used the database, so each pool holds connections the outage will break.
        Assert.Contains("\"indicator\":\"warning\"", (await _ehr.SelectAsync(serve.Address, "pat-before")).Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(reviewer, "")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(reviewer, "exams/E1")).Status);
        Assert.Contains("\rMSA|AA|OUT1\r", await SendAsync("OUT1", "PL-OUT1"), StringComparison.Ordinal);

        _cluster!.Pause();

        var clock = Stopwatch.StartNew();
        var (cdsStatus, cdsBody) = await _ehr.SelectAsync(serve.Address, "pat-during");
        var cdsTook = clock.Elapsed;
        output.WriteLine($"during the outage: the CDS call answered in {cdsTook.TotalMilliseconds:F0} ms");
        var worklist = await GetAsync(reviewer, "");
        var exam = await GetAsync(reviewer, "exams/E1");
        var ready = await ReadyAsync(serve);
        var refused = await SendAsync("OUT2", "PL-OUT2");

        Assert.Equal(200, cdsStatus);
        Assert.Equal("""{"cards":[]}""", cdsBody.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.True(cdsTook < Deadline, $"the CDS call took {cdsTook} during the outage");
        Assert.Contains(serve.Logs.Lines, l => l.Contains("could not be recorded in the workspace", StringComparison.Ordinal) && l.Contains("answered with no cards", StringComparison.Ordinal));
        foreach (var (status, body) in new[] { worklist, exam })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Contains("<h1>Service unavailable</h1>", body, StringComparison.Ordinal);
            foreach (var leak in new[] { "Exception", " at ", "Npgsql", "127.0.0.1", "postgres", PortOf(_cluster.ConnectionString) })
            {
                Assert.DoesNotContain(leak, body, StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.Contains(serve.Logs.Lines, l => l.Contains("the workspace database is unavailable", StringComparison.Ordinal) && l.Contains("answered 503", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Contains("\"workspace\":\"workspace database unreachable", ready.Body, StringComparison.Ordinal);
        Assert.Contains("\rMSA|AR|OUT2|the workspace cannot store the message now; send it again later\r", refused, StringComparison.Ordinal);
        Assert.Contains("ERR|||207^Application internal error^HL70357|E", refused, StringComparison.Ordinal);
        // listen logs what failed (type, SQLSTATE), never where the database is.
        Assert.Contains("listen: cannot store a message now: ", _listen!.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(":" + PortOf(_cluster.ConnectionString), _listen.Log, StringComparison.Ordinal);

        _cluster.Resume();

        // After: the first request of each recovers (no retry here, no restart).
        var (afterStatus, afterBody) = await _ehr.SelectAsync(serve.Address, "pat-after");
        Assert.Equal(200, afterStatus);
        Assert.Contains("\"indicator\":\"warning\"", afterBody, StringComparison.Ordinal);
        var worklistAfter = await GetAsync(reviewer, "");
        Assert.Equal(HttpStatusCode.OK, worklistAfter.Status);
        Assert.Contains("Signed in as ana (reviewer)", worklistAfter.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(reviewer, "exams/E1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(serve)).Status);
        Assert.Contains("\rMSA|AA|OUT2\r", await SendAsync("OUT2", "PL-OUT2"), StringComparison.Ordinal);
        using var stores = serve.OpenStores();
        var orders = (await stores.Data.GetOrdersAsync(CancellationToken.None)).Select(o => o.OrderId).ToList();
        Assert.Contains("PL-OUT1", orders);
        Assert.Contains("PL-OUT2", orders);
    }

    [Fact]
    public async Task DatabaseRestartedWhileIdle_OnlyTheFirstOperationOfEachProcessFails_NoneAfter()
    {
        var serve = _serve!;
        using var reviewer = serve.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await ReviewTestHost.SignInAsync(reviewer, "ana")).StatusCode);
        Assert.Contains("\rMSA|AA|IDLE1\r", await SendAsync("IDLE1", "PL-IDLE1"), StringComparison.Ordinal);
        // Calls at once, so serve's pool holds several connections for the restart to break.
        var before = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _ehr.SelectAsync(serve.Address, $"pat-before-{i}")));
        Assert.All(before, call => Assert.Contains("\"indicator\":\"warning\"", call.Body, StringComparison.Ordinal));
        var pooled = await ConnectionsAsync();
        Assert.True(pooled >= 3, $"only {pooled} connections to the workspace database before the restart");
        output.WriteLine($"before the restart: {pooled} sessions on the workspace database");

        // A restart at night: no request meets the outage, so the pools still hold the connections it ended.
        _cluster!.Pause();
        _cluster.Resume();

        // serve: its first database operation may meet a broken connection (no cards: fail open); Npgsql then clears
        // the pool, so no later call meets another, however many the pool held.
        await _ehr.SelectAsync(serve.Address, "pat-first");
        for (var i = 0; i < pooled + 2; i++)
        {
            var (status, body) = await _ehr.SelectAsync(serve.Address, $"pat-after-{i}");
            Assert.Equal(200, status);
            Assert.Contains("\"indicator\":\"warning\"", body, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(reviewer, "exams/E1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(serve)).Status);
        // listen: its first message may be answered AR (the sender sends it again); then every message is stored.
        var first = await SendAsync("IDLE2", "PL-IDLE2");
        Assert.True(first.Contains("\rMSA|AA|IDLE2\r", StringComparison.Ordinal) || first.Contains("\rMSA|AR|IDLE2|", StringComparison.Ordinal), first);
        Assert.Contains("\rMSA|AA|IDLE2\r", await SendAsync("IDLE2", "PL-IDLE2"), StringComparison.Ordinal);
        Assert.Contains("\rMSA|AA|IDLE3\r", await SendAsync("IDLE3", "PL-IDLE3"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevInstance_WarmEvidenceCache_NoCardsOnceAnAlertCannotBeStored_EveryCardShownIsStoredAfter()
    {
        // --dev: no token, so with the local evidence cached a call needs the database only to store its alert (the
        // soak found such an instance giving cards through an outage, none of them stored).
        await using var dev = await ReviewTestHost.StartAsync(workspace: _workspace, cds: new CdsSettings { Dev = true, Deadline = Deadline });
        var shown = new List<string>();
        async Task<bool> CardAsync(string patient)
        {
            var (status, body) = await _ehr.SelectAsync(dev.Address, patient, signed: false);
            Assert.Equal(200, status);
            var cards = System.Text.Json.Nodes.JsonNode.Parse(body)!["cards"]!.AsArray();
            shown.AddRange(cards.Select(c => c!["uuid"]!.GetValue<string>()));
            return cards.Count > 0;
        }

        Assert.True(await CardAsync("dev-before"));
        _cluster!.Pause();

        // The first call after the database went may still give its card (its alert waits in the queue); once the
        // queue's write has failed, none does.
        var clock = Stopwatch.StartNew();
        var calls = 1;
        while (await CardAsync($"dev-during-{calls++}"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"still giving cards {clock.Elapsed} into the outage");
            await Task.Delay(50);
        }

        output.WriteLine($"--dev: no cards after {calls - 1} calls, {clock.ElapsedMilliseconds} ms into the outage");
        for (var i = 0; i < 3; i++)
        {
            Assert.False(await CardAsync($"dev-still-{i}"));
        }

        Assert.Contains(dev.Logs.Lines, l => l.Contains("alert log's database is away", StringComparison.Ordinal) && l.Contains("answered with no cards", StringComparison.Ordinal));
        _cluster.Resume();

        // The recorder's retry is the probe: cards come back without a restart, and the alerts of the cards shown
        // before the failure are written then.
        clock.Restart();
        while (!await CardAsync("dev-after"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "no cards 20 s after the database came back");
            await Task.Delay(50);
        }

        output.WriteLine($"--dev: cards again {clock.ElapsedMilliseconds} ms after the database came back; {shown.Count} cards shown in all");
        using var stores = dev.OpenStores();
        clock.Restart();
        List<string> missing;
        while ((missing = shown.Except((await stores.Alerts.ListAlertsAsync(CancellationToken.None)).Select(a => a.CardUuid!)).ToList()).Count > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{missing.Count} of {shown.Count} cards shown have no stored alert");
            await Task.Delay(100);
        }
    }

    /// <summary>The sessions open on the workspace's database, as the server counts them.</summary>
    private async Task<int> ConnectionsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(_cluster!.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = 'postgres' AND pid <> pg_backend_pid()", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>/health/ready as a load balancer asks it: no cookie.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> ReadyAsync(ReviewTestHost serve)
    {
        using var client = serve.NewClient();
        return await GetAsync(client, "health/ready");
    }

    private static string PortOf(string connectionString) => new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends one new-order message to <c>listen</c> over MLLP and returns its acknowledgement.</summary>
    private async Task<string> SendAsync(string controlId, string placerOrder)
    {
        var message = $"MSH|^~\\&|RIS|HOSP|IV|QI|20160307141000||ORM^O01|{controlId}|P|2.5\rPID|1||MRN1^^^HOSP^MR\rORC|NW|{placerOrder}\rOBR|1|{placerOrder}||72195^MRI SACRUM WO\r";
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _listen!.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(MllpFrameReader.Frame(Encoding.ASCII.GetBytes(message)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var answer = await new MllpFrameReader(stream, 1 << 20).ReadAsync(timeout.Token);
        return Encoding.UTF8.GetString(answer!.Value.Bytes.Span);
    }

    public async Task DisposeAsync()
    {
        if (_listen is not null)
        {
            await _listen.DisposeAsync();
        }

        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        Npgsql.NpgsqlConnection.ClearAllPools();
        _cluster?.Dispose();
    }

    public void Dispose()
    {
        _ehr.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
