using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ImagingValue.Cds.Tests.Support;
using ImagingValue.Web;
using ImagingValue.Web.Cds;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>
/// acceptance-checklist.md item 15 over real sockets on 127.0.0.1 (Kestrel, not the in-memory test server): the latency target and
/// fail-open against a FHIR server that accepts the connection and never answers; and the guidelines' red flags (issue 13).
/// </summary>
public sealed class CdsLoopbackTests
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";

    private static readonly ServeSettings Loopback = new() { Urls = "http://127.0.0.1:0", Cds = new CdsSettings { Dev = true } };

    // acceptance-checklist.md item 15: a latency sanity check (the load benchmark is benchmarks/cds-load.sh).
    [Fact]
    public async Task B15_TwoHundredLoopbackCalls_P95AtMost300Ms()
    {
        await using var app = await KestrelHost.StartAsync(Loopback);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var body = TestFiles.ReadJson(TestFiles.CardCase);
        var times = new List<double>();

        for (var i = 0; i < 200; i++)
        {
            body["hookInstance"] = Guid.NewGuid().ToString();
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            var clock = Stopwatch.StartNew();
            using var response = await client.PostAsync(new Uri(Select, UriKind.Relative), content);
            var text = await response.Content.ReadAsStringAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Single(JsonNode.Parse(text)!["cards"]!.AsArray());
        }

        times.Sort();
        var p95 = times[(int)Math.Ceiling(0.95 * times.Count) - 1];
        Assert.True(p95 <= 300, $"p95 {p95:F1} ms over 200 calls (median {times[times.Count / 2]:F1} ms)");
    }

    // acceptance-checklist.md item 15: the default deadline (2 s for fetch, evidence and evaluation), a FHIR server that never answers.
    [Fact]
    public async Task B15_FhirServerAcceptsAndNeverAnswers_NoCardsWithinTheBudgetTimeoutLoggedTokenNot()
    {
        const string Token = "stalled-access-token-b15";
        using var stalled = new StalledServer();
        var logs = new CollectingLoggerProvider();
        await using var app = await KestrelHost.StartAsync(Loopback, logs);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        // One ordinary call first, so the timed call measures the deadline, not the first request's JIT (a
        // Debug build under a parallel test run took 2.7 s for the first call).
        using (var warmUp = new StringContent(TestFiles.ReadJson(TestFiles.CardCase).ToJsonString(), Encoding.UTF8, "application/json"))
        using (var warmed = await client.PostAsync(new Uri(Select, UriKind.Relative), warmUp))
        {
            Assert.Equal(HttpStatusCode.OK, warmed.StatusCode);
        }

        var request = TestFiles.ReadJson(TestFiles.CardCase);
        request["fhirServer"] = stalled.BaseUrl;
        request["fhirAuthorization"] = new JsonObject { ["access_token"] = Token, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "patient/Condition.read", ["subject"] = "cds" };
        request["prefetch"]!.AsObject().Remove("conditions");
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        var clock = Stopwatch.StartNew();

        using var response = await client.PostAsync(new Uri(Select, UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        var elapsed = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"cards":[]}"""), JsonNode.Parse(body)), body);
        Assert.True(stalled.Accepted > 0, "the FHIR server was never called");
        // Within the deadline plus what a loaded 2-core machine adds around it (2.7 s was seen with another test run
        // beside this one); CdsDeadlineTests checks the deadline itself to 100 ms with a fake server.
        Assert.InRange(elapsed, Loopback.Cds.Deadline, Loopback.Cds.Deadline + TimeSpan.FromSeconds(1));
        Assert.Contains(logs.Messages, m => m.Contains("timed out", StringComparison.Ordinal) && m.Contains(request["hookInstance"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(Token, StringComparison.Ordinal));
    }

    // Issue 13: the guidelines' red flags beyond the paper's five, and their negations, over a real socket. A red flag
    // makes the exam appropriate (no warning); a negated, someone else's or past mention leaves the warning.
    [Theory]
    [InlineData("LBP with saddle anesthesia and new urinary retention", null, "appropriate")]
    [InlineData("low back pain, r/o cauda equina", null, "appropriate")]
    [InlineData("low back pain", "G83.4", "appropriate")]
    [InlineData("low back pain with progressive leg weakness", null, "appropriate")]
    [InlineData("LBP, new foot drop", null, "appropriate")]
    [InlineData("LBP and unexplained weight loss", null, "appropriate")]
    [InlineData("low back pain", "R63.4", "appropriate")]
    [InlineData("LBP, osteoporotic vertebral collapse", null, "appropriate")]
    [InlineData("low back pain", "M80.08XA", "appropriate")]
    [InlineData("LBP, denies saddle anesthesia", null, "not-appropriate")]
    [InlineData("LBP, no bladder or bowel symptoms", null, "not-appropriate")]
    [InlineData("LBP, mother had cauda equina", null, "not-appropriate")]
    [InlineData("LBP, no weakness, no foot drop", null, "not-appropriate")]
    [InlineData("LBP, weight stable", null, "not-appropriate")]
    [InlineData("LBP, no weight loss", null, "not-appropriate")]
    [InlineData("LBP, intentional weight loss on a diet", null, "not-appropriate")]
    public async Task NewRedFlags_AndTheirNegations_OverRealHttp(string reason, string? code, string rating)
    {
        await using var app = await KestrelHost.StartAsync(Loopback);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var content = new StringContent(CardRequests.WithReason(reason, code).ToJsonString(), Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri(Select, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var rated = Assert.Single(body["systemActions"]!.AsArray())!["resource"]!["extension"]!.AsArray()
            .Single(e => e!["url"]!.GetValue<string>() == "http://fhir.org/argonaut/Extension/pama-rating")!;
        Assert.Equal(rating, rated["valueCodeableConcept"]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(rating == "not-appropriate" ? 1 : 0, body["cards"]!.AsArray().Count);
    }

    /// <summary>A TCP server on 127.0.0.1 that accepts every connection, reads nothing and never answers.</summary>
    private sealed class StalledServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<TcpClient> _held = [];
        private readonly CancellationTokenSource _stop = new();
        private int _accepted;

        public StalledServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/fhir";

        public int Accepted => Volatile.Read(ref _accepted);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_held)
            {
                _held.ForEach(c => c.Dispose());
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _accepted);
                    lock (_held)
                    {
                        _held.Add(client);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }
}
