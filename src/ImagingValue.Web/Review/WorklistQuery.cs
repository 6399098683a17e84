using System.Globalization;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Review;
using ImagingValue.Core.Storage;

namespace ImagingValue.Web.Review;

/// <summary>
/// The worklist a person works through, as its query string carries it (filter, page, period, department or
/// provider): the worklist's links, the exam pages' "Back to the worklist" and "Save and next" all keep it, so the
/// browser's Back and every link return to the same list and page.
/// </summary>
public sealed record WorklistQuery
{
    /// <summary>The filters by their query-string key.</summary>
    public static IReadOnlyList<(WorklistFilter Filter, string Key)> Keys { get; } =
    [
        (WorklistFilter.All, "all"),
        (WorklistFilter.Unreviewed, "unreviewed"),
        (WorklistFilter.Mine, "mine"),
        (WorklistFilter.AwaitingSecond, "second"),
        (WorklistFilter.Disagreements, "disagreements"),
        (WorklistFilter.MajorFindings, "major"),
        (WorklistFilter.Reviewed, "reviewed"),
        (WorklistFilter.MinorFindings, "minor"),
        (WorklistFilter.IncidentalFindings, "incidental"),
        (WorklistFilter.ManagementMajor, "management-major"),
        (WorklistFilter.ManagementMinor, "management-minor"),
    ];

    public WorklistFilter Filter { get; init; } = WorklistFilter.All;

    /// <summary>1-based page number asked for.</summary>
    public int Page { get; init; } = 1;

    /// <summary>First day (yyyy-MM-dd) as typed; empty with <see cref="To"/>: the latest analysis period.</summary>
    public string? From { get; init; }

    public string? To { get; init; }

    public string? Department { get; init; }

    public string? Provider { get; init; }

    /// <summary>Every exam of the screening run, whatever its date (<c>dates=all</c>), instead of the latest analysis period.</summary>
    public bool AllDates { get; init; }

    public static string KeyOf(WorklistFilter filter) => Keys.First(k => k.Filter == filter).Key;

    public static WorklistQuery Read(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? Value(string name) => query[name].FirstOrDefault() is { Length: > 0 } value ? value : null;
        return new WorklistQuery
        {
            Filter = Keys.Where(k => k.Key == Value("filter")).Select(k => k.Filter).FirstOrDefault(WorklistFilter.All),
            Page = int.TryParse(Value("p"), NumberStyles.None, CultureInfo.InvariantCulture, out var page) ? page : 1,
            From = Value("from"),
            To = Value("to"),
            Department = Value("dept"),
            Provider = Value("provider"),
            AllDates = Value("dates") == "all",
        };
    }

    /// <summary>The query string (without '?').</summary>
    public override string ToString()
    {
        var parts = new List<string> { "filter=" + KeyOf(Filter), "p=" + Page.ToString(CultureInfo.InvariantCulture) };
        foreach (var (name, value) in new[] { ("from", From), ("to", To), ("dept", Department), ("provider", Provider), ("dates", AllDates ? "all" : null) })
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        return string.Join("&", parts);
    }

    public string WorklistLink => "/?" + this;

    public string ExamLink(string orderId) => $"{ExamLinks.Exam(orderId)}&{this}";

    /// <summary>The period typed, null for every date; <paramref name="error"/> says why dates that do not parse were ignored.</summary>
    public DateRange? Period(out string? error)
    {
        var period = PeriodFields.Read(From, To, out var problem);
        error = problem is null ? null : problem + "; showing every exam.";
        return period;
    }

    /// <summary>
    /// The query with its period filled in: without dates (and without <c>dates=all</c>) the worklist opens on the
    /// latest analysis period, the period of the latest <c>analyze</c> or <c>report</c> (the one its summary.json names);
    /// every date when no analysis was made yet.
    /// </summary>
    public async Task<WorklistQuery> WithDefaultPeriodAsync(IScreeningRunStore runs, string protocolId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (AllDates || !string.IsNullOrEmpty(From) || !string.IsNullOrEmpty(To)
            || await runs.GetLatestAnalysisAsync(protocolId, cancellationToken) is not { } latest)
        {
            return this;
        }

        return this with { From = Day(latest.Period.From), To = Day(latest.Period.To) };
    }

    /// <summary>The included exams the query lists before the review filter, as the store filters them: period, department, provider.</summary>
    public IncludedExamFilter Scope(DateRange? period) =>
        new(period, string.IsNullOrEmpty(Department) ? null : Department, string.IsNullOrEmpty(Provider) ? null : Provider);

    /// <summary>The included exams the query lists (before the review filter): the latest run's, of the department or provider asked for.</summary>
    public async Task<IReadOnlyList<IncludedExam>> ExamsAsync(ReviewWorkspace workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var exams = await workspace.Screening.GetIncludedExamsAsync(workspace.Protocol.Id, cancellationToken);
        if (string.IsNullOrEmpty(Department) && string.IsNullOrEmpty(Provider))
        {
            return exams;
        }

        return [.. exams.Where(e => (string.IsNullOrEmpty(Department) || OrderingPareto.NameOf(e.Order.OrderingDepartment) == Department)
            && (string.IsNullOrEmpty(Provider) || OrderingPareto.NameOf(e.Order.OrderingProvider) == Provider))];
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
