using ImagingValue.Core.Data;
using ImagingValue.Import.Fhir;
using ImagingValue.Import.Tests.Support;

namespace ImagingValue.Import.Tests.Fhir;

/// <summary>
/// <c>import --fhir</c> when something fails or is cancelled while its threads overlap: a batch of lines is parsed
/// on every core while the batch before is applied on another task, and rows are resolved on one thread while they
/// are staged on another through a bounded queue. Whatever fails, the caller gets the original error, no task is
/// left running against the scratch, nothing hangs and the workspace is as it was.
/// </summary>
public class FhirImportFailureTests
{
    /// <summary>Generous: a hang fails the test instead of stopping the run.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan HookWait = TimeSpan.FromSeconds(20);

    /// <summary>Rows the staging queue holds before the resolving side waits for room: 4 chunks queued, 1 being staged, 1 made.</summary>
    private const int RowsResolvedWhenTheQueueIsFull = 6 * 256;

    private static string Request(string id, string? subject = "Patient/p1", string name = "MRI", string? placerId = null) =>
        "{\"resourceType\":\"ServiceRequest\",\"id\":\"" + id + "\","
        + (placerId is null ? "" : "\"identifier\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0203\",\"code\":\"PLAC\"}]},\"value\":\"" + placerId + "\"}],")
        + "\"status\":\"active\",\"intent\":\"order\",\"code\":{\"coding\":[{\"system\":\"http://www.ama-assn.org/go/cpt\",\"code\":\"72195\"}],\"text\":\"" + name + "\"},"
        + (subject is null ? "" : "\"subject\":{\"reference\":\"" + subject + "\"},")
        + "\"authoredOn\":\"2016-01-01\"}";

    private const string Patient = """{"resourceType":"Patient","id":"p1"}""";

    /// <summary>A Patient on line 1, then a request <c>o{line}</c> on every other line (or what <paramref name="at"/> puts there).</summary>
    private static string Orders(int lines, Func<int, string?>? at = null) =>
        string.Join("\n", Enumerable.Range(1, lines).Select(n => n == 1 ? Patient : at?.Invoke(n) ?? Request($"o{n}"))) + "\n";

    /// <summary>A workspace that already holds orders the failed import would change (o2..o11 under another name).</summary>
    private static async Task<string> WorkspaceWithOrdersAsync(TempWorkspace ws)
    {
        var prior = ws.File("prior.ndjson", Orders(11, n => Request($"o{n}", name: "PRIOR")));
        var report = await ImportAsync(ws.Store.Imports, ws, strict: false, prior);
        Assert.Equal(10, report.Counts!["orders"].Inserted);
        return ws.Snapshot();
    }

    private static Task<FhirImportReport> ImportAsync(Core.Storage.IImportStore store, TempWorkspace ws, bool strict, string path, Action<int>? parsingLine = null, CancellationToken cancellationToken = default)
    {
        var (sources, problems) = FhirSources.Resolve([path], FhirImporter.IsResourceType);
        Assert.Empty(problems);
        return new FhirImporter(store, TimeZoneInfo.Utc) { ParsingLine = parsingLine }.ImportAsync(sources, strict, Path.Combine(ws.Rejects, "fhir.rejects.txt"), cancellationToken);
    }

    /// <summary>Nothing touches the scratch once the import returned: every task it started had ended.</summary>
    private static async Task AssertNothingRunsAfterAsync(HookedImportStore store)
    {
        var puts = store.Puts;
        await Task.Delay(300);
        Assert.Equal(puts, store.Puts);
        Assert.Empty(store.Misuse);
    }

    [Fact]
    public async Task AParseThatThrows_WhileTheBatchBeforeIsApplied_TheOriginalErrorComes_OnceThatBatchIsApplied()
    {
        using var ws = new TempWorkspace();
        var before = await WorkspaceWithOrdersAsync(ws);
        var store = new HookedImportStore(ws.Store.Imports);
        using var parseFailed = new ManualResetEventSlim();
        // The first batch (lines 1-64) is still being applied, slowly, when line 100 of the second fails to parse.
        store.OnReadingPut = n =>
        {
            if (n == 1)
            {
                parseFailed.Wait(HookWait);
                Thread.Sleep(200);
            }
        };
        void FailAtLine100(int line)
        {
            if (line == 100)
            {
                parseFailed.Set();
                throw new IOException("the disk went away at line 100");
            }
        }

        var import = ImportAsync(store, ws, strict: false, ws.File("many.ndjson", Orders(300)), FailAtLine100);

        // The error itself (an IOException is one readable line in the CLI), not an AggregateException around it.
        var error = await Assert.ThrowsAsync<IOException>(() => import.WaitAsync(Bound));
        Assert.Equal("the disk went away at line 100", error.Message);
        Assert.True(parseFailed.IsSet);
        Assert.Equal(63, store.Puts); // the first batch's 63 requests were all applied before the import returned
        await AssertNothingRunsAfterAsync(store);
        Assert.Equal(before, ws.Snapshot());
    }

