using ImagingValue.Core.Review;

namespace ImagingValue.Core.Storage;

/// <summary>
/// Reviews saved in the browser (the same rows <c>analyze</c> reads, see <see cref="IClinicalDataStore.GetReviewsAsync"/>),
/// with a revision per review and an append-only audit trail. Safe to call from concurrent requests.
/// </summary>
public interface IReviewStore
{
    /// <summary>Every review of every exam, with revisions (for the worklist).</summary>
    Task<IReadOnlyList<StoredReview>> GetAllReviewsAsync(CancellationToken cancellationToken);

    /// <summary>The reviews of one exam, with revisions.</summary>
    Task<IReadOnlyList<StoredReview>> GetExamReviewsAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Saves one reviewer's review of one exam (key: order and reviewer) if its revision is still
    /// <paramref name="expectedRevision"/>; otherwise changes nothing and returns the conflict. Every changed field
    /// goes to the audit trail with <paramref name="user"/> and <paramref name="at"/>.
    /// </summary>
    Task<ReviewSaveResult> SaveReviewAsync(ReviewDraft draft, long expectedRevision, string user, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The audit trail of one exam, oldest first.</summary>
    Task<IReadOnlyList<ReviewAuditEntry>> GetAuditTrailAsync(string orderId, CancellationToken cancellationToken);
}
