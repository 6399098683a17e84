using ImagingValue.Core.Analytics;
using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Tests.Support;

namespace ImagingValue.Core.Tests.Analytics;

public class AuditAnalyzerTests
{
    private static readonly AuditOptions _paper = new(
        DateRange.Parse("2013-07-01..2017-06-30"), new DateOnly(2018, 6, 30), DateRange.Parse("2018-07-01..2018-09-30"), 4900m);

    /// <summary>98 included exams in 48 months (2 major), one in follow-up: the paper's shape.</summary>
    private static (List<ImagingOrder> Orders, List<ScreeningDecision> Decisions, List<ExamReview> Reviews) PaperShape()
    {
        var orders = new List<ImagingOrder>();
        var decisions = new List<ScreeningDecision>();
        var reviews = new List<ExamReview>();
        var start = new DateTime(2013, 7, 3, 9, 0, 0);
        for (var i = 0; i < 98; i++)
        {
            var at = start.AddDays(i * 14);
            var order = Some.Order(orderedAt: at, sex: i < 64 ? "F" : "M", birthDate: DateOnly.FromDateTime(at).AddYears(-48));
            orders.Add(order);
            decisions.Add(Some.Included(order));
            reviews.Add(Some.Review(order.OrderId, major: i < 2, minor: i < 43, incidental: i < 85, management: i < 12 ? "minor" : "none"));
        }

        var followUp = Some.Order(orderedAt: new DateTime(2018, 8, 1, 10, 0, 0));
        orders.Add(followUp);
        decisions.Add(Some.Included(followUp));

        // The export runs past the follow-up window: other procedures are ordered after it.
        var later = Some.Order(orderedAt: new DateTime(2018, 10, 1, 8, 0, 0), procedureName: "XR CHEST 2 VIEWS", procedureCode: "71046");
        orders.Add(later);
        decisions.Add(Some.NotTarget(later));
        return (orders, decisions, reviews);
    }

    [Fact]
    public void Analyze_FollowUpAfterTheLastOrder_NotCoveredAndNoObservedFigures()
    {
        var (orders, decisions, reviews) = PaperShape();
        var options = _paper with { FollowUp = DateRange.Parse("2019-01-01..2019-03-31") };

        var s = AuditAnalyzer.Analyze(TestProtocol.Sacrum, options, orders, decisions, reviews).Summary;

        var f = s.FollowUp!;
        Assert.False(f.Covered);
        Assert.Null(f.CoveredThrough);
        Assert.Null(f.Observed);
        Assert.Null(f.ChangePct);
        Assert.Null(f.AvoidedExams);
        Assert.Null(f.Savings);
        // What does not depend on the window's data is still stated.
        Assert.Equal(2.04, f.BaselinePerMonth);
        Assert.Equal(6.13, f.Expected);
        Assert.True(s.ExamsPerYear[^1].IsFollowUp);
        Assert.Null(s.ExamsPerYear[^1].Included);
    }

    [Fact]
    public void Analyze_DataEndsInsideTheFollowUp_NotCoveredThroughTheLastOrder()
    {
        var (orders, decisions, reviews) = PaperShape();
        var options = _paper with { FollowUp = DateRange.Parse("2018-07-01..2018-12-31") };

        var f = AuditAnalyzer.Analyze(TestProtocol.Sacrum, options, orders, decisions, reviews).Summary.FollowUp!;

        // The latest order is the chest radiograph ordered 2018-10-01 and performed 2018-10-04.
        Assert.False(f.Covered);
        Assert.Equal("2018-10-04", f.CoveredThrough);
        Assert.Null(f.Observed);
        Assert.Null(f.Savings);
    }

    [Fact]
    public void Analyze_PaperShape_ReproducesPaperFigures()
    {
        var (orders, decisions, reviews) = PaperShape();

        var s = AuditAnalyzer.Analyze(TestProtocol.Sacrum, _paper, orders, decisions, reviews).Summary;

        Assert.Equal(48, s.Period.Months);
        Assert.Equal(98, s.Cohort.Included);
        Assert.Equal(2, s.Review.MajorFindings);
        Assert.Equal(43, s.Review.MinorFindings);
        Assert.Equal(85, s.Review.IncidentalFindings);
        Assert.Equal(12, s.Review.ManagementMinor);
        Assert.Equal(0.0204, s.Yield.MajorRate);
        Assert.Equal([0.0056, 0.0714], s.Yield.MajorCi95!);
        Assert.Equal(65.3, s.Demographics.FemalePct);
        Assert.Equal(480200, s.Cost.TotalCharges);
        Assert.Equal(240100, s.Cost.ChargesPerMajorFinding);
        var f = s.FollowUp!;
        Assert.Equal(3, f.Months);
        Assert.Equal(2.04, f.BaselinePerMonth);
        Assert.Equal(6.13, f.Expected);
        Assert.Equal(1, f.Observed);
        Assert.Equal(-83.7, f.ChangePct);
        Assert.Equal(5.13, f.AvoidedExams);
        Assert.Equal(25112, f.Savings);
        Assert.True(f.Covered);
        Assert.Null(f.CoveredThrough);
        Assert.Equal(["2013 (6 mo)", "2014", "2015", "2016", "2017 (6 mo)", "2018-07..2018-09 (3 mo, post)"], s.ExamsPerYear.Select(y => y.Label));
        Assert.Equal(98, s.ExamsPerYear.Where(y => !y.IsFollowUp).Sum(y => y.Included));
        Assert.Equal(1, s.ExamsPerYear[^1].Included);
    }

