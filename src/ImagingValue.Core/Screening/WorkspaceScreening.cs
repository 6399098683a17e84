using System.Collections.Concurrent;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;

namespace ImagingValue.Core.Screening;

/// <summary>How many orders a screening run decided, per decision.</summary>
public sealed record ScreeningTally(long RunId, DateTimeOffset CreatedAt, long Orders, IReadOnlyDictionary<string, long> ByDecision);

/// <summary>Screens every order of a workspace and stores the run, so each later figure can name the decisions behind it.</summary>
public static class WorkspaceScreening
{
    /// <summary>Orders screened at once: enough to keep both cores busy, few enough that memory does not grow with the workspace.</summary>
    private const int Batch = 4096;

    /// <summary>Screens and stores a run, keeping every order and decision in memory for the analysis that follows.</summary>
    public static async Task<(ScreeningRun Run, IReadOnlyList<ImagingOrder> Orders)> ScreenAsync(
        IWorkspaceStore store,
        Screener screener,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var orders = new List<ImagingOrder>();
        var decisions = new List<ScreeningDecision>();
        var tally = await ScreenStreamingAsync(store, screener, time, (order, decision) =>
        {
            orders.Add(order);
            decisions.Add(decision);
        }, cancellationToken);
        return (new ScreeningRun(screener.Protocol.Id, tally.CreatedAt, decisions), orders);
    }

    /// <summary>
    /// Screens every order in batches on all cores and stores the run as it goes; <paramref name="each"/> sees each
    /// order and its decision in order-id order. Memory stays flat: only a batch of orders is held (plus the conditions).
    /// The run is stored whole or, on an error or cancellation, not at all.
    /// </summary>
    public static async Task<ScreeningTally> ScreenStreamingAsync(
        IWorkspaceStore store,
        Screener screener,
        TimeProvider time,
        Action<ImagingOrder, ScreeningDecision>? each,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(screener);
        ArgumentNullException.ThrowIfNull(time);

        var conditions = (await store.GetConditionsAsync(cancellationToken))
            .ToLookup(c => c.PatientId, StringComparer.Ordinal);
        var byDecision = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        var createdAt = time.GetUtcNow();
        using var writer = store.BeginScreeningRun(screener.Protocol.Id, createdAt);

        // Three stages, so both cores stay busy: the thread pool screens a batch on every core; a thread of its own
        // reads the next batch and stores the one before from the same connection; another hands stored decisions to
        // <paramref name="each"/> (the screening log). Run in turn, reading, storing and logging left a core idle:
        // 121 % CPU for a million orders on a quiet 2-core machine, with storing and logging 7 of its 12 seconds
        // (benchmarks/README.md, screening).
        Task<ScreeningDecision[]> Screen(List<ImagingOrder> orders) => Task.Run(
            () =>
            {
                var decisions = new ScreeningDecision[orders.Count];
                Parallel.For(0, orders.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                    decisions[i] = screener.Screen(orders[i], conditions[orders[i].PatientId]));
                return decisions;
            },
            cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stored = new BlockingCollection<(List<ImagingOrder> Orders, ScreeningDecision[] Decisions)>(boundedCapacity: 4);

        void Store(List<ImagingOrder> orders, Task<ScreeningDecision[]> screening)
        {
            var decisions = screening.GetAwaiter().GetResult();
            for (var i = 0; i < orders.Count; i++)
            {
                writer.Add(decisions[i]);
                byDecision[decisions[i].DecisionText] = byDecision.GetValueOrDefault(decisions[i].DecisionText) + 1;
            }

            total += orders.Count;
            if (each is not null)
            {
                stored.Add((orders, decisions), stop.Token);
            }
        }

        void ReadScreenStore()
        {
            try
            {
                (List<ImagingOrder> Orders, Task<ScreeningDecision[]> Screening)? inFlight = null;
                var batch = new List<ImagingOrder>(Batch);

                // Start screening the batch just read, then store the one before it while the cores work.
                void Hand()
                {
                    var started = (batch, Screen(batch));
                    if (inFlight is { } previous)
                    {
                        Store(previous.Orders, previous.Screening);
                    }

                    inFlight = started;
                    batch = new List<ImagingOrder>(Batch);
                }

                foreach (var order in store.ReadOrders(cancellationToken))
                {
                    batch.Add(order);
                    if (batch.Count == Batch)
                    {
                        Hand();
                    }
                }

                Hand();
                Store(inFlight!.Value.Orders, inFlight.Value.Screening);
            }
            finally
            {
                stored.CompleteAdding();
            }
        }

        void HandOut()
        {
            try
            {
                foreach (var (orders, decisions) in stored.GetConsumingEnumerable(stop.Token))
                {
                    for (var i = 0; i < orders.Count; i++)
                    {
                        each!(orders[i], decisions[i]);
                    }
                }
            }
            catch
            {
                stop.Cancel(); // Stop the reader, which may be waiting for room in the queue.
                throw;
            }
        }

        var handing = each is null
            ? Task.CompletedTask
            : Task.Factory.StartNew(HandOut, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var reading = Task.Factory.StartNew(ReadScreenStore, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await reading.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Only a failed log stops the reader without the caller asking: report the log's error.
            await handing.ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (reading.IsFaulted || reading.IsCanceled)
            {
                stop.Cancel();
            }
        }

        await handing.ConfigureAwait(false);
        return new ScreeningTally(writer.Commit(), createdAt, total, byDecision);
    }
}
