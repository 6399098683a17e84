using ImagingValue.Core.Data;
using ImagingValue.Core.Review;
using ImagingValue.Core.Tests.Support;

namespace ImagingValue.Core.Tests.Review;

public class ReviewWorkflowTests
{
    private static readonly SecondReviewPolicy _none = new(0, 1);

    private static StoredReview Stored(string reviewer, bool major, string role, string management = "none") =>
        new(new ExamReview("O1", reviewer, major, false, false, null, ManagementChanges.Parse(management), role, new DateTime(2026, 1, 1)), [], 1);

    [Fact]
    public void SecondReviewPolicy_SameSeed_SamePickAndRoughlyTheRate()
    {
        var policy = new SecondReviewPolicy(0.2, 7);
        var ids = Enumerable.Range(1, 5000).Select(i => $"ORD{i:D6}").ToList();

        var picked = ids.Where(policy.IsSampled).ToList();

        Assert.Equal(picked, ids.Where(new SecondReviewPolicy(0.2, 7).IsSampled));
        Assert.NotEqual(picked, ids.Where(new SecondReviewPolicy(0.2, 8).IsSampled));
        Assert.InRange(picked.Count, 900, 1100);
        Assert.DoesNotContain(ids, new SecondReviewPolicy(0, 7).IsSampled);
        Assert.Equal(ids.Count, ids.Count(new SecondReviewPolicy(1, 7).IsSampled));
    }

