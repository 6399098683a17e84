using ImagingValue.Core.Analytics;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;

namespace ImagingValue.Core.Review;

/// <summary>The worklist filters.</summary>
public enum WorklistFilter
{
    /// <summary>Every included exam of the period.</summary>
    All,

    /// <summary>No review yet.</summary>
    Unreviewed,

    /// <summary>Reviewed by the signed-in person.</summary>
    Mine,

    /// <summary>Picked for a second review that is not done.</summary>
    AwaitingSecond,

    /// <summary>Reviewers disagree and no adjudicator has decided.</summary>
    Disagreements,

    /// <summary>The final review has a major finding.</summary>
    MajorFindings,

    /// <summary>Has a final review.</summary>
    Reviewed,

    /// <summary>The final review has a minor finding.</summary>
    MinorFindings,

    /// <summary>The final review has an incidental finding.</summary>
    IncidentalFindings,

    /// <summary>The final review says management changed in a major way.</summary>
    ManagementMajor,

    /// <summary>The final review says management changed in a minor way.</summary>
    ManagementMinor,
}

/// <summary>One row of the worklist.</summary>
public sealed record WorklistRow(ImagingOrder Order, ReviewStage Stage, ExamReview? Final, int Reviews, bool Mine);

/// <summary>One page of the worklist with the count of every filter, so the page can show them all.</summary>
/// <param name="Page">1-based page number actually shown (clamped to the last page).</param>
public sealed record WorklistPage(
    IReadOnlyList<WorklistRow> Rows,
    IReadOnlyDictionary<WorklistFilter, int> Counts,
    WorklistFilter Filter,
    int Page,
    int PageCount,
    int PageSize);

/// <summary>Builds the worklist: included exams of the period, their review stage, filtered, counted and paged.</summary>
public static class Worklist
{
    public static WorklistPage Build(
        IReadOnlyList<IncludedExam> exams,
        IReadOnlyList<StoredReview> reviews,
        DateRange? period,
        string user,
        SecondReviewPolicy policy,
        WorklistFilter filter,
        int page,
        int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var (chosen, counts) = Filter(exams, reviews, period, user, policy, filter);
        var pageCount = Math.Max(1, (chosen.Count + pageSize - 1) / pageSize);
        var shown = Math.Clamp(page, 1, pageCount);
        return new WorklistPage(chosen.Skip((shown - 1) * pageSize).Take(pageSize).ToList(), counts, filter, shown, pageCount, pageSize);
    }

