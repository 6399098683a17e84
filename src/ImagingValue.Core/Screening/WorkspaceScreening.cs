using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ImagingValue.Core.Data;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Storage;

namespace ImagingValue.Core.Screening;

/// <summary>How many orders a screening run of one protocol decided, per decision.</summary>
public sealed record ScreeningTally(long RunId, string ProtocolId, DateTimeOffset CreatedAt, long Orders, IReadOnlyDictionary<string, long> ByDecision);

/// <summary>A stored screening run of one protocol, current for the workspace's data; its decisions stay in the store.</summary>
/// <param name="Reused">True when the run was already stored (same protocol text, same data); false when it was made now.</param>
public sealed record ScreenedRun(long RunId, bool Reused, string ProtocolId, DateTimeOffset CreatedAt);

/// <summary>
/// Screens every order of a workspace against one or more protocols in one pass (each order decoded once) and stores
/// one run per protocol, so each later figure can name the decisions behind it.
/// </summary>
public static class WorkspaceScreening
{
    /// <summary>The latest run of one protocol, or a new one (<see cref="LatestOrScreenAsync(IClinicalDataStore, IScreeningRunStore, IReadOnlyList{ProtocolRuntime}, TimeProvider, CancellationToken)"/>).</summary>
    public static async Task<ScreenedRun> LatestOrScreenAsync(
        IClinicalDataStore data, IScreeningRunStore runs, ProtocolRuntime protocol, TimeProvider time, CancellationToken cancellationToken) =>
        (await LatestOrScreenAsync(data, runs, [protocol], time, cancellationToken))[0];

    /// <summary>
    /// Per protocol, in the order given: its latest run when it was made from this protocol text and this data; the
    /// protocols without such a run are screened together, in one pass, and stored. What only reads (analyze, report,
    /// monitor) thus writes nothing when nothing changed, and the run the reviewers' worklist shows moves only when the
    /// data or the protocol did. Neither orders nor decisions are kept: the caller reads what it needs of the runs
    /// (<see cref="IScreeningRunStore.GetTargetOrdersAsync"/>), so memory stays flat however many orders there are.
    /// </summary>
    public static async Task<IReadOnlyList<ScreenedRun>> LatestOrScreenAsync(
        IClinicalDataStore data, IScreeningRunStore runs, IReadOnlyList<ProtocolRuntime> protocols, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(protocols);
        var revision = await runs.GetScreeningInputsRevisionAsync(cancellationToken);
        var result = new ScreenedRun?[protocols.Count];
        for (var p = 0; p < protocols.Count; p++)
        {
            if (await runs.GetLatestScreeningRunAsync(protocols[p].Protocol.Id, cancellationToken) is { } latest && latest.IsCurrent(protocols[p].Fingerprint, revision))
            {
                result[p] = new ScreenedRun(latest.RunId, true, latest.ProtocolId, latest.CreatedAt);
            }
        }

        var stale = Enumerable.Range(0, protocols.Count).Where(p => result[p] is null).ToList();
        if (stale.Count > 0)
        {
            var tallies = await ScreenStreamingAsync(data, runs, [.. stale.Select(p => protocols[p])], time, null, cancellationToken);
            for (var i = 0; i < stale.Count; i++)
            {
                result[stale[i]] = new ScreenedRun(tallies[i].RunId, false, tallies[i].ProtocolId, tallies[i].CreatedAt);
            }
        }

        return [.. result.Select(r => r!)];
    }

