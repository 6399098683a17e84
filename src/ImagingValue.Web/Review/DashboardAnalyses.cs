using ImagingValue.Core.Analytics;
using ImagingValue.Core.Data;
using ImagingValue.Core.Monitoring;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;

namespace ImagingValue.Web.Review;

/// <summary>What the dashboard shows for one period: the audit's summary and who ordered the included exams, or why not.</summary>
/// <param name="Monitor">The report's monitoring (its chart), when the protocol has interventions.</param>
public sealed record DashboardAnalysis(string? Problem, DateRange? Period, AuditSummary? Summary, IReadOnlyList<ParetoRow> Departments, IReadOnlyList<ParetoRow> Providers, MonitorResult? Monitor = null);

/// <summary>
/// The dashboard's analyses, kept for the screening run, data and reviews they were made from
/// (<see cref="AnalysisInputs"/>): a request costs one small query while none of those changed. The orders and decisions
/// are read again only when the run or the data changed, the reviews only when a review changed, and an analysis is
/// made once per period. Thread-safe; a request that is cancelled does not cancel the shared work.
/// </summary>
public sealed class DashboardAnalyses(ReviewWorkspace workspace)
{
    // A dashboard is looked at for a handful of periods; beyond this many, the kept analyses start afresh.
    private const int MaxPeriods = 16;

    private readonly Lock _gate = new();
    private (long? RunId, long DataRevision, Task<ScreenedData> Task)? _data;
    private (long Revision, Task<IReadOnlyList<ExamReview>> Task)? _reviews;
    private readonly Dictionary<(long? RunId, long DataRevision, long ReviewRevision, long InterventionRevision, AuditOptions? Options), Task<DashboardAnalysis>> _analyses = [];

    /// <summary>
    /// The analysis the dashboard shows for the dates typed (yyyy-MM-dd; both empty: the latest analysis period, the
    /// one the report and summary.json of the latest <c>analyze</c> name, with its charge per exam, intervention and
    /// follow-up; the span of the run's target exams when no analysis was made yet).
    /// </summary>
    public async Task<DashboardAnalysis> ForDatesAsync(string? from, string? to, CancellationToken cancellationToken)
    {
        var latest = await workspace.Screening.GetLatestAnalysisAsync(workspace.Protocol.Id, cancellationToken);
        var options = latest;
        if (!string.IsNullOrEmpty(from) || !string.IsNullOrEmpty(to))
        {
            if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to))
            {
                return Problem("The period needs both dates as YYYY-MM-DD.");
            }

            if (PeriodFields.Read(from, to, out var error) is not { } period)
            {
                return Problem(error + ".");
            }

            // Another period is analysed as the latest analysis was (same charge per exam, intervention and follow-up).
            options = (latest ?? new AuditOptions(period)) with { Period = period };
        }

        var inputs = await workspace.Screening.GetAnalysisInputsAsync(workspace.Protocol.Id, cancellationToken);
        return await GetAsync(options, inputs).WaitAsync(cancellationToken);
    }

    /// <summary>The analysis with <paramref name="options"/> (null: the span of the run's target exams) on the workspace as it is now.</summary>
    public Task<DashboardAnalysis> GetAsync(AuditOptions? options, AnalysisInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.RunId is null)
        {
            return Task.FromResult(Problem("No screening run for this protocol yet: run imaging-value screen --workspace DIR."));
        }

        lock (_gate)
        {
            var key = (inputs.RunId, inputs.DataRevision, inputs.ReviewRevision, inputs.InterventionRevision, options);
            if (_analyses.TryGetValue(key, out var kept) && !kept.IsFaulted && !kept.IsCanceled)
            {
                return kept;
            }

            if (_data is not { } data || data.RunId != inputs.RunId || data.DataRevision != inputs.DataRevision || data.Task.IsFaulted)
            {
                data = (inputs.RunId, inputs.DataRevision, Task.Run(() => LoadAsync(inputs.RunId.Value)));
                _data = data;
            }

            if (_reviews is not { } reviews || reviews.Revision != inputs.ReviewRevision || reviews.Task.IsFaulted)
            {
                reviews = (inputs.ReviewRevision, Task.Run(LoadReviewsAsync));
                _reviews = reviews;
            }

            if (_analyses.Count >= MaxPeriods || _analyses.Keys.Any(k => k.RunId != key.RunId || k.DataRevision != key.DataRevision || k.ReviewRevision != key.ReviewRevision || k.InterventionRevision != key.InterventionRevision))
            {
                _analyses.Clear();
            }

            var analysis = AnalyzeAsync(data.Task, reviews.Task, options);
            _analyses[key] = analysis;
            return analysis;
        }
    }

    private async Task<DashboardAnalysis> AnalyzeAsync(Task<ScreenedData> loading, Task<IReadOnlyList<ExamReview>> reviewsLoading, AuditOptions? options)
    {
        var data = await loading.ConfigureAwait(false);
        var reviews = await reviewsLoading.ConfigureAwait(false);
        if (options is null && data.TargetSpan is null)
        {
            return Problem("The latest screening run found no target exams.");
        }

        options ??= new AuditOptions(data.TargetSpan!);
        var chosen = options.Period;
        var result = AuditAnalyzer.Analyze(workspace.Protocol, options, data.Inputs.Targets[0], data.Inputs.Facts, reviews);
        // Read for each analysis (a handful of rows): an intervention added since changes the key, not the loaded run.
        var interventions = await workspace.Interventions.GetInterventionsAsync(CancellationToken.None).ConfigureAwait(false);
        var included = result.Exams.Where(e => e.Window == AuditAnalyzer.PeriodWindow && e.Decision.Decision == Decision.Included).ToList();
        return new DashboardAnalysis(
            null,
            chosen,
            result.Summary,
            OrderingPareto.Of(included.Select(e => e.Order.OrderingDepartment)),
            OrderingPareto.Of(included.Select(e => e.Order.OrderingProvider)),
            OrderingMonitor.ForAudit(workspace.Protocol, options, AuditInputs.IncludedExamDates(data.Inputs.Targets[0]), data.Inputs.Facts, interventions));
    }

    private async Task<ScreenedData> LoadAsync(long runId)
    {
        // The run's target exams with their orders (decisions of orders no longer in the workspace have nothing to
        // count: the store joins them to their orders), and every other order read once, a page at a time, for the
        // few figures it adds: memory stays flat however many orders the workspace holds.
        var run = new ScreenedRun(runId, true, workspace.Protocol.Id, default);
        var inputs = await AuditInputs.ReadAsync(workspace.Data, workspace.Screening, [run], [workspace.Protocol], CancellationToken.None).ConfigureAwait(false);
        var dates = inputs.Targets[0].Where(t => t.Decision.IsTargetExam).Select(t => t.Order.ExamDate).ToList();
        return new ScreenedData(inputs, dates.Count == 0 ? null : new DateRange(dates.Min(), dates.Max()));
    }

    private Task<IReadOnlyList<ExamReview>> LoadReviewsAsync() => workspace.Data.GetReviewsAsync(CancellationToken.None);

    private static DashboardAnalysis Problem(string problem) => new(problem, null, null, [], []);

    private sealed record ScreenedData(AuditInputs Inputs, DateRange? TargetSpan);
}
