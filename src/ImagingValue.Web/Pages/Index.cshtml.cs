using System.Globalization;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Review;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ImagingValue.Web.Pages;

/// <summary>The worklist: included exams of the latest screening run, filtered, counted and paged with real links.</summary>
public sealed class WorklistModel(ReviewWorkspace workspace, IOptions<ReviewWorkspaceOptions> options) : ReviewPageModel
{
    public static IReadOnlyList<(WorklistFilter Filter, string Label)> Filters { get; } =
    [
        (WorklistFilter.All, "All"),
        (WorklistFilter.Unreviewed, "Unreviewed"),
        (WorklistFilter.Mine, "Mine"),
        (WorklistFilter.AwaitingSecond, "Awaiting second review"),
        (WorklistFilter.Disagreements, "Disagreements"),
        (WorklistFilter.MajorFindings, "Major findings"),
    ];

    /// <summary>Filters the dashboard links to, not shown in the filter bar.</summary>
    public static IReadOnlyList<(WorklistFilter Filter, string Label)> MoreFilters { get; } =
    [
        (WorklistFilter.Reviewed, "Reviewed"),
        (WorklistFilter.MinorFindings, "Minor findings"),
        (WorklistFilter.IncidentalFindings, "Incidental findings"),
        (WorklistFilter.ManagementMajor, "Management changed: major"),
        (WorklistFilter.ManagementMinor, "Management changed: minor"),
    ];

    /// <summary>The label of the filter shown, when it is not in the filter bar.</summary>
    public string? ExtraFilterLabel => MoreFilters.Where(f => f.Filter == Result.Filter).Select(f => f.Label).FirstOrDefault();

    [BindProperty(SupportsGet = true, Name = "filter")]
    public string? FilterName { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "dept")]
    public string? Department { get; set; }

    [BindProperty(SupportsGet = true, Name = "provider")]
    public string? Provider { get; set; }

    public WorklistPage Result { get; private set; } = null!;

    public bool Screened { get; private set; }

    public string? PeriodError { get; private set; }

    public string ProtocolTitle => workspace.Protocol.Title;

    public static string StageText(ReviewStage stage) => stage switch
    {
        ReviewStage.Unreviewed => "unreviewed",
        ReviewStage.AwaitingSecondReview => "awaiting second review",
        ReviewStage.Disagreement => "disagreement",
        _ => "complete",
    };

    public static string FilterKey(WorklistFilter filter) => filter switch
    {
        WorklistFilter.Unreviewed => "unreviewed",
        WorklistFilter.Mine => "mine",
        WorklistFilter.AwaitingSecond => "second",
        WorklistFilter.Disagreements => "disagreements",
        WorklistFilter.MajorFindings => "major",
        WorklistFilter.Reviewed => "reviewed",
        WorklistFilter.MinorFindings => "minor",
        WorklistFilter.IncidentalFindings => "incidental",
        WorklistFilter.ManagementMajor => "management-major",
        WorklistFilter.ManagementMinor => "management-minor",
        _ => "all",
    };

    public string Link(WorklistFilter filter, int page)
    {
        var query = new List<string> { "filter=" + FilterKey(filter), "p=" + page.ToString(CultureInfo.InvariantCulture) };
        if (!string.IsNullOrEmpty(From))
        {
            query.Add("from=" + Uri.EscapeDataString(From));
        }

        if (!string.IsNullOrEmpty(To))
        {
            query.Add("to=" + Uri.EscapeDataString(To));
        }

        if (!string.IsNullOrEmpty(Department))
        {
            query.Add("dept=" + Uri.EscapeDataString(Department));
        }

        if (!string.IsNullOrEmpty(Provider))
        {
            query.Add("provider=" + Uri.EscapeDataString(Provider));
        }

        return "/?" + string.Join("&", query);
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var filter = Filters.Concat(MoreFilters).Select(f => f.Filter).FirstOrDefault(f => FilterKey(f) == FilterName, WorklistFilter.All);
        FilterName = FilterKey(filter);
        var exams = await workspace.Screening.GetIncludedExamsAsync(workspace.Protocol.Id, cancellationToken);
        Screened = exams.Count > 0;
        if (!string.IsNullOrEmpty(Department) || !string.IsNullOrEmpty(Provider))
        {
            exams = [.. exams.Where(e => (string.IsNullOrEmpty(Department) || OrderingPareto.NameOf(e.Order.OrderingDepartment) == Department)
                && (string.IsNullOrEmpty(Provider) || OrderingPareto.NameOf(e.Order.OrderingProvider) == Provider))];
        }

        var reviews = await workspace.Reviews.GetAllReviewsAsync(cancellationToken);
        Result = Worklist.Build(exams, reviews, Period(), UserName, workspace.Policy, filter, PageNumber, options.Value.PageSize);
    }

    private DateRange? Period()
    {
        if (string.IsNullOrEmpty(From) && string.IsNullOrEmpty(To))
        {
            return null;
        }

        if (!DateOnly.TryParseExact(string.IsNullOrEmpty(From) ? "0001-01-01" : From, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !DateOnly.TryParseExact(string.IsNullOrEmpty(To) ? "9999-12-31" : To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
            || to < from)
        {
            PeriodError = "The period needs dates as YYYY-MM-DD, the end not before the start; showing every exam.";
            return null;
        }

        return new DateRange(from, to);
    }
}
