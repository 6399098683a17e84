using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Mvc;

namespace ImagingValue.Web.Pages;

/// <summary>The target exams of a period with their screening decision, optionally only one decision or reason: where the dashboard's cohort numbers lead.</summary>
public sealed class CohortModel(ProtocolViews views) : ReviewPageModel
{
    /// <summary>The protocol whose decisions are listed (<c>?protocol=ID</c>; the configured one by default).</summary>
    [BindProperty(SupportsGet = true, Name = "protocol")]
    public string? ProtocolId { get; set; }

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

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (views.For(ProtocolId) is not { Workspace: var workspace })
        {
            return NotFound();
        }

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
        return Page();
    }
}