    [Fact]
    public async Task AnApplyThatThrows_WhileTheNextBatchIsParsed_TheOriginalErrorComes_NothingRunsAfter()
    {
        using var ws = new TempWorkspace();
        var before = await WorkspaceWithOrdersAsync(ws);
        var store = new HookedImportStore(ws.Store.Imports);
        using var applyFailed = new ManualResetEventSlim();
        // The 100th scratch write is line 101's, in the second batch, applied while the third (129-192) is parsed.
        store.OnReadingPut = n =>
        {
            if (n == 100)
            {
                applyFailed.Set();
                throw new IOException("the scratch's disk is full");
            }
        };
        void SlowAfterTheApplyFailed(int line)
        {
            if (line == 150)
            {
                applyFailed.Wait(HookWait);
                Thread.Sleep(100);
            }
        }

        var import = ImportAsync(store, ws, strict: false, ws.File("many.ndjson", Orders(300)), SlowAfterTheApplyFailed);

        var error = await Assert.ThrowsAsync<IOException>(() => import.WaitAsync(Bound));
        Assert.Equal("the scratch's disk is full", error.Message);
        Assert.Equal(100, store.Puts); // nothing applied after the failed write: the third batch was parsed, never applied
        await AssertNothingRunsAfterAsync(store);
        Assert.Equal(before, ws.Snapshot());
    }

    public static TheoryData<string> Stages => new() { "parse", "apply", "resolve", "stage, the queue full", "a table's commit", "the batch's commit" };

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task CancelledAtAnyStage_TheWorkspaceAsItWas_NothingHangs_NothingRunsAfter(string stage)
    {
        using var ws = new TempWorkspace();
        var before = await WorkspaceWithOrdersAsync(ws);
        var store = new HookedImportStore(ws.Store.Imports);
        using var cancel = new CancellationTokenSource();
        var resolvedWhenCancelled = -1;
        Action<int>? parsingLine = null;
        switch (stage)
        {
            case "parse":
                parsingLine = line =>
                {
                    if (line == 700)
                    {
                        cancel.Cancel();
                    }
                };
                break;
            case "apply":
                store.OnReadingPut = n =>
                {
                    if (n == 700)
                    {
                        cancel.Cancel();
                    }
                };
                break;
            case "resolve":
                store.OnResolvingPut = n =>
                {
                    if (n == 300)
                    {
                        cancel.Cancel();
                    }
                };
                break;
            case "stage, the queue full":
                store.OnStage = n =>
                {
                    if (n == 1)
                    {
                        SpinWait.SpinUntil(() => store.PutsWhileResolving >= RowsResolvedWhenTheQueueIsFull, HookWait);
                        Thread.Sleep(100);
                        resolvedWhenCancelled = store.PutsWhileResolving;
                        cancel.Cancel();
                    }
                };
                break;
            case "a table's commit":
                // The orders' session has committed inside the batch's transaction; the conditions' has not.
                store.OnTableCommit = table =>
                {
                    if (table == CanonicalTable.Conditions)
                    {
                        cancel.Cancel();
                    }
                };
                break;
            case "the batch's commit":
                store.OnBatchCommit = cancel.Cancel;
                break;
        }

        var import = ImportAsync(store, ws, strict: false, ws.File("many.ndjson", Orders(2000)), parsingLine, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => import.WaitAsync(Bound));
        Assert.True(cancel.IsCancellationRequested);
        if (stage.StartsWith("stage", StringComparison.Ordinal))
        {
            Assert.Equal(RowsResolvedWhenTheQueueIsFull, resolvedWhenCancelled); // the resolving side was waiting for room
        }

        await AssertNothingRunsAfterAsync(store);
        Assert.Equal(before, ws.Snapshot());
    }

