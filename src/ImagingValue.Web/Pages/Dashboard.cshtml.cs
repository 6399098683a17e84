using System.Globalization;
using ImagingValue.Core.Analytics;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Mvc;

namespace ImagingValue.Web.Pages;

/// <summary>
/// The audit's figures for a period, from the same <see cref="AuditAnalyzer"/> as <c>analyze</c> (stored screening
/// run, current reviews), each number linking to the exams behind it; the analysis is kept until its inputs change
/// (<see cref="DashboardAnalyses"/>). One protocol at a time: <c>?protocol=ID</c> (<see cref="ProtocolViews"/>), the
/// configured one by default.
/// </summary>
public sealed class DashboardModel(ProtocolViews views) : ReviewPageModel
{
    private ProtocolView _view = views.For(null)!;

    [BindProperty(SupportsGet = true, Name = "protocol")]
    public string? ProtocolId { get; set; }

    /// <summary>The protocols the selector offers, the configured one first.</summary>
    public IReadOnlyList<Core.Protocols.Protocol> Protocols => views.Protocols;

    public string ShownProtocolId => _view.Workspace.Protocol.Id;

    /// <summary>
    /// The worklist behind a number, with the period and more parameters; null (a number without a link) for a
    /// protocol other than the configured one, whose exams the worklist does not list.
    /// </summary>
    public string? Worklist(params (string Name, string? Value)[] more) => _view.IsConfigured ? "/" + Query(more) : null;

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    public AuditSummary? Summary { get; private set; }

    public IReadOnlyList<ParetoRow> Departments { get; private set; } = [];

    public IReadOnlyList<ParetoRow> Providers { get; private set; } = [];

    public string? Problem { get; private set; }

    /// <summary>The report's monitoring, when the protocol has interventions; its chart is drawn by /dashboard/monitoring.svg.</summary>
    public Core.Monitoring.MonitorResult? Monitor { get; private set; }

    public string ProtocolTitle => _view.Workspace.Protocol.Title;

    public IReadOnlyList<(string Id, string Label)> Reasons =>
        [.. _view.Workspace.Protocol.RedFlags.Select(f => (f.Id, f.Label)), (Core.Protocols.Protocol.NoQualifyingIndication, "No qualifying indication")];

    public static string Pct(double? rate) => rate is { } r ? (100 * r).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "–";

    public static string Money(double? value) => value is { } v ? Core.Text.Money.Dollars(v) : "–";

    /// <summary>A query string for the period, with more parameters.</summary>
    public string Query(params (string Name, string? Value)[] more)
    {
        var parts = new List<string>();
        // The protocol is named only when it is not the configured one, so the default links stay as they were.
        var protocol = _view.IsConfigured ? null : ShownProtocolId;
        foreach (var (name, value) in new[] { ("from", From), ("to", To), ("protocol", protocol) }.Concat(more))
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join("&", parts);
    }

    /// <summary>The chart of included exams per year, for the period shown.</summary>
    public string ChartLink => "/dashboard/exams-per-year.svg" + Query();

    public string MonitorChartLink => "/dashboard/monitoring.svg" + Query();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (views.For(ProtocolId) is not { } view)
        {
            Problem = $"No protocol '{ProtocolId}' here: choose one of {string.Join(", ", views.Protocols.Select(p => p.Id))}.";
            return;
        }

        _view = view;
        var analysis = await view.Analyses.ForDatesAsync(From, To, cancellationToken);
        Problem = analysis.Problem;
        if (analysis.Period is { } shown)
        {
            From = shown.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            To = shown.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        Summary = analysis.Summary;
        Departments = analysis.Departments;
        Providers = analysis.Providers;
        Monitor = analysis.Monitor;
    }
}
