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

    /// <summary>The list asked for, its period filled in (the latest analysis period unless dates were given).</summary>
    public WorklistQuery Query { get; private set; } = new();

    /// <summary>Set after "Save and next" found no exam left to review in the list.</summary>
    [BindProperty(SupportsGet = true, Name = "done")]
    public bool Done { get; set; }

    /// <summary>Whether the period shown is the latest analysis period (no dates were given).</summary>
    public bool LatestAnalysisPeriod { get; private set; }

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

    public string Link(WorklistFilter filter, int page) => (Query with { Filter = filter, Page = page }).WorklistLink;

    /// <summary>The indication as the worklist shows it: the first words, the whole text on the exam page.</summary>
    public static string Short(string? text, int length = 90) =>
        text is null ? string.Empty : text.Length <= length ? text : string.Concat(text.AsSpan(0, length).TrimEnd(), "…");

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var asked = WorklistQuery.Read(Request.Query);
        Query = await asked.WithDefaultPeriodAsync(workspace.Screening, workspace.Protocol.Id, cancellationToken);
        LatestAnalysisPeriod = Query != asked;
        var period = Query.Period(out var error);
        PeriodError = error;
        var reviews = await workspace.Reviews.GetAllReviewsAsync(cancellationToken);
        Result = await Worklist.ReadAsync(
            workspace.Screening, workspace.Protocol.Id, Query.Scope(period), reviews, UserName, workspace.Policy, Query.Filter, Query.Page, options.Value.PageSize, cancellationToken);
        Screened = Result.Counts[WorklistFilter.All] > 0 || (await workspace.Screening.GetLatestScreeningRunAsync(workspace.Protocol.Id, cancellationToken)) is not null;
    }
}
