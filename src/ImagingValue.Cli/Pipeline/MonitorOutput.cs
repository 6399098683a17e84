using System.Globalization;
using ImagingValue.Core.Alerts;
using ImagingValue.Core.Monitoring;
using ImagingValue.Core.Text;

namespace ImagingValue.Cli.Pipeline;

/// <summary>Monitoring as monitor, analyze and report show it: the series with the point-of-order alert's activity, printed.</summary>
internal static class MonitorOutput
{
    /// <summary>Adds what the point-of-order alert recorded in the workspace.</summary>
    public static async Task<MonitorResult> WithPointOfOrderAsync(MonitorResult result, IAlertLog alerts, Core.Analytics.OrderFacts facts, CancellationToken cancellationToken) =>
        result with
        {
            PointOfOrder = AlertActivity.Summarize(
                result.Protocol, await alerts.ListAlertsAsync(cancellationToken), await alerts.ListFeedbackAsync(cancellationToken), facts.DepartmentOfProvider),
        };

    /// <param name="sensitivity">
    /// True beside an audit's headline: its avoided figure (against the review period's rate) is the one figure, so the
    /// pre/post avoided exams and savings are printed only as a labelled sensitivity analysis.
    /// </param>
    public static void Print(MonitorResult r, bool sensitivity = false)
    {
        Console.WriteLine($"{r.Protocol}: {Plural.Count(r.Months.Count, "month")} {r.Months[0].Month}..{r.Months[^1].Month}, {Plural.Count(r.Months.Sum(m => m.Included), "included exam")}, {Plural.Count(r.Interventions.Count, "intervention")}");
        if (r.NoDataMonths is { Count: > 0 } noData)
        {
            Console.WriteLine($"  no data:    {noData[0]}..{noData[^1]} (after the last order in the data; not counted as zero)");
        }

        foreach (var part in r.MonthlyChart.Parts)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  C chart, months {part.From}-{part.To}: {part.Cl:0.##} a month, limits {part.Lcl.DefaultIfEmpty(0).Min():0.##} to {part.Ucl.DefaultIfEmpty(0).Max():0.##}{(part.RunsSignal ? ", runs signal" : string.Empty)}{(part.Outside.Count > 0 ? $", outside: {string.Join(',', part.Outside)}" : string.Empty)}"));
        }

        if (r.DaysBetweenChart is { } days)
        {
            foreach (var part in days.Parts)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {days.Chart} chart of days between exams, gaps {part.From}-{part.To}: centre {part.Cl:0.#} days{(part.RunsSignal ? ", runs signal" : string.Empty)}{(part.Outside.Count > 0 ? $", outside: {string.Join(',', part.Outside)}" : string.Empty)}"));
            }
        }

        if (r.Guard is { } guard)
        {
            Console.WriteLine($"  low counts: {guard}");
        }

        if (r.PrePost is { } p)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  after {p.Intervention}: {p.PostExams} in {Plural.Count(p.PostMonths, "month")} vs {p.PreExams} in {Plural.Count(p.PreMonths, "month")} before: rate ratio {p.RateRatio} (95% CI {p.RateRatioCi95[0]} to {p.RateRatioCi95[1]}), exact p {p.PValue}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(sensitivity ? "sensitivity analysis, not the headline figure: " : string.Empty)}against the {Plural.Count(p.PreMonths, "month")} before the intervention ({p.PreExams / p.PreMonths:0.##} a month): observed {p.Observed} vs expected {p.Expected}: {Plural.Count(p.AvoidedExams, "exam")} avoided (95% CI {p.AvoidedCi95[0]} to {p.AvoidedCi95[1]}), {Core.Text.Money.Dollars(p.Savings)} saved (95% CI {Core.Text.Money.Dollars(p.SavingsCi95[0])} to {Core.Text.Money.Dollars(p.SavingsCi95[1])})"));
        }

        Console.WriteLine(r.Its is { } its
            ? string.Create(CultureInfo.InvariantCulture, $"  segmented regression: level change {its.LevelChange} (95% CI {its.LevelChangeCi95[0]} to {its.LevelChangeCi95[1]})")
            : $"  segmented regression: {r.ItsNote ?? "no intervention in the series"}");
        Console.WriteLine(r.Rebound.Alert ? $"  REBOUND: {string.Join("; ", r.Rebound.Reasons)}" : "  no rebound signal");
        if (r.PointOfOrder is { } a)
        {
            var reasons = a.OverrideReasons.Count == 0 ? string.Empty : $" (override reasons: {string.Join(", ", a.OverrideReasons.Select(kv => $"{kv.Key} {kv.Value}"))})";
            Console.WriteLine($"  point of order: {Plural.Count(a.Rated, "order")} rated, {a.Warned} warned, {a.Accepted} accepted, {a.Overridden} overridden, {a.NoFeedback} without feedback{reasons}");
            Console.WriteLine("    (distinct orders: one patient, encounter and draft order id; the calls each edit of a draft fires count once)");
        }
    }
}
