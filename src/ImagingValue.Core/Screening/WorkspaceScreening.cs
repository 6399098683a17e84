using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ImagingValue.Core.Data;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Storage;

namespace ImagingValue.Core.Screening;

/// <summary>How many orders a screening run decided, per decision.</summary>
public sealed record ScreeningTally(long RunId, DateTimeOffset CreatedAt, long Orders, IReadOnlyDictionary<string, long> ByDecision);

/// <summary>A workspace's orders with the decisions of one stored screening run.</summary>
/// <param name="Reused">True when the run was already stored (same protocol text, same data); false when it was made now.</param>
public sealed record ScreenedWorkspace(long RunId, bool Reused, IReadOnlyList<ImagingOrder> Orders, ScreeningRun Run);

/// <summary>Screens every order of a workspace and stores the run, so each later figure can name the decisions behind it.</summary>
public static class WorkspaceScreening
{
    /// <summary>
    /// The decisions of the latest run of the protocol when it was made from this protocol text and this data;
    /// otherwise screens and stores a new run. What only reads (analyze, report, monitor) thus writes nothing when
    /// nothing changed, and the run the reviewers' worklist shows moves only when the data or the protocol did.
    /// </summary>
    public static async Task<ScreenedWorkspace> LatestOrScreenAsync(
        IClinicalDataStore data, IScreeningRunStore runs, ProtocolRuntime protocol, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(protocol);
        var revision = await runs.GetScreeningInputsRevisionAsync(cancellationToken);
        if (await runs.GetLatestScreeningRunAsync(protocol.Protocol.Id, cancellationToken) is { } latest && latest.IsCurrent(protocol.Fingerprint, revision))
        {
            var orders = await data.ReadOrdersAsync(cancellationToken);
            var decisions = await runs.GetScreeningDecisionsAsync(latest.RunId, cancellationToken);
            return new ScreenedWorkspace(latest.RunId, true, orders, new ScreeningRun(latest.ProtocolId, latest.CreatedAt, decisions));
        }

        return await ScreenAsync(data, runs, protocol, time, cancellationToken);
    }

    /// <summary>Screens and stores a run, keeping every order and decision in memory for the analysis that follows.</summary>
    public static async Task<ScreenedWorkspace> ScreenAsync(
        IClinicalDataStore data,
        IScreeningRunStore runs,
        ProtocolRuntime protocol,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var orders = new List<ImagingOrder>();
        var decisions = new List<ScreeningDecision>();
        var tally = await ScreenStreamingAsync(data, runs, protocol, time, (order, decision) =>
        {
            orders.Add(order);
            decisions.Add(decision);
        }, cancellationToken);
        return new ScreenedWorkspace(tally.RunId, false, orders, new ScreeningRun(protocol.Protocol.Id, tally.CreatedAt, decisions));
    }

    /// <summary>
    /// Screens every order a page at a time on all cores and stores the run as it goes; <paramref name="each"/> sees
    /// each order and its decision in order-id order. Memory stays flat: only a few pages of orders are held (plus the
    /// conditions).
    /// The run is stored whole or, on an error or cancellation, not at all.
    /// </summary>
    public static async Task<ScreeningTally> ScreenStreamingAsync(
        IClinicalDataStore data,
        IScreeningRunStore runs,
        ProtocolRuntime protocol,
        TimeProvider time,
        Action<ImagingOrder, ScreeningDecision>? each,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(time);
        var screener = protocol.Screener;

        // Read before the orders: an import that lands while screening makes the run look older than it is (and it
        // is screened again next time), never newer.
        var revision = await runs.GetScreeningInputsRevisionAsync(cancellationToken);

        var conditions = (await data.GetConditionsAsync(cancellationToken))
            .ToLookup(c => c.PatientId, StringComparer.Ordinal);
        var byDecision = new Dictionary<string, long>(StringComparer.Ordinal);
        var createdAt = time.GetUtcNow();
        await using var writer = await runs.BeginScreeningRunAsync(new ScreeningRunStamp(protocol.Protocol.Id, protocol.Fingerprint, revision, createdAt), cancellationToken);

        // Four stages, so both cores stay busy: a thread of its own reads pages of orders and starts each on the pool,
        // which decodes and screens it; another stores the screened pages in order; a third hands them to
        // <paramref name="each"/> (the screening log). Decoding orders on the thread that also read and stored them
        // made that thread set the pace: 12.4-15.0 s and 134-142 % CPU for a million orders on a 2-core machine,
        // against 9.7-11.7 s and 147-152 % now (benchmarks/README.md, screening). Bounded queues keep memory flat.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Read once: a page still queued when a stage fails may start after this method has disposed the source.
        var token = stop.Token;
        using var screening = new BlockingCollection<Task<(IReadOnlyList<ImagingOrder> Orders, ScreeningDecision[] Decisions)>>(boundedCapacity: 4);
        using var stored = new BlockingCollection<(IReadOnlyList<ImagingOrder> Orders, ScreeningDecision[] Decisions)>(boundedCapacity: 4);

        Task<(IReadOnlyList<ImagingOrder>, ScreeningDecision[])> Screen(OrderPage page) => Task.Run(
            () =>
            {
                var orders = page.Decode();
                var decisions = new ScreeningDecision[orders.Count];
                Parallel.For(0, orders.Count, new ParallelOptions { CancellationToken = token }, i =>
                    decisions[i] = screener.Screen(orders[i], conditions[orders[i].PatientId], token));
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
                await writer.AddAsync(decisions, token).ConfigureAwait(false);
                foreach (var decision in decisions)
                {
                    byDecision[decision.DecisionText] = byDecision.GetValueOrDefault(decision.DecisionText) + 1;
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
                    each!(orders[i], decisions[i]);
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

        return new ScreeningTally(await writer.CommitAsync(cancellationToken).ConfigureAwait(false), createdAt, byDecision.Values.Sum(), byDecision);
    }
}
