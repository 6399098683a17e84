using ImagingValue.Core.Analytics;
using ImagingValue.Reports.Html;
using ImagingValue.Reports.Tests.Support;

namespace ImagingValue.Reports.Tests.Html;

public class AuditReportInputTests
{
    [Fact]
    public void Render_PartialInput_ReportStatesTheRejectedRowsOnce()
    {
        var audit = Some.PaperAudit();
        var html = AuditReport.Render(audit with { Summary = audit.Summary with { Input = new InputSummary(1, [], Partial: true) } }, Some.GeneratedAt);

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "Partial input: 1 row rejected; the figures leave it out\\."));
        Assert.DoesNotContain("Partial input", AuditReport.Render(audit, Some.GeneratedAt), StringComparison.Ordinal);
    }
}
