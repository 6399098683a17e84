using ImagingValue.Core.Data;
using ImagingValue.Core.Review;
using ImagingValue.Core.Screening;
using ImagingValue.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Storage.Tests.Sqlite;

public sealed class SqliteReviewStoreTests : IDisposable
{
    private static readonly ScreeningEvidence _pain = new(
        EvidenceSource.Indication, EvidenceRole.Counted, For: "low_back_pain", Concept: "low_back_pain", Text: "low back pain", Mention: new TextSpan(0, 13), Sentence: new TextSpan(0, 13));

    private static readonly DateTimeOffset _at = new(2026, 11, 27, 13, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("iv-review-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static ReviewDraft Draft(string order, string reviewer, bool major, string management = "none", string role = "primary", params string[] concepts) =>
        new(new ExamReview(order, reviewer, major, false, true, "notes of " + reviewer, management, role, new DateTime(2026, 11, 27, 14, 0, 0)), concepts);

    private SqliteReviewStore NewStore()
    {
        using (var workspace = SqliteWorkspaceStore.Create(_dir, TimeProvider.System))
        {
            using var orders = workspace.BeginImport(CanonicalTable.Orders, "orders.csv");
            foreach (var id in new[] { "A1", "A2", "A3" })
            {
                var values = new string?[CanonicalTable.Orders.Columns.Count];
                values[CanonicalTable.Orders.IndexOf("order_id")] = id;
                values[CanonicalTable.Orders.IndexOf("patient_id")] = "P1";
                values[CanonicalTable.Orders.IndexOf("ordered_at")] = "2015-03-17T09:00:00";
                values[CanonicalTable.Orders.IndexOf("procedure_name")] = id == "A3" ? "MRI LUMBAR SPINE" : "MRI SACRUM WO";
                values[CanonicalTable.Orders.IndexOf("indication")] = "low back pain";
                values[CanonicalTable.Orders.IndexOf("status")] = "completed";
                orders.Stage(1, id, values, null);
            }

            orders.Commit(new HashSet<string>());
            workspace.SaveScreeningRunAsync(
                new ScreeningRun("sacrum-mri-lbp", _at, [
                    new ScreeningDecision("A1", Decision.Included, true, null, [], [_pain]),
                    new ScreeningDecision("A2", Decision.Excluded, true, "tumor", ["tumor"], []),
                    new ScreeningDecision("A3", Decision.NotTarget, false, null, [], []),
                ]),
                CancellationToken.None).GetAwaiter().GetResult();
        }

        return SqliteReviewStore.Open(_dir, TimeProvider.System);
    }

    [Fact]
    public async Task SaveReview_New_IsAReviewsRowThatAnalyzeReads()
    {
        var store = NewStore();
        var ct = CancellationToken.None;

        var result = await store.SaveReviewAsync(Draft("A1", "ana", major: true, "minor", "primary", "major:sacroiliitis"), 0, "ana", _at, ct);

        Assert.True(result.Saved);
        Assert.True(result.Current!.Revision > 0);
        using var workspace = SqliteWorkspaceStore.Open(_dir, TimeProvider.System);
        var review = Assert.Single(await workspace.GetReviewsAsync(ct));
        Assert.Equal(("A1", "ana", true, "minor", "primary"), (review.OrderId, review.Reviewer, review.MajorFinding, review.ManagementChange, review.Role));
        var stored = Assert.Single(await store.GetExamReviewsAsync("A1", ct));
        Assert.Equal(["major:sacroiliitis"], stored.FindingConcepts);
        Assert.Equal(result.Current.Revision, stored.Revision);
    }

    [Fact]
    public async Task SaveReview_StaleRevision_ConflictKeepsTheOtherSave()
    {
        var store = NewStore();
        var ct = CancellationToken.None;
        var first = await store.SaveReviewAsync(Draft("A1", "ana", major: false), 0, "ana", _at, ct);

        // A second tab loaded the form before the first save (revision 0) and saves other values.
        var second = await store.SaveReviewAsync(Draft("A1", "ana", major: true, "major"), 0, "ana", _at.AddMinutes(1), ct);

        Assert.True(second.IsConflict);
        Assert.False(second.Current!.Review.MajorFinding);
        Assert.Equal(first.Current!.Revision, second.Current.Revision);
        var stored = Assert.Single(await store.GetExamReviewsAsync("A1", ct));
        Assert.False(stored.Review.MajorFinding);

        // Saving again against the current revision succeeds.
        var third = await store.SaveReviewAsync(Draft("A1", "ana", major: true, "major"), stored.Revision, "ana", _at.AddMinutes(2), ct);
        Assert.True(third.Saved);
        Assert.True(third.Current!.Revision > stored.Revision);
    }

    [Fact]
    public async Task AuditTrail_EveryChangedField_WithUserTimeOldAndNew()
    {
        var store = NewStore();
        var ct = CancellationToken.None;
        var first = await store.SaveReviewAsync(Draft("A1", "ana", major: false), 0, "ana", _at, ct);
        await store.SaveReviewAsync(Draft("A1", "ana", major: true, "major", "primary", "major:acute_fracture"), first.Current!.Revision, "ana", _at.AddHours(1), ct);

        var trail = await store.GetAuditTrailAsync("A1", ct);

        Assert.Contains(trail, e => e is { Field: "major_finding", OldValue: null, NewValue: "no", ChangedBy: "ana" } && e.At == _at);
        Assert.Contains(trail, e => e is { Field: "major_finding", OldValue: "no", NewValue: "yes" } && e.At == _at.AddHours(1));
        Assert.Contains(trail, e => e is { Field: "management_change", OldValue: "none", NewValue: "major" });
        Assert.Contains(trail, e => e is { Field: "finding_concepts", OldValue: null, NewValue: "major:acute_fracture" });
        Assert.DoesNotContain(trail, e => e.Field == "incidental_finding" && e.OldValue is not null);
    }

    [Fact]
    public async Task AuditTrail_DeleteOrUpdate_RefusedByTheDatabase()
    {
        var store = NewStore();
        var ct = CancellationToken.None;
        await store.SaveReviewAsync(Draft("A1", "ana", major: false), 0, "ana", _at, ct);

        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, SqliteWorkspaceStore.FileName)};Pooling=False");
        connection.Open();
        foreach (var sql in new[] { "DELETE FROM review_audit", "UPDATE review_audit SET new_value = 'x'" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            var ex = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
            Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CsvImport_OverABrowserReview_IsAuditedAndMovesTheRevision()
    {
        var store = NewStore();
        var ct = CancellationToken.None;
        var saved = await store.SaveReviewAsync(Draft("A1", "ana", major: false), 0, "ana", _at, ct);

        using (var workspace = SqliteWorkspaceStore.Open(_dir, TimeProvider.System))
        {
            using var import = workspace.BeginImport(CanonicalTable.Reviews, "reviews.csv");
            import.Stage(2, "A1|ana", ["A1", "ana", "yes", "no", "yes", null, "minor", "primary", "2026-11-27T15:00:00"], null);
            import.Commit(new HashSet<string>());
        }

        var trail = await store.GetAuditTrailAsync("A1", ct);
        var change = Assert.Single(trail, e => e.Field == "major_finding" && e.OldValue == "no");
        Assert.StartsWith("import ", change.ChangedBy, StringComparison.Ordinal);
        Assert.Contains(trail, e => e is { Field: "finding_notes", OldValue: "notes of ana", NewValue: null });
        var now = Assert.Single(await store.GetExamReviewsAsync("A1", ct));
        Assert.True(now.Review.MajorFinding);
        Assert.True(now.Revision > saved.Current!.Revision);

        // The browser form opened before the import now conflicts instead of overwriting it.
        var stale = await store.SaveReviewAsync(Draft("A1", "ana", major: false), saved.Current.Revision, "ana", _at, ct);
        Assert.True(stale.IsConflict);
    }

    [Fact]
    public async Task FailedSignIns_LockAtTheLimit_ThenCountAgain()
    {
        var store = NewStore();
        var ct = CancellationToken.None;
        Assert.True(await store.AddUserAsync(new WorkspaceUser("Ana", UserRole.Reviewer, "HASH", 0, null), _at, ct));
        Assert.False(await store.AddUserAsync(new WorkspaceUser("ana", UserRole.Admin, "OTHER", 0, null), _at, ct));

        var until = _at.AddMinutes(15);
        var one = await store.RegisterFailedSignInAsync("ana", 3, until, ct);
        var two = await store.RegisterFailedSignInAsync("ana", 3, until, ct);
        var three = await store.RegisterFailedSignInAsync("ana", 3, until, ct);

        Assert.Equal((1, false), (one!.FailedAttempts, one.IsLockedAt(_at)));
        Assert.Equal((2, false), (two!.FailedAttempts, two.IsLockedAt(_at)));
        Assert.True(three!.IsLockedAt(_at));
        Assert.False(three.IsLockedAt(until));
        Assert.Equal(0, three.FailedAttempts);
        await store.ResetFailedSignInsAsync("ANA", ct);
        var user = await store.FindUserAsync("ana", ct);
        Assert.Equal(("Ana", UserRole.Reviewer, "HASH", null), (user!.Name, user.Role, user.PasswordHash, user.LockedUntil));
    }

    [Fact]
    public async Task IncludedExams_FromTheLatestScreeningRun_WithEvidence()
    {
        var store = NewStore();
        var ct = CancellationToken.None;

        var exams = await store.GetIncludedExamsAsync("sacrum-mri-lbp", ct);

        var exam = Assert.Single(exams);
        Assert.Equal("A1", exam.Order.OrderId);
        Assert.Equal([_pain], exam.Evidence);
        Assert.Equal("indication: \"low back pain\" [low_back_pain]", ScreeningEvidenceFormatter.Format(exam.Evidence[0]));
        Assert.Empty(await store.GetIncludedExamsAsync("other-protocol", ct));
        var excluded = await store.GetLatestDecisionAsync("sacrum-mri-lbp", "A2", ct);
        Assert.Equal((Decision.Excluded, "tumor"), (excluded!.Decision, excluded.Reason));
        Assert.Null(await store.GetLatestDecisionAsync("sacrum-mri-lbp", "NOPE", ct));
        Assert.Equal(3, (await store.GetLatestDecisionsAsync("sacrum-mri-lbp", ct)).Count);
        var sameDay = await store.GetSameDayOrdersAsync("P1", new DateOnly(2015, 3, 17), "A1", ct);
        Assert.Equal(["A2", "A3"], sameDay.Select(o => o.OrderId));
    }
}
