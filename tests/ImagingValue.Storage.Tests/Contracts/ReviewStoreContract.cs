using ImagingValue.Core.Data;
using ImagingValue.Core.Review;
using ImagingValue.Core.Storage;

namespace ImagingValue.Storage.Tests.Contracts;

/// <summary>What every provider's review saves do: revisions, conflicts that overwrite nothing, an audit trail of every change.</summary>
public abstract class ReviewStoreContract : WorkspaceContract
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset At = Seed.At;

    private static ReviewDraft Draft(string order, string reviewer, bool major, string management = "none", string role = "primary", params string[] concepts) =>
        new(new ExamReview(order, reviewer, major, false, true, "notes of " + reviewer, ManagementChanges.Parse(management), role, new DateTime(2026, 11, 27, 14, 0, 0)), concepts);

    private IReviewStore Store => Workspace.Reviews;

    [Fact]
    public async Task SaveReview_New_IsAReviewThatAnalyzeReads()
    {
        var result = await Store.SaveReviewAsync(Draft("A1", "ana", major: true, "minor", "primary", "major:sacroiliitis"), 0, "ana", At, Ct);

        Assert.True(result.Saved);
        Assert.True(result.Current!.Revision > 0);
        var review = Assert.Single(await Workspace.Data.GetReviewsAsync(Ct));
        Assert.Equal(("A1", "ana", true, ManagementChange.Minor, "primary"), (review.OrderId, review.Reviewer, review.MajorFinding, review.ManagementChange, review.Role));
        var stored = Assert.Single(await Store.GetExamReviewsAsync("A1", Ct));
        Assert.Equal(["major:sacroiliitis"], stored.FindingConcepts);
        Assert.Equal(result.Current.Revision, stored.Revision);
        Assert.Equal(stored.Revision, Assert.Single(await Store.GetAllReviewsAsync(Ct)).Revision);
    }

    [Fact]
    public async Task SaveReview_StaleRevision_ConflictKeepsTheOtherSave()
    {
        var first = await Store.SaveReviewAsync(Draft("A1", "ana", major: false), 0, "ana", At, Ct);

        // A second tab loaded the form before the first save (revision 0) and saves other values.
        var second = await Store.SaveReviewAsync(Draft("A1", "ana", major: true, "major"), 0, "ana", At.AddMinutes(1), Ct);

        Assert.True(second.IsConflict);
        Assert.False(second.Current!.Review.MajorFinding);
        Assert.Equal(first.Current!.Revision, second.Current.Revision);
        var stored = Assert.Single(await Store.GetExamReviewsAsync("A1", Ct));
        Assert.False(stored.Review.MajorFinding);

        // Saving again against the current revision succeeds.
        var third = await Store.SaveReviewAsync(Draft("A1", "ana", major: true, "major"), stored.Revision, "ana", At.AddMinutes(2), Ct);
        Assert.True(third.Saved);
        Assert.True(third.Current!.Revision > stored.Revision);
    }

    [Fact]
    public async Task AuditTrail_EveryChangedField_WithUserTimeOldAndNew()
    {
        var first = await Store.SaveReviewAsync(Draft("A1", "ana", major: false), 0, "ana", At, Ct);
        await Store.SaveReviewAsync(Draft("A1", "ana", major: true, "major", "primary", "major:acute_fracture"), first.Current!.Revision, "ana", At.AddHours(1), Ct);

        var trail = await Store.GetAuditTrailAsync("A1", Ct);

        Assert.Contains(trail, e => e is { Field: "major_finding", OldValue: null, NewValue: "no", ChangedBy: "ana" } && e.At == At);
        Assert.Contains(trail, e => e is { Field: "major_finding", OldValue: "no", NewValue: "yes" } && e.At == At.AddHours(1));
        Assert.Contains(trail, e => e is { Field: "management_change", OldValue: "none", NewValue: "major" });
        Assert.Contains(trail, e => e is { Field: "finding_concepts", OldValue: null, NewValue: "major:acute_fracture" });
        Assert.DoesNotContain(trail, e => e.Field == "incidental_finding" && e.OldValue is not null);
        Assert.Equal(trail.OrderBy(e => e.Id).Select(e => e.Id), trail.Select(e => e.Id));
        Assert.Empty(await Store.GetAuditTrailAsync("A2", Ct));
    }

    [Fact]
    public async Task ImportOverABrowserReview_IsAuditedAndMovesTheRevision()
    {
        var saved = await Store.SaveReviewAsync(Draft("A1", "ana", major: false), 0, "ana", At, Ct);

        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Reviews, [("A1|ana", ["A1", "ana", "yes", "no", "yes", null, "minor", "primary", "2026-11-27T15:00:00"])], "reviews.csv");

        var trail = await Store.GetAuditTrailAsync("A1", Ct);
        var change = Assert.Single(trail, e => e.Field == "major_finding" && e.OldValue == "no");
        Assert.StartsWith("import ", change.ChangedBy, StringComparison.Ordinal);
        Assert.Contains(trail, e => e is { Field: "finding_notes", OldValue: "notes of ana", NewValue: null });
        var now = Assert.Single(await Store.GetExamReviewsAsync("A1", Ct));
        Assert.True(now.Review.MajorFinding);
        Assert.True(now.Revision > saved.Current!.Revision);

        // The browser form opened before the import now conflicts instead of overwriting it.
        var stale = await Store.SaveReviewAsync(Draft("A1", "ana", major: false), saved.Current.Revision, "ana", At, Ct);
        Assert.True(stale.IsConflict);
    }
}
