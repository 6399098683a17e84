using System.Globalization;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Mvc;

namespace ImagingValue.Web.Pages;

/// <summary>
/// The audit's figures for a period, from the same <see cref="AuditAnalyzer"/> as <c>analyze</c> (stored screening
/// run, current reviews), each number linking to the exams behind it.
/// </summary>
public sealed class DashboardModel(ReviewWorkspace workspace) : ReviewPageModel
{
    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    public AuditSummary? Summary { get; private set; }

    public IReadOnlyList<ParetoRow> Departments { get; private set; } = [];

    public IReadOnlyList<ParetoRow> Providers { get; private set; } = [];

    public string? Problem { get; private set; }

    public string ProtocolTitle => workspace.Protocol.Title;

    public IReadOnlyList<(string Id, string Label)> Reasons =>
        [.. workspace.Protocol.RedFlags.Select(f => (f.Id, f.Label)), (Core.Protocols.Protocol.NoQualifyingIndication, "No qualifying indication")];

    public static string Pct(double? rate) => rate is { } r ? (100 * r).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "–";

    public static string Money(double? value) => value is { } v ? "$" + v.ToString("#,0", CultureInfo.InvariantCulture) : "–";

    /// <summary>A query string for the period, with more parameters.</summary>
    public string Query(params (string Name, string? Value)[] more)
    {
        var parts = new List<string>();
        foreach (var (name, value) in new[] { ("from", From), ("to", To) }.Concat(more))
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join("&", parts);
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var decisions = await workspace.Screening.GetLatestDecisionsAsync(workspace.Protocol.Id, cancellationToken);
        if (decisions.Count == 0)
        {
            Problem = "No screening run for this protocol yet: run imaging-value screen --workspace DIR.";
            return;
        }

        var orders = await workspace.Data.GetOrdersAsync(cancellationToken);
        var reviews = await workspace.Data.GetReviewsAsync(cancellationToken);

        var known = orders.Select(o => o.OrderId).ToHashSet(StringComparer.Ordinal);
        decisions = [.. decisions.Where(d => known.Contains(d.OrderId))];
        var period = Period(orders, decisions);
        if (period is null)
        {
            return;
        }

        From = period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        To = period.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var result = AuditAnalyzer.Analyze(workspace.Protocol, new AuditOptions(period), orders, decisions, reviews);
        Summary = result.Summary;
        var included = result.Exams.Where(e => e.Window == AuditAnalyzer.PeriodWindow && e.Decision.Decision == Decision.Included).ToList();
        Departments = OrderingPareto.Of(included.Select(e => e.Order.OrderingDepartment));
        Providers = OrderingPareto.Of(included.Select(e => e.Order.OrderingProvider));
    }

    private DateRange? Period(IReadOnlyList<ImagingOrder> orders, IReadOnlyList<ScreeningDecision> decisions)
    {
        if (!string.IsNullOrEmpty(From) || !string.IsNullOrEmpty(To))
        {
            if (DateOnly.TryParseExact(From, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                && DateOnly.TryParseExact(To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
                && from <= to)
            {
                return new DateRange(from, to);
            }

            Problem = "The period needs both dates as YYYY-MM-DD, the end not before the start.";
            return null;
        }

        var targets = decisions.Where(d => d.IsTargetExam).Select(d => d.OrderId).ToHashSet(StringComparer.Ordinal);
        var dates = orders.Where(o => targets.Contains(o.OrderId)).Select(o => o.ExamDate).ToList();
        if (dates.Count == 0)
        {
            Problem = "The latest screening run found no target exams.";
            return null;
        }

        return new DateRange(dates.Min(), dates.Max());
    }
}