    /// <summary>
    /// Screens every order a page at a time on all cores against every protocol given (each order is decoded once;
    /// each protocol reads an order's text only when the order is its target exam) and stores one run per protocol
    /// as it goes; <paramref name="each"/> sees each order with each protocol's decision (the protocol's index in
    /// <paramref name="protocols"/>), in order-id order and, for one order, in protocol order. Memory stays flat: only
    /// a few pages of orders are held (plus the conditions).
    /// The runs are stored whole or, on an error or cancellation, not at all.
    /// </summary>
    /// <returns>A tally per protocol, in the order given.</returns>
    public static async Task<IReadOnlyList<ScreeningTally>> ScreenStreamingAsync(
        IClinicalDataStore data,
        IScreeningRunStore runs,
        IReadOnlyList<ProtocolRuntime> protocols,
        TimeProvider time,
        Action<ImagingOrder, int, ScreeningDecision>? each,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(protocols);
        ArgumentNullException.ThrowIfNull(time);
        if (protocols.Count == 0 || protocols.Select(p => p.Protocol.Id).Distinct(StringComparer.Ordinal).Count() != protocols.Count)
        {
            throw new ArgumentException("one or more protocols, each once", nameof(protocols));
        }

        var screeners = protocols.Select(p => p.Screener).ToArray();

        // Read before the orders: an import that lands while screening makes the run look older than it is (and it
        // is screened again next time), never newer.
        var revision = await runs.GetScreeningInputsRevisionAsync(cancellationToken);

        var conditions = (await data.GetConditionsAsync(cancellationToken))
            .ToLookup(c => c.PatientId, StringComparer.Ordinal);
        // Counted by the enum on the storing thread, which sets the pace: a dictionary keyed by the decision's word cost
        // about 1.4 of that thread's 12.4 CPU s for three protocols over a million orders (benchmarks/README.md, issue 17).
        var byDecision = protocols.Select(_ => new long[Enum.GetValues<Decision>().Length]).ToArray();
        var createdAt = time.GetUtcNow();
        await using var writer = await runs.BeginScreeningRunsAsync([.. protocols.Select(p => new ScreeningRunStamp(p.Protocol.Id, p.Fingerprint, revision, createdAt))], cancellationToken);

        // Four stages, so both cores stay busy: a thread of its own reads pages of orders and starts each on the pool,
        // which decodes and screens it; another stores the screened pages in order; a third hands them to
        // <paramref name="each"/> (the screening log). Decoding orders on the thread that also read and stored them
        // made that thread set the pace: 12.4-15.0 s and 134-142 % CPU for a million orders on a 2-core machine,
        // against 9.7-11.7 s and 147-152 % now (benchmarks/README.md, screening). Bounded queues keep memory flat.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Read once: a page still queued when a stage fails may start after this method has disposed the source.
        var token = stop.Token;
        // A page's decisions: one array per protocol, each in the page's order.
        using var screening = new BlockingCollection<Task<(IReadOnlyList<ImagingOrder> Orders, ScreeningDecision[][] Decisions)>>(boundedCapacity: 4);
        using var stored = new BlockingCollection<(IReadOnlyList<ImagingOrder> Orders, ScreeningDecision[][] Decisions)>(boundedCapacity: 4);

        Task<(IReadOnlyList<ImagingOrder>, ScreeningDecision[][])> Screen(OrderPage page) => Task.Run(
            () =>
            {
                // One task per page, all protocols, no parallel loop inside: the pages queued run side by side and
                // keep the cores busy, where a parallel loop per page made the pool's threads spin and wait at every
                // page's end (benchmarks/README.md, issue 17).
                var orders = page.Decode();
                var decisions = new ScreeningDecision[screeners.Length][];
                for (var p = 0; p < screeners.Length; p++)
                {
                    decisions[p] = new ScreeningDecision[orders.Count];
                }

                for (var i = 0; i < orders.Count; i++)
                {
                    token.ThrowIfCancellationRequested();
                    var order = orders[i];
                    var patientConditions = conditions[order.PatientId];
                    for (var p = 0; p < screeners.Length; p++)
                    {
                        decisions[p][i] = screeners[p].Screen(order, patientConditions, token);
                    }
                }

                return (orders, decisions);
            },
            token);

        async Task Read()
        {
            // A store that completes synchronously (SQLite) keeps this loop on the stage's own thread.
            await foreach (var page in data.ReadOrderPagesAsync(token).ConfigureAwait(false))
            {
                screening.Add(Screen(page), token);
            }
        }

        async Task Store()
        {
            foreach (var screened in screening.GetConsumingEnumerable(token))
            {
                // Blocks rather than awaits: the page is CPU work on the pool, and this stage keeps its own thread.
                var (orders, decisions) = screened.GetAwaiter().GetResult();
                for (var p = 0; p < decisions.Length; p++)
                {
                    await writer.AddAsync(p, decisions[p], token).ConfigureAwait(false);
                    var counts = byDecision[p];
                    foreach (var decision in decisions[p])
                    {
                        counts[(int)decision.Decision]++;
                    }
                }

                if (each is not null)
                {
                    stored.Add((orders, decisions), token);
                }
            }
        }

        Task HandOut()
        {
            foreach (var (orders, decisions) in stored.GetConsumingEnumerable(token))
            {
                for (var i = 0; i < orders.Count; i++)
                {
                    for (var p = 0; p < decisions.Length; p++)
                    {
                        each!(orders[i], p, decisions[p][i]);
                    }
                }
            }

            return Task.CompletedTask;
        }

        // A stage that fails stops the others (which may be waiting on a queue); either way it ends its output queue.
        Task Stage(Func<Task> run, Action? endOutput) =>
            Task.Factory.StartNew(
                async () =>
                {
                    try
                    {
                        await run().ConfigureAwait(false);
                    }
                    catch
                    {
                        stop.Cancel();
                        throw;
                    }
                    finally
                    {
                        endOutput?.Invoke();
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap();

        var stages = new[]
        {
            Stage(Read, screening.CompleteAdding),
            Stage(Store, stored.CompleteAdding),
            each is null ? Task.CompletedTask : Stage(HandOut, null),
        };
        try
        {
            await Task.WhenAll(stages).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Stopped by a stage that failed, not by the caller: report that stage's own error.
            var failure = stages.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).FirstOrDefault(e => e is not OperationCanceledException);
            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            throw;
        }

        static Dictionary<string, long> Tally(long[] counts) =>
            Enum.GetValues<Decision>().Where(d => counts[(int)d] > 0).ToDictionary(ScreeningDecision.Text, d => counts[(int)d], StringComparer.Ordinal);

        var runIds = await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        return [.. protocols.Select((p, i) => new ScreeningTally(runIds[i], p.Protocol.Id, createdAt, byDecision[i].Sum(), Tally(byDecision[i])))];
    }
}
