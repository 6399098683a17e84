using ImagingValue.Core.Data;
using ImagingValue.Core.Statistics;

namespace ImagingValue.Core.Review;

/// <summary>How two reviewers of the same exams agree on one field.</summary>
/// <param name="Categories">The field's categories, in table order (<c>yes, no</c> or <c>none, minor, major</c>).</param>
/// <param name="N">Exams read by both (primary and second reviewer).</param>
/// <param name="AgreePct">Percent of them with the same answer (0-100, one decimal); null when N is 0.</param>
/// <param name="Table">Counts [first reviewer][second reviewer] in <paramref name="Categories"/> order.</param>
/// <param name="Kappa">Cohen's kappa; null when undefined (both reviewers put every exam in one category).</param>
/// <param name="Ci95">95% interval on Fisher's z scale from the asymptotic SE (within [−1, 1], see <see cref="Kappa"/>); null with kappa.</param>
public sealed record ReviewerFieldAgreement(IReadOnlyList<string> Categories, int N, double? AgreePct, int[][] Table, double? Kappa, double[]? Ci95);

/// <summary>Inter-reviewer agreement per field, from exams with a primary and a second review (before adjudication).</summary>
public sealed record ReviewerAgreementSummary(
    ReviewerFieldAgreement MajorFinding,
    ReviewerFieldAgreement MinorFinding,
    ReviewerFieldAgreement IncidentalFinding,
    ReviewerFieldAgreement ManagementChange);

/// <summary>
/// Pairs each exam's first review (role <c>primary</c>, else the earliest) with its second (role <c>second</c>, else
/// the next one that is not the adjudicator's) and measures agreement per field with Cohen's kappa.
/// </summary>
public static class ReviewerAgreement
{
    private static readonly string[] _yesNo = ["yes", "no"];

    /// <summary>The agreement over <paramref name="orderIds"/>; null when no exam has two reviews.</summary>
    public static ReviewerAgreementSummary? Compute(IEnumerable<string> orderIds, ILookup<string, ExamReview> reviewsByOrder)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        ArgumentNullException.ThrowIfNull(reviewsByOrder);
        var pairs = new List<(ExamReview First, ExamReview Second)>();
        foreach (var id in orderIds)
        {
            var readers = reviewsByOrder[id].Where(r => r.Role != ReviewWorkflow.AdjudicatorRole)
                .OrderBy(r => r.Role == ReviewWorkflow.PrimaryRole ? 0 : r.Role == ReviewWorkflow.SecondRole ? 2 : 1)
                .ThenBy(r => r.ReviewedAt ?? DateTime.MinValue)
                .ThenBy(r => r.Reviewer, StringComparer.Ordinal)
                .ToList();
            if (readers.Count >= 2)
            {
                pairs.Add((readers[0], readers[1]));
            }
        }

        if (pairs.Count == 0)
        {
            return null;
        }

        return new ReviewerAgreementSummary(
            Field(_yesNo, pairs.Select(p => (YesNo(p.First.MajorFinding), YesNo(p.Second.MajorFinding)))),
            Field(_yesNo, pairs.Select(p => (YesNo(p.First.MinorFinding ?? false), YesNo(p.Second.MinorFinding ?? false)))),
            Field(_yesNo, pairs.Select(p => (YesNo(p.First.IncidentalFinding ?? false), YesNo(p.Second.IncidentalFinding ?? false)))),
            Field([.. ManagementChanges.All.Select(m => m.ToWord())], pairs.Select(p => (Word(p.First.ManagementChange), Word(p.Second.ManagementChange)))));
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary>An unrecorded management change counts as none.</summary>
    private static string Word(ManagementChange? change) => (change ?? Data.ManagementChange.None).ToWord();

    private static ReviewerFieldAgreement Field(string[] categories, IEnumerable<(string First, string Second)> answers)
    {
        var k = categories.Length;
        var table = Enumerable.Range(0, k).Select(_ => new int[k]).ToArray();
        foreach (var (first, second) in answers)
        {
            var i = Array.IndexOf(categories, first);
            var j = Array.IndexOf(categories, second);
            if (i >= 0 && j >= 0)
            {
                table[i][j]++;
            }
        }

        var (n, agreePct, kappa, ci) = Kappa.Summarize(table);
        return new ReviewerFieldAgreement(categories, n, agreePct, table, kappa, ci);
    }
}
