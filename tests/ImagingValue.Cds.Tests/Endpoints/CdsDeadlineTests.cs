using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ImagingValue.Cds.Tests.Support;
using ImagingValue.Core.Alerts;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>
/// Issue 12: one deadline per call covers fetching missing prefetch, reading the local evidence and evaluating. The
/// steps used to have a budget each, one after another, so a slow FHIR server and a blocked evidence read added up.
/// </summary>
public sealed class CdsDeadlineTests(ITestOutputHelper output)
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(500);
    // What a loaded 2-core machine adds around the deadline (602 ms was seen at load average 20); the answer without
    // the deadline would wait for a FHIR server that never answers, or an evaluation of ~2 s.
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(250);

    [Theory]
    [InlineData(-1)] // the FHIR server never answers
    [InlineData(300)] // it answers (no conditions) after most of the deadline; the evidence read then blocks
    public async Task Post_FhirServerStallsAndEvidenceReadBlocks_NoCardsWithinTheDeadline(int fhirStallMs)
    {
        var clock = new FakeTimeProvider(CdsTestHost.Now);
        var fhir = new FakeFhirServer(HttpStatusCode.OK, """{"resourceType":"Bundle","type":"searchset","total":0}""", stall: TimeSpan.FromMilliseconds(fhirStallMs));
        var evidence = new BlockingEvidence();
        await using var host = await CdsTestHost.StartAsync(time: clock, fhirServer: fhir, evidence: evidence, deadline: Deadline);

        // One ordinary call first through the same path (conditions fetched, evidence answers), so the timed call
        // measures the deadline, not the first fetch's JIT. CI saw the timed call at 1 s when the warm-up took
        // the prefetch path only.
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        request["fhirServer"] = "https://fhir.example.org/r4";
        request["prefetch"]!.AsObject().Remove("conditions");
        fhir.Stalling = false;
        Assert.Single((await host.PostOkAsync(Select, request.ToJsonString()))["cards"]!.AsArray());
        fhir.Stalling = true;
        fhir.Calls.Clear();
        clock.Advance(TimeSpan.FromMinutes(2)); // the cached evidence is stale: the timed call reads it again
        evidence.Block();

        await PostAnsweredWithNoCardsWithinTheDeadlineAsync(host, request);
        Assert.Single(fhir.Calls);
        Assert.Equal(fhirStallMs >= 0, evidence.BlockedReads > 0);
    }

    // Issue 14: a reason written as one 72 KB run of clauses takes the reader far longer than the deadline. The call
    // answers within its budget, and the evaluation itself stops: the endpoint logs how the abandoned evaluation ended.
    [Fact]
    public async Task Post_ReasonTooLongToReadInTime_NoCardsWithinTheDeadlineAndTheEvaluationIsCancelled()
    {
        var logs = new CollectingLoggerProvider();
        await using var host = await CdsTestHost.StartAsync(deadline: Deadline, logs: logs);
        Assert.Single((await host.PostOkAsync(Select, TestFiles.ReadJson(TestFiles.CardCase).ToJsonString()))["cards"]!.AsArray()); // warm-up
        var reason = "low back pain, " + string.Concat(Enumerable.Repeat("no fever, no trauma, denies cancer, ", 2000));
        var request = CardRequests.WithReason(reason, hookInstance: "long-reason-call");

        await PostAnsweredWithNoCardsWithinTheDeadlineAsync(host, request);

        // How the evaluation ended, once it has: "cancelled" within a sentence's work of the deadline. Before issue 14
        // it ran to completion, seconds later. The wait is generous for a loaded machine; the log line decides.
        var stopped = await EventuallyAsync(() => logs.Messages.FirstOrDefault(m => m.Contains("long-reason-call: the evaluation stopped", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        output.WriteLine(stopped);
        Assert.Contains("(cancelled)", stopped, StringComparison.Ordinal);
        var afterMs = double.Parse(stopped.Split(" ms after")[0].Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(afterMs < 1000, $"the evaluation went on {afterMs:F0} ms after the answer");
    }

    /// <summary>Posts <paramref name="request"/> and checks the fail-open answer, <c>{"cards": []}</c>, came within the deadline.</summary>
    private async Task PostAnsweredWithNoCardsWithinTheDeadlineAsync(CdsTestHost host, JsonObject request)
    {
        var stopwatch = Stopwatch.StartNew();
        var (status, body) = await host.PostAsync(Select, request.ToJsonString());
        var elapsed = stopwatch.Elapsed;
        output.WriteLine($"answered after {elapsed.TotalMilliseconds:F0} ms");

        Assert.Equal(200, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"cards":[]}"""), body), body?.ToJsonString());
        Assert.True(elapsed <= Deadline + Slack, $"answered after {elapsed.TotalMilliseconds:F0} ms; deadline {Deadline.TotalMilliseconds:F0} ms");
    }

    private static async Task<string> EventuallyAsync(Func<string?> probe, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        string? found;
        while ((found = probe()) is null)
        {
            Assert.True(clock.Elapsed < within, $"nothing after {within.TotalSeconds:F0} s");
            await Task.Delay(20);
        }

        return found;
    }

    /// <summary>No evidence until <see cref="Block"/>; then every read waits on a task that never completes (and ignores its token).</summary>
    private sealed class BlockingEvidence : ILocalEvidenceSource
    {
        private readonly TaskCompletionSource<LocalEvidence?> _never = new();
        private volatile bool _blocked;
        private int _blockedReads;

        public int BlockedReads => Volatile.Read(ref _blockedReads);

        public void Block() => _blocked = true;

        public Task<LocalEvidence?> LatestAsync(string protocolId, CancellationToken cancellationToken)
        {
            if (!_blocked)
            {
                return Task.FromResult<LocalEvidence?>(null);
            }

            Interlocked.Increment(ref _blockedReads);
            return _never.Task;
        }
    }
}
