using ImagingValue.Core.Data;

namespace ImagingValue.Core.Review;

/// <summary>Picks the review that stands for an exam when several reviewers read it.</summary>
public static class FinalReview
{
    /// <summary>
    /// The adjudicator's review when there is one (the latest, if several); otherwise the latest review by
    /// <c>reviewed_at</c>; reviews without a time come before timed ones, ties go to the reviewer name in ordinal order.
    /// </summary>
    public static ExamReview? Select(IEnumerable<ExamReview> reviewsOfOneExam)
    {
        ArgumentNullException.ThrowIfNull(reviewsOfOneExam);
        return reviewsOfOneExam
            .OrderBy(r => r.Role == "adjudicator" ? 1 : 0)
            .ThenBy(r => r.ReviewedAt ?? DateTime.MinValue)
            .ThenBy(r => r.Reviewer, StringComparer.Ordinal)
            .LastOrDefault();
    }

    /// <summary>True when two or more reviewers differ on a finding or on management and no adjudicator has decided.</summary>
    public static bool HasUnadjudicatedDisagreement(IReadOnlyCollection<ExamReview> reviewsOfOneExam)
    {
        ArgumentNullException.ThrowIfNull(reviewsOfOneExam);
        if (reviewsOfOneExam.Count < 2 || reviewsOfOneExam.Any(r => r.Role == "adjudicator"))
        {
            return false;
        }

        return reviewsOfOneExam.Select(r => (r.MajorFinding, r.MinorFinding ?? false, r.IncidentalFinding ?? false, r.ManagementChange ?? ManagementChange.None))
            .Distinct()
            .Count() > 1;
    }
}