    [Fact]
    public async Task StagingFails_WhileTheResolvingSideWaitsForRoomInTheQueue_TheOriginalErrorComes_NothingHangs()
    {
        using var ws = new TempWorkspace();
        var before = await WorkspaceWithOrdersAsync(ws);
        var store = new HookedImportStore(ws.Store.Imports);
        var resolvedWhenFailed = -1;
        store.OnStage = n =>
        {
            if (n == 1)
            {
                SpinWait.SpinUntil(() => store.PutsWhileResolving >= RowsResolvedWhenTheQueueIsFull, HookWait);
                Thread.Sleep(100);
                resolvedWhenFailed = store.PutsWhileResolving;
                throw new IOException("the workspace's disk is full");
            }
        };

        var import = ImportAsync(store, ws, strict: false, ws.File("many.ndjson", Orders(2000)));

        var error = await Assert.ThrowsAsync<IOException>(() => import.WaitAsync(Bound));
        Assert.Equal("the workspace's disk is full", error.Message);
        Assert.Equal(RowsResolvedWhenTheQueueIsFull, resolvedWhenFailed);
        await AssertNothingRunsAfterAsync(store);
        Assert.Equal(before, ws.Snapshot());
    }

    [Theory]
    [InlineData(5)] // before the first chunk: the staging side is waiting for one
    [InlineData(700)] // the staging side busy with the first chunk, the queue full behind it
    public async Task ResolvingFails_WhileRowsAreStaged_TheOriginalErrorComes_NothingHangs(int failingRow)
    {
        using var ws = new TempWorkspace();
        var before = await WorkspaceWithOrdersAsync(ws);
        var store = new HookedImportStore(ws.Store.Imports);
        using var resolvingFailed = new ManualResetEventSlim();
        store.OnResolvingPut = n =>
        {
            if (n == failingRow)
            {
                resolvingFailed.Set();
                throw new IOException($"the scratch failed at row {n}");
            }
        };
        store.OnStage = n =>
        {
            if (n == 1)
            {
                resolvingFailed.Wait(HookWait);
            }
        };

        var import = ImportAsync(store, ws, strict: false, ws.File("many.ndjson", Orders(2000)));

        // Not the OperationCanceledException of the side that was stopped: the error that stopped it.
        var error = await Assert.ThrowsAsync<IOException>(() => import.WaitAsync(Bound));
        Assert.Equal($"the scratch failed at row {failingRow}", error.Message);
        await AssertNothingRunsAfterAsync(store);
        Assert.Equal(before, ws.Snapshot());
    }

    [Fact]
    public async Task ErrorsOfSeveralFilesAndBatches_ComeInOneOrder_EveryRun_TheSameInTheReportAndTheRejectsFile()
    {
        // Errors found while reading (in file order, every batch), then while resolving, then conflicting keys.
        var readErrors = new[] { ("a", 30), ("a", 90), ("a", 170), ("b", 10), ("b", 100), ("b", 190) };
        var dangling = new[] { ("a", 50), ("a", 140), ("b", 70) };
        string? Line(string file, int n) =>
            readErrors.Contains((file, n)) ? Request($"{file}{n}", subject: null)
            : dangling.Contains((file, n)) ? Request($"{file}{n}", subject: "Patient/nobody")
            : (file, n) is ("a", 20) or ("b", 150) ? Request($"{file}{n}", name: $"given by {file}", placerId: "PL-X")
            : (file, n) == ("b", 1) ? Request("b1")
            : Request($"{file}{n}");
        var expected = readErrors.Select(e => $"{e.Item1}.ndjson:{e.Item2}: ServiceRequest/{e.Item1}{e.Item2}: subject: missing (an order needs its Patient)")
            .Concat(dangling.Select(e => $"{e.Item1}.ndjson:{e.Item2}: ServiceRequest/{e.Item1}{e.Item2}: subject: Patient/nobody is not in the import (or was rejected)"))
            .ToList();

        var runs = new List<IReadOnlyList<string>>();
        for (var run = 0; run < 3; run++)
        {
            using var ws = new TempWorkspace();
            Directory.CreateDirectory(Path.Combine(ws.Directory, "export"));
            ws.File("export/a.ndjson", Orders(200, n => Line("a", n)));
            ws.File("export/b.ndjson", string.Join("\n", Enumerable.Range(1, 200).Select(n => Line("b", n))) + "\n");
            var store = new HookedImportStore(ws.Store.Imports);

            var report = await ImportAsync(store, ws, strict: false, Path.Combine(ws.Directory, "export")).WaitAsync(Bound);

            Assert.Equal(report.ErrorsKept, File.ReadAllLines(report.RejectsPath!));
            Assert.Equal(expected, report.ErrorsKept.Take(expected.Count));
            Assert.Equal(2, report.ErrorsKept.Count - expected.Count);
            Assert.StartsWith("a.ndjson:20: ServiceRequest/a20: ", report.ErrorsKept[^2], StringComparison.Ordinal);
            Assert.StartsWith("b.ndjson:150: ServiceRequest/b150: ", report.ErrorsKept[^1], StringComparison.Ordinal);
            Assert.All(report.ErrorsKept.TakeLast(2), e => Assert.EndsWith("'PL-X' is given with different data by a.ndjson:20, b.ndjson:150: none of them imported", e, StringComparison.Ordinal));
            Assert.Empty(store.Misuse);
            runs.Add(report.ErrorsKept);
        }

        Assert.All(runs, r => Assert.Equal(runs[0], r));
    }

