using ImagingValue.Core.Review;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Mvc;

namespace ImagingValue.Web.Pages;

/// <summary>An exam's audit trail: who changed which review field when, from what to what.</summary>
public sealed class AuditModel(ReviewWorkspace workspace) : ReviewPageModel
{
    [FromRoute(Name = "id")]
    public string OrderId { get; set; } = string.Empty;

    public IReadOnlyList<ReviewAuditEntry> Entries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await workspace.Data.GetOrderAsync(OrderId, cancellationToken) is null)
        {
            return NotFound();
        }

        Entries = await workspace.Reviews.GetAuditTrailAsync(OrderId, cancellationToken);
        return Page();
    }
}
