using System.Net;
using System.Text.RegularExpressions;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Interventions;
using ImagingValue.Core.Monitoring;
using ImagingValue.Reports.Html;
using ImagingValue.Reports.Tests.Support;

namespace ImagingValue.Reports.Tests.Html;

public class AuditReportClaimsTests
{
    [Fact]
    public void Render_FollowUpAfterTheData_NoDataForThisWindowAndNothingAvoided()
    {
        var html = WebUtility.HtmlDecode(AuditReport.Render(Some.UncoveredAudit(), Some.GeneratedAt));

        Assert.Contains("no data for this window", html, StringComparison.Ordinal);
        Assert.DoesNotContain("-100", html, StringComparison.Ordinal);
        Assert.DoesNotContain("−100", html, StringComparison.Ordinal);
        // No dollar figure is said to be avoided anywhere (headline, table or chart).
        Assert.DoesNotMatch(new Regex(@"\$[0-9,]+[^<.]{0,60}avoided|avoided[^<]{0,20}</th><td>\$"), html);
        Assert.DoesNotContain("Charges avoided", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Headline_CoveredFollowUp_NamesTheBaselineWithTheFigure()
    {
        var headline = AuditReport.Headline(Some.PaperAudit().Summary);

        Assert.Contains("against 6.13 expected at the review period's 2.04 a month (-83.7%), about 5.13 exams and $25,112 avoided", headline, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithMonitoring_MonitorsAvoidedFigureOnlyAsALabelledSensitivityAnalysis()
    {
        var audit = Some.PaperAudit();
        var monitor = Monitor(audit);
        Assert.NotNull(monitor.PrePost);
        var prePostMoney = "$" + monitor.PrePost.Savings.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture);

        var html = WebUtility.HtmlDecode(AuditReport.Render(audit, Some.GeneratedAt, monitor));

        // The headline figure is named once with its baseline; the monitor's pre/post figure sits under a
        // "Sensitivity analysis" heading that names its own baseline, and nowhere else.
        Assert.Contains("against the review period's 2.04 a month", html, StringComparison.Ordinal);
        var sensitivity = html.IndexOf("Sensitivity analysis", StringComparison.Ordinal);
        Assert.True(sensitivity >= 0, "no sensitivity label");
        var first = html.IndexOf(prePostMoney, StringComparison.Ordinal);
        Assert.True(first > sensitivity, $"{prePostMoney} appears before the sensitivity label");
        var section = html[sensitivity..html.IndexOf("</table>", sensitivity, StringComparison.Ordinal)];
        Assert.Contains(prePostMoney, section, StringComparison.Ordinal);
        Assert.Contains("months before the intervention", section, StringComparison.Ordinal);
        Assert.Equal(html.IndexOf(prePostMoney, StringComparison.Ordinal), html.LastIndexOf(prePostMoney, StringComparison.Ordinal));
    }

    private static MonitorResult Monitor(AuditResult audit)
    {
        var orders = audit.Exams.Select(e => e.Order).ToList();
        var decisions = audit.Exams.Select(e => e.Decision).ToList();
        return OrderingMonitor.Compute(
            audit.Protocol.Id, orders, decisions, [new Intervention(1, new DateOnly(2018, 6, 30), "education", [], null, null)], 4900m, audit.Options.Period.From, audit.Options.FollowUp!.To);
    }
}
