using ImagingValue.Core.Analytics;
using ImagingValue.Core.Data;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Screening;
using ImagingValue.Reports.Html;
using ImagingValue.Reports.Tests.Support;

namespace ImagingValue.Reports.Tests.Html;

public class AuditReportTests
{
    [Fact]
    public void Headline_NoExamReviewed_SaysNotReviewedYetAndStatesNoFinding()
    {
        var audit = Some.Audit(included: 18, major: 0, reviewed: 0);

        var headline = AuditReport.Headline(audit.Summary);

        Assert.Contains("not reviewed yet (0 of 18 included exams reviewed)", headline, StringComparison.Ordinal);
        Assert.DoesNotContain("had a major finding", headline, StringComparison.Ordinal);
        Assert.DoesNotContain("change in management", headline, StringComparison.Ordinal);
    }

    [Fact]
    public void Headline_PartlyReviewed_SaysHowManyOfTheIncludedWereReviewed()
    {
        var audit = Some.Audit(included: 18, major: 1, reviewed: 12);

        var headline = AuditReport.Headline(audit.Summary);

        Assert.Contains("12 of 18 included exams reviewed", headline, StringComparison.Ordinal);
        Assert.Contains("1 of the 12 reviewed so far had a major finding (8.3%, 95% CI", headline, StringComparison.Ordinal);
        Assert.DoesNotContain("per major finding", headline, StringComparison.Ordinal);
    }

    [Fact]
    public void Headline_AllReviewed_SaysAllWereReviewed()
    {
        var headline = AuditReport.Headline(Some.Audit(included: 20, major: 2).Summary);

        Assert.Contains("2 of the 20 included exams (all reviewed) had a major finding (10.0%, 95% CI", headline, StringComparison.Ordinal);
        Assert.Contains("per major finding", headline, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RedFlagWithRequirements_StatesThemInTheMethods()
    {
        var audit = Some.Audit(included: 18, major: 0, reviewed: 0);
        var flags = audit.Protocol.RedFlags.Select(f => f.Id == "recent_trauma" ? f with { Requires = new RedFlagRequirements(70, null, null, []) } : f).ToList();
        var html = AuditReport.Render(audit with { Protocol = audit.Protocol with { RedFlags = flags } }, Some.GeneratedAt);

        Assert.Contains("less than 28 days before the order; only in a patient 70 or older at the order; codes S32", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RedFlagReadFromTextOnly_ListsNoCodes()
    {
        var audit = Some.Audit(included: 18, major: 0, reviewed: 0);
        var flags = audit.Protocol.RedFlags.Select(f => f.Id == "recent_trauma" ? f with { Codes = [] } : f).ToList();
        var html = AuditReport.Render(audit with { Protocol = audit.Protocol with { RedFlags = flags } }, Some.GeneratedAt);

        Assert.Contains("less than 28 days before the order</", html, StringComparison.Ordinal);
        Assert.DoesNotContain("; codes<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("; codes </", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoExamReviewed_FindingsSectionHasNoRates()
    {
        var html = AuditReport.Render(Some.Audit(included: 18, major: 0, reviewed: 0), Some.GeneratedAt);

        Assert.Contains("Findings are not reviewed yet (0 of 18 included exams reviewed)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Findings among reviewed included exams", html, StringComparison.Ordinal);
        Assert.DoesNotContain("no major finding", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DoubleReviewedExams_ShowsAgreementBetweenReviewers()
    {
        var orders = new List<ImagingOrder>();
        var decisions = new List<ScreeningDecision>();
        var reviews = new List<ExamReview>();
        for (var i = 0; i < 10; i++)
        {
            var order = Some.Order(orderedAt: new DateTime(2014, 1, 6).AddDays(i * 7));
            orders.Add(order);
            decisions.Add(Some.Included(order));
            reviews.Add(Some.Review(order.OrderId, major: i < 3));
            reviews.Add(Some.Review(order.OrderId, major: i < 2) with { Reviewer = "attending2", Role = "second" });
        }

        var audit = AuditAnalyzer.Analyze(TestProtocol.Sacrum, Some.PaperOptions, orders, decisions, reviews);

        var html = AuditReport.Render(audit, Some.GeneratedAt);

        Assert.Contains("Agreement between reviewers", html, StringComparison.Ordinal);
        Assert.Contains("first and second reviewer on the 10 double-reviewed exams", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">Major finding</th><td>10</td><td>90%</td><td>0.74</td>", html, StringComparison.Ordinal);
    }
}
