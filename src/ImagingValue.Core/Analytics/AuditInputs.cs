using ImagingValue.Core.Protocols;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;

namespace ImagingValue.Core.Analytics;

/// <summary>
/// What the audits of one or more stored runs read of a workspace: each run's target exams with their orders, and
/// what every other order adds (<see cref="OrderFacts"/>), collected in one pass for all of them.
/// </summary>
/// <param name="Targets">Per run, in the order given, its target exams by order id.</param>
public sealed record AuditInputs(IReadOnlyList<IReadOnlyList<TargetOrder>> Targets, OrderFacts Facts)
{
    /// <summary>Reads the target exams of each run, then the facts of every order for the protocols' concurrent exams on the included exams' days.</summary>
    public static async Task<AuditInputs> ReadAsync(
        IClinicalDataStore data, IScreeningRunStore runs, IReadOnlyList<ScreenedRun> screened, IReadOnlyList<Protocol> protocols, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(screened);
        ArgumentNullException.ThrowIfNull(protocols);
        var targets = new List<IReadOnlyList<TargetOrder>>(screened.Count);
        foreach (var run in screened)
        {
            targets.Add(await runs.GetTargetOrdersAsync(run.RunId, cancellationToken).ConfigureAwait(false));
        }

        var days = targets.SelectMany(t => AuditAnalyzer.IncludedDays(t)).ToHashSet();
        var facts = await OrderFacts.CollectAsync(data, protocols.SelectMany(p => p.ConcurrentExams.Values), days, cancellationToken).ConfigureAwait(false);
        return new AuditInputs(targets, facts);
    }

    /// <summary>The exam dates of a run's included exams (what monitoring counts).</summary>
    public static IReadOnlyList<DateOnly> IncludedExamDates(IReadOnlyList<TargetOrder> targets) =>
        [.. targets.Where(t => t.Decision.Decision == Decision.Included).Select(t => t.Order.ExamDate)];
}
