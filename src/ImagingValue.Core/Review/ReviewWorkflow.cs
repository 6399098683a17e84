using ImagingValue.Core.Data;

namespace ImagingValue.Core.Review;

/// <summary>Where an exam stands in the review.</summary>
public enum ReviewStage
{
    /// <summary>No review yet.</summary>
    Unreviewed,

    /// <summary>Reviewed once and picked for a second review that has not been done.</summary>
    AwaitingSecondReview,

    /// <summary>Reviewers differ on a finding or on management and no adjudicator has decided.</summary>
    Disagreement,

    /// <summary>Done: one review that needs no second, reviewers who agree, or an adjudicator's decision.</summary>
    Complete,
}

/// <summary>What the signed-in person may do on an exam's review form.</summary>
public enum ReviewAction
{
    /// <summary>Read only.</summary>
    None,

    /// <summary>Edit the review this person already saved (in its role).</summary>
    EditOwn,

    /// <summary>Record the first review.</summary>
    Primary,

    /// <summary>Record the second review.</summary>
    Second,

    /// <summary>Decide the disagreement: the adjudicator's review becomes final.</summary>
    Adjudicate,
}

/// <summary>An exam's review state for one person: the stage, the final review and what the person may do.</summary>
/// <param name="Own">This person's own review of the exam, if any.</param>
/// <param name="Role">The role a save records: primary, second or adjudicator; null when <see cref="Action"/> is None.</param>
/// <param name="Why">When read only, why, in words for the page.</param>
public sealed record ExamReviewState(ReviewStage Stage, ExamReview? Final, StoredReview? Own, ReviewAction Action, string? Role, string? Why);

/// <summary>
/// The dual-review workflow: the first reviewer records the primary review; the <see cref="SecondReviewPolicy"/> says
/// whether another reviewer must read the exam too; when the two differ, an adjudicator who read neither decides and
/// that decision is final (<see cref="FinalReview"/>). Reviews imported from CSV take part like browser reviews.
/// </summary>
public static class ReviewWorkflow
{
    public const string PrimaryRole = "primary";
    public const string SecondRole = "second";
    public const string AdjudicatorRole = "adjudicator";

    /// <summary>The exam's stage from its reviews (any order).</summary>
    public static ReviewStage StageOf(string orderId, IReadOnlyCollection<ExamReview> reviews, SecondReviewPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentNullException.ThrowIfNull(policy);
        if (reviews.Count == 0)
        {
            return ReviewStage.Unreviewed;
        }

        if (reviews.Any(r => r.Role == AdjudicatorRole))
        {
            return ReviewStage.Complete;
        }

        if (FinalReview.HasUnadjudicatedDisagreement(reviews))
        {
            return ReviewStage.Disagreement;
        }

        if (reviews.Count == 1 && policy.NeedsSecondReview(orderId, reviews.First().MajorFinding))
        {
            return ReviewStage.AwaitingSecondReview;
        }

        return ReviewStage.Complete;
    }

    /// <summary>What <paramref name="user"/> (with <paramref name="role"/>) may do on the exam.</summary>
    public static ExamReviewState For(string orderId, IReadOnlyList<StoredReview> reviews, string user, UserRole role, SecondReviewPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentNullException.ThrowIfNull(user);
        var rows = reviews.Select(r => r.Review).ToList();
        var stage = StageOf(orderId, rows, policy);
        var final = FinalReview.Select(rows);
        var own = reviews.FirstOrDefault(r => string.Equals(r.Review.Reviewer, user, StringComparison.OrdinalIgnoreCase));

        if (role == UserRole.Viewer)
        {
            return new(stage, final, own, ReviewAction.None, null, "You can read reviews; your role cannot change them.");
        }

        if (own is not null)
        {
            return new(stage, final, own, ReviewAction.EditOwn, own.Review.Role ?? PrimaryRole, null);
        }

        return stage switch
        {
            ReviewStage.Unreviewed => new(stage, final, null, ReviewAction.Primary, PrimaryRole, null),
            ReviewStage.AwaitingSecondReview => new(stage, final, null, ReviewAction.Second, SecondRole, null),
            ReviewStage.Disagreement when role >= UserRole.Adjudicator => new(stage, final, null, ReviewAction.Adjudicate, AdjudicatorRole, null),
            ReviewStage.Disagreement => new(stage, final, null, ReviewAction.None, null, "The reviewers disagree: an adjudicator decides."),
            _ => new(stage, final, null, ReviewAction.None, null, "This exam's review is complete."),
        };
    }
}
