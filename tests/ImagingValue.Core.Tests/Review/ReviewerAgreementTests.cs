using ImagingValue.Core.Data;
using ImagingValue.Core.Review;

namespace ImagingValue.Core.Tests.Review;

public class ReviewerAgreementTests
{
    private static ExamReview R(string order, string reviewer, string role, bool major, string management = "none") =>
        new(order, reviewer, major, false, false, null, ManagementChanges.Parse(management), role, new DateTime(2026, 1, role == "primary" ? 1 : 2));

    [Fact]
    public void Compute_PrimaryAgainstSecond_PercentAndKappaPerField()
    {
        List<ExamReview> reviews =
        [
            R("A", "ana", "primary", true, "minor"), R("A", "ben", "second", true, "minor"),
            R("B", "ana", "primary", false), R("B", "ben", "second", false),
            R("C", "ana", "primary", true, "minor"), R("C", "ben", "second", false), R("C", "cy", "adjudicator", true, "major"),
            R("D", "ana", "primary", false), R("D", "ben", "second", false),
            R("E", "ana", "primary", true),
        ];

        var agreement = ReviewerAgreement.Compute(["A", "B", "C", "D", "E"], reviews.ToLookup(r => r.OrderId))!;

        // Major: [[1 yes/yes, 1 yes/no], [0, 2]]: Po 0.75, Pe 0.5, kappa 0.5; E has one review and the adjudicator is left out.
        Assert.Equal(4, agreement.MajorFinding.N);
        Assert.Equal(75.0, agreement.MajorFinding.AgreePct);
        Assert.Equal([[1, 1], [0, 2]], agreement.MajorFinding.Table);
        Assert.Equal(0.5, agreement.MajorFinding.Kappa);
        Assert.NotNull(agreement.MajorFinding.Ci95);
        Assert.Equal(["none", "minor", "major"], agreement.ManagementChange.Categories);
        Assert.Equal([[2, 0, 0], [1, 1, 0], [0, 0, 0]], agreement.ManagementChange.Table);
        Assert.Null(agreement.MinorFinding.Kappa);
        Assert.Equal(100.0, agreement.MinorFinding.AgreePct);
        Assert.Null(ReviewerAgreement.Compute(["E"], reviews.ToLookup(r => r.OrderId)));
    }
}
