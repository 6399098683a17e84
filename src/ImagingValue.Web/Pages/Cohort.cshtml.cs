using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Mvc;

namespace ImagingValue.Web.Pages;

/// <summary>The target exams of a period with their screening decision, optionally only one decision or reason: where the dashboard's cohort numbers lead.</summary>
public sealed class CohortModel(ReviewWorkspace workspace) : ReviewPageModel
{
    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "decision")]
    public string? DecisionFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "reason")]
    public string? Reason { get; set; }

    public IReadOnlyList<(ImagingOrder Order, ScreeningDecision Decision)> Rows { get; private set; } = [];

    /// <summary>Why the dates typed were not applied, shown above the list; null when they were (or none was typed).</summary>
    public string? PeriodError { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var decisions = await workspace.Screening.GetLatestDecisionsAsync(workspace.Protocol.Id, cancellationToken);
        var wanted = decisions.Where(d => d.IsTargetExam && d.Decision != Decision.NotTarget
                && (string.IsNullOrEmpty(DecisionFilter) || d.DecisionText == DecisionFilter)
                && (string.IsNullOrEmpty(Reason) || d.Reason == Reason))
            .ToDictionary(d => d.OrderId, StringComparer.Ordinal);
        // Dates that do not read are said, and the list shows every date (as the worklist does).
        var period = PeriodFields.Read(From, To, out var error);
        PeriodError = error is null ? null : error + "; showing every date.";
        var from = period?.From ?? DateOnly.MinValue;
        var to = period?.To ?? DateOnly.MaxValue;
        var orders = await workspace.Data.GetOrdersAsync(cancellationToken);

        Rows = [.. orders.Where(o => wanted.ContainsKey(o.OrderId) && o.IsCompleted && o.ExamDate >= from && o.ExamDate <= to)
            .OrderBy(o => o.ExamDate)
            .ThenBy(o => o.OrderId, StringComparer.Ordinal)
            .Select(o => (o, wanted[o.OrderId]))];
    }
}
