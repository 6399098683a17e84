namespace ImagingValue.Core.Review;

/// <summary>
/// Who may read which reviews of an exam. Reviews are read independently: until an exam's review is complete, a
/// reviewer sees only their own review, so a second reviewer cannot lean on the first; only those who may decide a
/// disagreement (adjudicators) read both, and only once the reviewers disagree. Viewers read final reviews only.
/// Admins read everything: they upload and export the data (a site that wants its admins blinded gives them a reviewer
/// account to review with). The same rule holds for the exam page, its audit trail and the reviews export.
/// </summary>
public static class ReviewBlinding
{
    /// <summary>The reviews of one exam that <paramref name="user"/> with <paramref name="role"/> may read.</summary>
    /// <param name="stage">The exam's stage (<see cref="ReviewWorkflow.StageOf"/>).</param>
    public static IReadOnlyList<StoredReview> Visible(ReviewStage stage, IReadOnlyList<StoredReview> reviews, string user, UserRole role)
    {
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentNullException.ThrowIfNull(user);
        if (role == UserRole.Viewer)
        {
            // The review that stands, once it stands; nobody's working copy.
            var final = stage == ReviewStage.Complete ? FinalReview.Select(reviews.Select(r => r.Review)) : null;
            return [.. reviews.Where(r => ReferenceEquals(r.Review, final))];
        }

        var seesAll = role == UserRole.Admin || stage == ReviewStage.Complete || (stage == ReviewStage.Disagreement && role >= UserRole.Adjudicator);
        return seesAll
            ? reviews
            : [.. reviews.Where(r => string.Equals(r.Review.Reviewer, user, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>The audit-trail entries of the reviewers whose reviews <paramref name="visible"/> holds.</summary>
    public static IReadOnlyList<ReviewAuditEntry> VisibleEntries(IReadOnlyList<ReviewAuditEntry> entries, IReadOnlyList<StoredReview> visible)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(visible);
        var reviewers = visible.Select(r => r.Review.Reviewer).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. entries.Where(e => reviewers.Contains(e.Reviewer))];
    }
}
