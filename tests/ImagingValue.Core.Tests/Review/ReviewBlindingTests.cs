using ImagingValue.Core.Data;
using ImagingValue.Core.Review;

namespace ImagingValue.Core.Tests.Review;

public class ReviewBlindingTests
{
    private static StoredReview Review(string reviewer, string role, bool major, DateTime at) =>
        new(new ExamReview("E1", reviewer, major, false, false, null, ManagementChange.None, role, at), [], 1);

    private static readonly StoredReview Ana = Review("ana", ReviewWorkflow.PrimaryRole, true, new DateTime(2026, 1, 1));
    private static readonly StoredReview Ben = Review("ben", ReviewWorkflow.SecondRole, false, new DateTime(2026, 1, 2));
    private static readonly StoredReview Cy = Review("cy", ReviewWorkflow.AdjudicatorRole, true, new DateTime(2026, 1, 3));

    private static string[] Names(IReadOnlyList<StoredReview> reviews) => [.. reviews.Select(r => r.Review.Reviewer)];

    [Theory]
    [InlineData("ben", UserRole.Reviewer)]
    [InlineData("cy", UserRole.Adjudicator)]
    [InlineData("vi", UserRole.Viewer)]
    public void Visible_AwaitingSecondReview_NobodyButTheAuthorReadsTheFirstReview(string user, UserRole role) =>
        Assert.Empty(ReviewBlinding.Visible(ReviewStage.AwaitingSecondReview, [Ana], user, role));

    [Fact]
    public void Visible_AwaitingSecondReview_TheAuthorReadsTheirOwnAndAdminsAll()
    {
        Assert.Equal(["ana"], Names(ReviewBlinding.Visible(ReviewStage.AwaitingSecondReview, [Ana], "ANA", UserRole.Reviewer)));
        Assert.Equal(["ana"], Names(ReviewBlinding.Visible(ReviewStage.AwaitingSecondReview, [Ana], "root", UserRole.Admin)));
    }

    [Theory]
    [InlineData("ben", UserRole.Reviewer, new[] { "ben" })]
    [InlineData("dee", UserRole.Reviewer, new string[0])]
    [InlineData("cy", UserRole.Adjudicator, new[] { "ana", "ben" })]
    [InlineData("root", UserRole.Admin, new[] { "ana", "ben" })]
    [InlineData("vi", UserRole.Viewer, new string[0])]
    public void Visible_Disagreement_OnlyThoseWhoDecideReadBoth(string user, UserRole role, string[] expected) =>
        Assert.Equal(expected, Names(ReviewBlinding.Visible(ReviewStage.Disagreement, [Ana, Ben], user, role)));

    [Fact]
    public void Visible_Complete_ReviewersReadAll_ViewersTheFinalOnly()
    {
        Assert.Equal(["ana", "ben", "cy"], Names(ReviewBlinding.Visible(ReviewStage.Complete, [Ana, Ben, Cy], "dee", UserRole.Reviewer)));
        Assert.Equal(["cy"], Names(ReviewBlinding.Visible(ReviewStage.Complete, [Ana, Ben, Cy], "vi", UserRole.Viewer)));
    }

    [Fact]
    public void VisibleEntries_KeepsOnlyTheTrailOfVisibleReviews()
    {
        ReviewAuditEntry[] trail =
        [
            new(1, "E1", "ana", "ana", DateTimeOffset.UnixEpoch, "major_finding", null, "yes"),
            new(2, "E1", "ben", "ben", DateTimeOffset.UnixEpoch, "major_finding", null, "no"),
        ];

        Assert.Equal([2L], ReviewBlinding.VisibleEntries(trail, [Ben]).Select(e => e.Id));
    }
}
