using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;

namespace ImagingValue.Core.Screening;

/// <summary>Screens every order of a workspace and stores the run, so each later figure can name the decisions behind it.</summary>
public static class WorkspaceScreening
{
    public static async Task<(ScreeningRun Run, IReadOnlyList<ImagingOrder> Orders)> ScreenAsync(
        IWorkspaceStore store,
        Screener screener,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(screener);
        ArgumentNullException.ThrowIfNull(time);

        var orders = await store.GetOrdersAsync(cancellationToken);
        var conditions = (await store.GetConditionsAsync(cancellationToken))
            .ToLookup(c => c.PatientId, StringComparer.Ordinal);
        var decisions = new ScreeningDecision[orders.Count];
        Parallel.For(0, orders.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            decisions[i] = screener.Screen(orders[i], conditions[orders[i].PatientId]));

        var run = new ScreeningRun(screener.Protocol.Id, time.GetUtcNow(), decisions);
        await store.SaveScreeningRunAsync(run, cancellationToken);
        return (run, orders);
    }
}
