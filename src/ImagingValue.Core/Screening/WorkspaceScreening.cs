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
        var batch = new List<ImagingOrder>(Batch);
        var decisions = new ScreeningDecision[Batch];

        void Flush()
        {
            Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                decisions[i] = screener.Screen(batch[i], conditions[batch[i].PatientId]));
            for (var i = 0; i < batch.Count; i++)
            {
                writer.Add(decisions[i]);
                each?.Invoke(batch[i], decisions[i]);
                byDecision[decisions[i].DecisionText] = byDecision.GetValueOrDefault(decisions[i].DecisionText) + 1;
            }

            total += batch.Count;
            batch.Clear();
        }

        foreach (var order in store.ReadOrders(cancellationToken))
        {
            batch.Add(order);
            if (batch.Count == Batch)
            {
                Flush();
            }
        }

        Flush();
        return new ScreeningTally(writer.Commit(), createdAt, total, byDecision);
    }
}