    [Fact]
    public void Analyze_ExcludedAndCancelled_CountedByReasonWithEveryReasonKeyPresent()
    {
        var tumor = Some.Order(orderedAt: new DateTime(2014, 1, 1));
        var noIndication = Some.Order(orderedAt: new DateTime(2014, 2, 1));
        var cancelled = Some.Order(orderedAt: new DateTime(2014, 3, 1), status: "cancelled");
        var outside = Some.Order(orderedAt: new DateTime(2012, 3, 1));
        var orders = new List<ImagingOrder> { tumor, noIndication, cancelled, outside };
        var decisions = new List<ScreeningDecision>
        {
            Some.Excluded(tumor, "tumor"),
            Some.Excluded(noIndication, "no_qualifying_indication"),
            Some.NotTarget(cancelled, isTarget: true),
            Some.Excluded(outside, "tumor"),
        };

        var s = AuditAnalyzer.Analyze(TestProtocol.Sacrum, _paper, orders, decisions, []).Summary;

        Assert.Equal(2, s.Cohort.TargetExams);
        Assert.Equal(2, s.Cohort.Excluded);
        Assert.Equal(1, s.Cohort.Cancelled);
        Assert.Equal(["tumor", "recent_trauma", "no_qualifying_indication"], s.Cohort.ExcludedByReason.Keys);
        Assert.Equal(1, s.Cohort.ExcludedByReason["tumor"]);
        Assert.Equal(0, s.Cohort.ExcludedByReason["recent_trauma"]);
        Assert.Null(s.Yield.MajorRate);
    }

    [Fact]
    public void Analyze_SameDayLumbarMri_CountsOnlySamePatientSameDay()
    {
        var sacrum = Some.Order(patientId: "P1", orderedAt: new DateTime(2015, 1, 1), performedAt: new DateTime(2015, 1, 5, 9, 0, 0));
        var sameDay = Some.Order(patientId: "P1", procedureName: "MRI LUMBAR SPINE WO", procedureCode: "72148", orderedAt: new DateTime(2015, 1, 1), performedAt: new DateTime(2015, 1, 5, 10, 0, 0));
        var other = Some.Order(patientId: "P2", orderedAt: new DateTime(2015, 1, 1), performedAt: new DateTime(2015, 1, 5, 9, 0, 0));
        var otherLumbar = Some.Order(patientId: "P2", procedureName: "MR LUMBAR SPINE", procedureCode: null, orderedAt: new DateTime(2015, 1, 1), performedAt: new DateTime(2015, 1, 6, 9, 0, 0));
        var orders = new List<ImagingOrder> { sacrum, sameDay, other, otherLumbar };
        var decisions = new List<ScreeningDecision> { Some.Included(sacrum), Some.NotTarget(sameDay), Some.Included(other), Some.NotTarget(otherLumbar) };

        var s = AuditAnalyzer.Analyze(TestProtocol.Sacrum, _paper, orders, decisions, []).Summary;

        Assert.Equal(1, s.Concurrent["lumbar_spine_mri"]);
    }

    [Fact]
    public void Analyze_DisagreementWithoutAdjudication_LatestStandsAndIsCounted()
    {
        var order = Some.Order(orderedAt: new DateTime(2015, 1, 1));
        var reviews = new List<ExamReview>
        {
            Some.Review(order.OrderId, "a", major: false, reviewedAt: new DateTime(2018, 1, 1)),
            Some.Review(order.OrderId, "b", major: true, role: "second", reviewedAt: new DateTime(2018, 2, 1)),
        };

        var s = AuditAnalyzer.Analyze(TestProtocol.Sacrum, _paper, [order], [Some.Included(order)], reviews).Summary;

        Assert.Equal(1, s.Review.MajorFindings);
        Assert.Equal(1, s.Review.DisagreementsUnadjudicated);
    }

    [Fact]
    public void Analyze_SuggestionsAndReviews_AgreementTableAndKappa()
    {
        // 20 exams: review yes/suggestion yes 8, yes/no 2, no/yes 1, no/no 9.
        var orders = Enumerable.Range(0, 20).Select(i => Some.Order(orderedAt: new DateTime(2015, 1, 1).AddDays(i))).ToList();
        bool[] review = [.. Enumerable.Repeat(true, 10), .. Enumerable.Repeat(false, 10)];
        bool[] suggested = [.. Enumerable.Repeat(true, 8), false, false, true, .. Enumerable.Repeat(false, 9)];
        var reviews = orders.Select((o, i) => Some.Review(o.OrderId, major: review[i])).ToList();
        var suggestions = orders.Select((o, i) => new Core.Review.FindingSuggestion(o.OrderId, suggested[i], false, false, []))
            .ToDictionary(s => s.OrderId);

        var a = AuditAnalyzer.Analyze(TestProtocol.Sacrum, _paper, orders, [.. orders.Select(Some.Included)], reviews, suggestions).Summary.Agreement!;

        Assert.Equal(20, a.Major.N);
        Assert.Equal("8,2,1,9", string.Join(',', a.Major.Table.SelectMany(r => r)));
        Assert.Equal(85.0, a.Major.AgreePct);
        // kappa = (po - pe) / (1 - pe) with po = 0.85 and pe = (10*9 + 10*11) / 400 = 0.5.
        Assert.Equal(Math.Round((0.85 - 0.5) / (1 - 0.5), 4), a.Major.Kappa);
        Assert.Null(a.Minor.Kappa);
    }
}