    [Fact]
    public async Task AnExportOfEveryKind_ItsScratchNeverUsedByTwoThreadsAtOnce()
    {
        // Requests, studies, procedures, conditions and reports over many batches: every resource the apply maps
        // writes the scratch, so a write overlapping the parse's (or the resolving thread's) use would be noted.
        using var ws = new TempWorkspace();
        string Line(int n) => (n % 5) switch
        {
            0 => $$$"""{"resourceType":"Condition","id":"c{{{n}}}","subject":{"reference":"Patient/p1"},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M54.5"}]}}""",
            1 => $$"""{"resourceType":"ImagingStudy","id":"is{{n}}","status":"available","subject":{"reference":"Patient/p1"},"basedOn":[{"reference":"ServiceRequest/o{{n + 1}}"}],"started":"2016-09-07T09:00:00Z"}""",
            3 => $$"""{"resourceType":"DiagnosticReport","id":"dr{{n}}","status":"final","code":{"text":"MRI"},"basedOn":[{"reference":"ServiceRequest/o{{n - 1}}"}],"conclusion":"No acute findings."}""",
            _ => Request($"o{n}"),
        };
        var store = new HookedImportStore(ws.Store.Imports);

        var report = await ImportAsync(store, ws, strict: true, ws.File("all.ndjson", Orders(3000, Line))).WaitAsync(Bound);

        Assert.Empty(report.ErrorsKept);
        Assert.Equal((1200L, 600L, 600L), (report.Counts!["orders"].Inserted, report.Counts["conditions"].Inserted, report.Counts["reports"].Inserted));
        Assert.Empty(store.Misuse);
    }

    public static TheoryData<string, int, string[]> StrictCases => new()
    {
        { "a bad line in the fifth batch", 300, ["many.ndjson:300: ServiceRequest/o300: subject: missing (an order needs its Patient)"] },
        { "a subject found in no batch", 250, ["many.ndjson:250: ServiceRequest/o250: subject: Patient/nobody is not in the import (or was rejected)"] },
        { "one order id given in two batches", 310, ["many.ndjson:10: ServiceRequest/o10: ", "many.ndjson:310: ServiceRequest/o310: "] },
        // Errors of reading and of resolving in one run: both named, not only the first kind.
        { "a bad line and a subject found in no batch", 300, ["many.ndjson:300: ServiceRequest/o300: subject: missing (an order needs its Patient)", "many.ndjson:250: ServiceRequest/o250: subject: Patient/nobody is not in the import (or was rejected)"] },
    };

    [Theory]
    [MemberData(nameof(StrictCases))]
    public async Task Strict_AnErrorInAnyBatchOrFoundOnlyWhenResolving_NothingStored(string what, int line, string[] errors)
    {
        using var ws = new TempWorkspace();
        var before = await WorkspaceWithOrdersAsync(ws);
        var store = new HookedImportStore(ws.Store.Imports);
        string? Bad(int n) => what switch
        {
            "a bad line in the fifth batch" or "a bad line and a subject found in no batch" when n == line => Request($"o{n}", subject: null),
            "a bad line and a subject found in no batch" when n == 250 => Request($"o{n}", subject: "Patient/nobody"),
            "a subject found in no batch" when n == line => Request($"o{n}", subject: "Patient/nobody"),
            "one order id given in two batches" when n == 10 || n == line => Request($"o{n}", name: $"line {n}", placerId: "PL-TWICE"),
            _ => null,
        };

        var report = await ImportAsync(store, ws, strict: true, ws.File("many.ndjson", Orders(320, Bad))).WaitAsync(Bound);

        Assert.True(report.Refused);
        Assert.Equal(errors.Length, report.ErrorsKept.Count);
        Assert.All(errors.Zip(report.ErrorsKept), e => Assert.StartsWith(e.First, e.Second, StringComparison.Ordinal));
        Assert.Empty(store.Misuse);
        Assert.Equal(before, ws.Snapshot());
    }
}
