using ImagingValue.Core.Review;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Mvc;

namespace ImagingValue.Web.Pages;

/// <summary>An exam's audit trail: who changed which review field when, from what to what.</summary>
public sealed class AuditModel(ReviewWorkspace workspace) : ReviewPageModel
{
    /// <summary>The order, from <c>?id=</c> (<see cref="ExamLinks"/>) or the older path form.</summary>
    [BindProperty(SupportsGet = true, Name = "id")]
    public string OrderId { get; set; } = string.Empty;

    public IReadOnlyList<ReviewAuditEntry> Entries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await workspace.Data.GetOrderAsync(OrderId, cancellationToken) is null)
        {
            return NotFound();
        }

        // The trail shows only what this person may read of the reviews themselves: a second reviewer must not learn the
        // first review's values from its history.
        var reviews = await workspace.Reviews.GetExamReviewsAsync(OrderId, cancellationToken);
        var stage = ReviewWorkflow.StageOf(OrderId, [.. reviews.Select(r => r.Review)], workspace.Policy);
        Entries = ReviewBlinding.VisibleEntries(
            await workspace.Reviews.GetAuditTrailAsync(OrderId, cancellationToken),
            ReviewBlinding.Visible(stage, reviews, UserName, Role));
        return Page();
    }
}