    [Fact]
    public void SecondReviewPolicy_MajorFinding_AlwaysNeedsASecondReview()
    {
        Assert.True(_none.NeedsSecondReview("O1", primaryHasMajorFinding: true));
        Assert.False(_none.NeedsSecondReview("O1", primaryHasMajorFinding: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecondReviewPolicy(1.5, 1));
    }

    [Fact]
    public void For_MajorFindingThenDisagreement_SecondReviewerThenAdjudicator()
    {
        var primary = Stored("ana", major: true, "primary", "minor");

        var second = ReviewWorkflow.For("O1", [primary], "ben", UserRole.Reviewer, _none);
        Assert.Equal((ReviewStage.AwaitingSecondReview, ReviewAction.Second, "second"), (second.Stage, second.Action, second.Role));

        var disagreeing = Stored("ben", major: false, "second");
        var reviewer = ReviewWorkflow.For("O1", [primary, disagreeing], "cy", UserRole.Reviewer, _none);
        var adjudicator = ReviewWorkflow.For("O1", [primary, disagreeing], "cy", UserRole.Adjudicator, _none);
        Assert.Equal((ReviewStage.Disagreement, ReviewAction.None), (reviewer.Stage, reviewer.Action));
        Assert.Equal((ReviewAction.Adjudicate, "adjudicator"), (adjudicator.Action, adjudicator.Role));

        var decided = ReviewWorkflow.For("O1", [primary, disagreeing, Stored("cy", major: false, "adjudicator")], "dee", UserRole.Admin, _none);
        Assert.Equal((ReviewStage.Complete, ReviewAction.None, false), (decided.Stage, decided.Action, decided.Final!.MajorFinding));
    }

    [Fact]
    public void For_Viewer_NeverActs_AndOwnReviewIsEditable()
    {
        Assert.Equal(ReviewAction.None, ReviewWorkflow.For("O1", [], "vi", UserRole.Viewer, _none).Action);
        Assert.Equal(ReviewAction.Primary, ReviewWorkflow.For("O1", [], "ana", UserRole.Reviewer, _none).Action);
        var own = ReviewWorkflow.For("O1", [Stored("Ana", major: false, "primary")], "ana", UserRole.Reviewer, _none);
        Assert.Equal((ReviewAction.EditOwn, "primary"), (own.Action, own.Role));
        var done = ReviewWorkflow.For("O1", [Stored("ana", major: false, "primary")], "ben", UserRole.Reviewer, _none);
        Assert.Equal((ReviewStage.Complete, ReviewAction.None), (done.Stage, done.Action));
    }

    [Fact]
    public void Worklist_FiltersCountsAndPages()
    {
        var exams = Enumerable.Range(1, 25)
            .Select(i => new IncludedExam(Some.Order($"O{i:D2}") with { PerformedAt = new DateTime(2015, 1, i) }, []))
            .ToList();
        List<StoredReview> reviews =
        [
            new(new ExamReview("O01", "ana", true, false, false, null, ManagementChange.None, "primary", null), [], 1),
            new(new ExamReview("O01", "ben", false, false, false, null, ManagementChange.None, "second", null), [], 2),
            new(new ExamReview("O02", "ana", true, false, false, null, ManagementChange.None, "primary", null), [], 3),
        ];

        var page = Worklist.Build(exams, reviews, null, "ana", _none, WorklistFilter.All, 3, 10);

        Assert.Equal((3, 3, 5), (page.Page, page.PageCount, page.Rows.Count));
        Assert.Equal("O21", page.Rows[0].Order.OrderId);
        Assert.Equal(23, page.Counts[WorklistFilter.Unreviewed]);
        Assert.Equal(2, page.Counts[WorklistFilter.Mine]);
        Assert.Equal(1, page.Counts[WorklistFilter.Disagreements]);
        Assert.Equal(1, page.Counts[WorklistFilter.AwaitingSecond]);
        Assert.Equal(2, page.Counts[WorklistFilter.Reviewed]);
        Assert.Equal(1, page.Counts[WorklistFilter.MajorFindings]);
        Assert.Equal(0, page.Counts[WorklistFilter.MinorFindings]);
        Assert.Equal(0, page.Counts[WorklistFilter.ManagementMajor]);
        var disagreements = Worklist.Build(exams, reviews, null, "ana", _none, WorklistFilter.Disagreements, 1, 10);
        Assert.Equal(["O01"], disagreements.Rows.Select(r => r.Order.OrderId));
        var period = Worklist.Build(exams, reviews, new Core.Analytics.DateRange(new DateOnly(2015, 1, 1), new DateOnly(2015, 1, 5)), "ana", _none, WorklistFilter.All, 1, 10);
        Assert.Equal(5, period.Counts[WorklistFilter.All]);
    }

    [Fact]
    public void NextToReview_AfterTheCurrentExamInListOrder_SkipsWhatThePersonCannotReview_GoesRound()
    {
        var exams = Enumerable.Range(1, 5)
            .Select(i => new IncludedExam(Some.Order($"O{i}") with { PerformedAt = new DateTime(2015, 1, i) }, []))
            .ToList();
        List<StoredReview> reviews =
        [
            new(new ExamReview("O2", "ana", false, false, false, null, ManagementChange.None, "primary", null), [], 1),
            new(new ExamReview("O3", "ben", true, false, false, null, ManagementChange.None, "primary", null), [], 2),
            new(new ExamReview("O4", "ben", false, false, false, null, ManagementChange.None, "primary", null), [], 3),
        ];
        string? Next(string user, UserRole role, WorklistFilter filter, string current) =>
            Worklist.NextToReview(exams, reviews, null, user, role, _none, filter, exams.Single(e => e.Order.OrderId == current).Order);

        // ana reviewed O2; O3 awaits a second review (major finding), O4 is complete.
        Assert.Equal("O3", Next("ana", UserRole.Reviewer, WorklistFilter.All, "O1"));
        Assert.Equal("O5", Next("ana", UserRole.Reviewer, WorklistFilter.All, "O3"));
        Assert.Equal("O1", Next("ana", UserRole.Reviewer, WorklistFilter.All, "O5"));
        Assert.Equal("O5", Next("ana", UserRole.Reviewer, WorklistFilter.Unreviewed, "O2"));
        Assert.Equal("O1", Next("ben", UserRole.Reviewer, WorklistFilter.All, "O5"));
        Assert.Null(Next("ana", UserRole.Reviewer, WorklistFilter.AwaitingSecond, "O3"));
        Assert.Null(Next("vi", UserRole.Viewer, WorklistFilter.All, "O1"));
    }
}
