using ImagingValue.Core.Review;
using ImagingValue.Core.Tests.Support;

namespace ImagingValue.Core.Tests.Review;

public class FinalReviewTests
{
    [Fact]
    public void Select_AdjudicatorPresent_AdjudicatorWinsEvenIfEarlier()
    {
        var primary = Some.Review("O1", "resident1", major: true, reviewedAt: new DateTime(2018, 3, 1));
        var second = Some.Review("O1", "fellow1", major: false, role: "second", reviewedAt: new DateTime(2018, 3, 5));
        var adjudicator = Some.Review("O1", "attending", major: true, role: "adjudicator", reviewedAt: new DateTime(2018, 3, 2));

        Assert.Same(adjudicator, FinalReview.Select([primary, second, adjudicator]));
    }

    [Fact]
    public void Select_NoAdjudicator_LatestReviewWins()
    {
        var early = Some.Review("O1", "zed", reviewedAt: new DateTime(2018, 3, 1));
        var late = Some.Review("O1", "amy", major: true, role: "second", reviewedAt: new DateTime(2018, 4, 1));

        Assert.Same(late, FinalReview.Select([late, early]));
    }

    [Fact]
    public void Select_NoReviews_Null() => Assert.Null(FinalReview.Select([]));

    [Fact]
    public void HasUnadjudicatedDisagreement_DifferentFindingsNoAdjudicator_True()
    {
        var a = Some.Review("O1", "a", minor: true);
        var b = Some.Review("O1", "b", minor: false, role: "second");
        Assert.True(FinalReview.HasUnadjudicatedDisagreement([a, b]));
        Assert.False(FinalReview.HasUnadjudicatedDisagreement([a, b, Some.Review("O1", "c", role: "adjudicator")]));
        Assert.False(FinalReview.HasUnadjudicatedDisagreement([a, a with { Reviewer = "b" }]));
    }
}