    /// <summary>
    /// The same page and counts as <see cref="Build"/> over every included exam of <paramref name="scope"/>, read from
    /// the store a page at a time: of the exams with a review only the ids are read (their stage, final review and
    /// reviewers come from the reviews), "All" and "Unreviewed" page in the database, and only the page's orders are
    /// read. That holds because an exam without a review is always unreviewed and every other filter needs a review.
    /// </summary>
    public static async Task<WorklistPage> ReadAsync(
        IScreeningRunStore runs,
        string protocolId,
        IncludedExamFilter scope,
        IReadOnlyList<StoredReview> reviews,
        string user,
        SecondReviewPolicy policy,
        WorklistFilter filter,
        int page,
        int pageSize,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        // The reviewed exams by id alone: their stages come from the reviews; orders are read for the page only.
        var reviewedIds = await runs.GetIncludedOrderIdsAsync(protocolId, scope with { Reviewed = true }, cancellationToken).ConfigureAwait(false);
        var byOrder = reviews.ToLookup(r => r.Review.OrderId, r => r.Review, StringComparer.Ordinal);
        var reviewed = reviewedIds.Select(id => ReviewStateOf(id, [.. byOrder[id]], user, policy)).ToList();
        var counts = Enum.GetValues<WorklistFilter>().ToDictionary(f => f, f => reviewed.Count(r => Matches(r.Stage, r.Final, r.Mine, f)));
        IReadOnlyList<IncludedExam> exams;
        int total, shown, pageCount;
        if (filter is WorklistFilter.All)
        {
            var asked = Math.Max(1, page);
            var found = await runs.GetIncludedExamPageAsync(protocolId, scope, Offset(asked, pageSize), pageSize, cancellationToken).ConfigureAwait(false);
            total = found.Total;
            pageCount = PageCount(total, pageSize);
            shown = Math.Min(asked, pageCount);
            if (shown != asked && total > 0)
            {
                found = await runs.GetIncludedExamPageAsync(protocolId, scope, Offset(shown, pageSize), pageSize, cancellationToken).ConfigureAwait(false);
            }

            exams = found.Exams;
            counts[WorklistFilter.All] = total;
        }
        else if (filter is WorklistFilter.Unreviewed)
        {
            // Every exam less the reviewed ones already read: counting the unreviewed in the database probes every exam
            // against the reviews (65 of the page's 214 ms at 100,000 exams), counting all of them reads an index range.
            counts[WorklistFilter.All] = (await runs.GetIncludedExamPageAsync(protocolId, scope, 0, 0, cancellationToken).ConfigureAwait(false)).Total;
            total = Math.Max(0, counts[WorklistFilter.All] - reviewed.Count);
            pageCount = PageCount(total, pageSize);
            shown = Math.Clamp(page, 1, pageCount);
            exams = total == 0 ? [] : await runs.GetIncludedExamRowsAsync(protocolId, scope with { Reviewed = false }, Offset(shown, pageSize), pageSize, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var chosen = reviewed.Where(r => Matches(r.Stage, r.Final, r.Mine, filter)).ToList();
            total = chosen.Count;
            pageCount = PageCount(total, pageSize);
            shown = Math.Clamp(page, 1, pageCount);
            var ids = chosen.Skip((shown - 1) * pageSize).Take(pageSize).Select(r => r.OrderId).ToList();
            exams = ids.Count == 0 ? [] : (await runs.GetIncludedExamPageAsync(protocolId, scope with { OrderIds = ids }, 0, pageSize, cancellationToken).ConfigureAwait(false)).Exams;
            counts[WorklistFilter.All] = (await runs.GetIncludedExamPageAsync(protocolId, scope, 0, 0, cancellationToken).ConfigureAwait(false)).Total;
        }

        counts[WorklistFilter.Unreviewed] = counts[WorklistFilter.All] - reviewed.Count;
        var states = reviewed.ToDictionary(r => r.OrderId, StringComparer.Ordinal);
        var rows = exams.Select(e => states.TryGetValue(e.Order.OrderId, out var r)
            ? new WorklistRow(e.Order, r.Stage, r.Final, r.Reviews, r.Mine)
            : new WorklistRow(e.Order, ReviewStage.Unreviewed, null, 0, false)).ToList();
        return new WorklistPage(rows, counts, filter, shown, pageCount, pageSize);
    }

    /// <summary>What the worklist shows of one reviewed exam's reviews, without its order.</summary>
    private sealed record ReviewState(string OrderId, ReviewStage Stage, ExamReview? Final, int Reviews, bool Mine);

    private static ReviewState ReviewStateOf(string orderId, List<ExamReview> own, string user, SecondReviewPolicy policy) =>
        new(orderId, ReviewWorkflow.StageOf(orderId, own, policy), FinalReview.Select(own), own.Count, own.Any(r => string.Equals(r.Reviewer, user, StringComparison.OrdinalIgnoreCase)));

    private static int PageCount(int rows, int pageSize) => Math.Max(1, (rows + pageSize - 1) / pageSize);

    private static int Offset(int page, int pageSize) => (int)Math.Min(int.MaxValue, (page - 1L) * pageSize);

    /// <summary>
    /// The exam to review after <paramref name="current"/> in the same filtered list: the first one after it (in the
    /// list's order, by exam date then order id, going round to the start) that <paramref name="user"/> has not reviewed
    /// and may review now (first, second or adjudication); null when none is left. The current exam need not be in the
    /// list any more (a saved exam leaves "Unreviewed").
    /// </summary>
    public static string? NextToReview(
        IReadOnlyList<IncludedExam> exams,
        IReadOnlyList<StoredReview> reviews,
        DateRange? period,
        string user,
        UserRole role,
        SecondReviewPolicy policy,
        WorklistFilter filter,
        ImagingOrder current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var (chosen, _) = Filter(exams, reviews, period, user, policy, filter);
        var after = chosen.FindIndex(r => Compare(r.Order, current) > 0);
        var byOrder = reviews.ToLookup(r => r.Review.OrderId, StringComparer.Ordinal);
        var start = after < 0 ? chosen.Count : after;
        return chosen.Skip(start).Concat(chosen.Take(start))
            .Where(r => r.Order.OrderId != current.OrderId)
            .Select(r => r.Order.OrderId)
            .FirstOrDefault(id => ReviewWorkflow.For(id, [.. byOrder[id]], user, role, policy).Action is ReviewAction.Primary or ReviewAction.Second or ReviewAction.Adjudicate);
    }

    private static int Compare(ImagingOrder a, ImagingOrder b) =>
        a.ExamDate != b.ExamDate ? a.ExamDate.CompareTo(b.ExamDate) : string.CompareOrdinal(a.OrderId, b.OrderId);

    /// <summary>The rows of <paramref name="filter"/> in the list's order, and the count of every filter.</summary>
    private static (List<WorklistRow> Chosen, Dictionary<WorklistFilter, int> Counts) Filter(
        IReadOnlyList<IncludedExam> exams,
        IReadOnlyList<StoredReview> reviews,
        DateRange? period,
        string user,
        SecondReviewPolicy policy,
        WorklistFilter filter)
    {
        ArgumentNullException.ThrowIfNull(exams);
        ArgumentNullException.ThrowIfNull(reviews);
        var byOrder = reviews.ToLookup(r => r.Review.OrderId, r => r.Review, StringComparer.Ordinal);
        var rows = new List<WorklistRow>(exams.Count);
        foreach (var exam in exams)
        {
            if (period is not null && !period.Contains(exam.Order.ExamDate))
            {
                continue;
            }

            var own = byOrder[exam.Order.OrderId].ToList();
            rows.Add(new WorklistRow(
                exam.Order,
                ReviewWorkflow.StageOf(exam.Order.OrderId, own, policy),
                FinalReview.Select(own),
                own.Count,
                own.Any(r => string.Equals(r.Reviewer, user, StringComparison.OrdinalIgnoreCase))));
        }

        var counts = Enum.GetValues<WorklistFilter>().ToDictionary(f => f, f => rows.Count(r => Matches(r, f)));
        var chosen = rows.Where(r => Matches(r, filter)).ToList();
        chosen.Sort((a, b) => Compare(a.Order, b.Order));
        return (chosen, counts);
    }

    private static bool Matches(WorklistRow row, WorklistFilter filter) => Matches(row.Stage, row.Final, row.Mine, filter);

    private static bool Matches(ReviewStage stage, ExamReview? final, bool mine, WorklistFilter filter) => filter switch
    {
        WorklistFilter.Unreviewed => stage == ReviewStage.Unreviewed,
        WorklistFilter.Mine => mine,
        WorklistFilter.AwaitingSecond => stage == ReviewStage.AwaitingSecondReview,
        WorklistFilter.Disagreements => stage == ReviewStage.Disagreement,
        WorklistFilter.MajorFindings => final?.MajorFinding == true,
        WorklistFilter.Reviewed => final is not null,
        WorklistFilter.MinorFindings => final?.MinorFinding == true,
        WorklistFilter.IncidentalFindings => final?.IncidentalFinding == true,
        WorklistFilter.ManagementMajor => final?.ManagementChange == ManagementChange.Major,
        WorklistFilter.ManagementMinor => final?.ManagementChange == ManagementChange.Minor,
        _ => true,
    };
}
