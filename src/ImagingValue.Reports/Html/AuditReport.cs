using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ImagingValue.Core.Data;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Monitoring;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Statistics;
using ImagingValue.Core.Text;
using ImagingValue.Reports.Charts;

namespace ImagingValue.Reports.Html;

/// <summary>
/// The audit report: one self-contained HTML file (styles and charts inline, no scripts), printable from a browser.
/// Every figure comes from the <see cref="AuditResult"/>, and the appendix lists the exams behind them.
/// </summary>
public static class AuditReport
{
    /// <summary>How many included exams the appendix lists.</summary>
    public const int AppendixRows = 500;

    private static readonly CultureInfo _us = CultureInfo.InvariantCulture;

    public static void Write(string path, AuditResult audit, DateTimeOffset generatedAt, MonitorResult? monitor = null)
    {
        OutputFolder.EnsureFor(path);

        File.WriteAllText(path, Render(audit, generatedAt, monitor), new UTF8Encoding(false));
    }

    public static string Render(AuditResult audit, DateTimeOffset generatedAt, MonitorResult? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var s = audit.Summary;
        var p = audit.Protocol;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>").Append(E(p.Title)).Append(" — ImagingValue audit</title>\n")
            .Append("<style>").Append(Styles).Append(s.Synthetic == true ? _syntheticStyles : string.Empty).Append("</style>\n</head>\n<body>\n");
        if (s.Synthetic == true)
        {
            // Fixed in print, so the browser repeats it at the top of every printed page.
            html.Append("<div class=\"synthetic-mark\" role=\"note\">").Append(E(SyntheticNotice)).Append("</div>\n");
        }

        html.Append("<main>\n");

        html.Append("<h1>").Append(E(p.Title)).Append("</h1>\n")
            .Append("<p class=\"meta\">Audit of ").Append(E(s.Period.From)).Append(" to ").Append(E(s.Period.To))
            .Append(" (").Append(Plural.Count(s.Period.Months, "month")).Append(") · protocol <code>").Append(E(p.Id)).Append("</code> · generated ")
            .Append(E(generatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", _us))).Append("</p>\n");
        if (s.Input is { } input)
        {
            html.Append("<p class=\"meta input\">").Append(E(input.Describe())).Append("</p>\n");
        }

        html.Append("<section class=\"headline\" aria-label=\"Headline\">\n<p>").Append(E(Headline(s))).Append("</p>\n</section>\n");

        html.Append("<h2>Question and methods</h2>\n<p>").Append(E(p.Description)).Append("</p>\n<ul>\n")
            .Append("<li><strong>Target exam:</strong> ").Append(E(p.TargetExam.Label)).Append(", completed, performed in the period.</li>\n")
            .Append("<li><strong>Qualifying indication:</strong> ").Append(E(p.Indication.Label)).Append(".</li>\n")
            .Append("<li><strong>Red flags</strong> (from the indication text read for negation, uncertainty, other people and time; from the order's diagnosis codes; and from the patient's conditions known at the time of the order), in order:<ol>\n");
        foreach (var flag in p.RedFlags)
        {
            html.Append("<li>").Append(E(flag.Label)).Append(" <code>").Append(E(flag.Id)).Append("</code>: ").Append(E(FlagRule(flag))).Append("</li>\n");
        }

        html.Append("</ol></li>\n<li><strong>Review:</strong> the final review of each included exam (the adjudicator's when there is one, otherwise the latest).</li>\n")
            .Append("<li><strong>Intervals:</strong> Wilson score, 95%; for Cohen's kappa, 95% on Fisher's z scale (within −1 to 1).</li>\n</ul>\n");

        AppendCohortFlow(html, s);
        AppendFindings(html, s);
        AppendCost(html, s);
        AppendDemographics(html, s);

        var alt = "Bar chart of included exams per year: " + string.Join(", ", s.ExamsPerYear.Select(y => $"{y.Label} {y.Included}"));
        html.Append("<h2>Exams per year</h2>\n<figure>\n").Append(Accessible(ExamsPerYearChart.Svg(s.ExamsPerYear), alt))
            .Append("\n<figcaption>Included exams per calendar year of the review");
        if (s.FollowUp is { } window)
        {
            html.Append(window.Covered ? ", then the post-intervention window (hatched)" : ", then the post-intervention window, marked “no data”: the data does not cover it");
        }

        html.Append(". Counts are printed on the bars.</figcaption>\n</figure>\n");
        AppendFollowUp(html, s);
        if (monitor is not null)
        {
            AppendMonitoring(html, monitor, s);
        }

        AppendWhoOrders(html, audit);
        AppendAgreement(html, s);
        AppendReviewerAgreement(html, s);
        AppendAppendix(html, audit);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The one-paragraph summary a chair reads first.</summary>
    public static string Headline(AuditSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var r = s.Review;
        var text = new StringBuilder();
        var coverage = new ReviewCoverage(r.Reviewed, s.Cohort.Included);
        if (coverage.None)
        {
            text.Append("Findings and changes in management are ").Append(coverage.Status).Append(". ");
        }
        else
        {
            text.Append(coverage.Of(r.MajorFindings)).Append(" had a major finding");
            if (s.Yield.MajorRate is { } rate && s.Yield.MajorCi95 is { } ci)
            {
                text.Append(CultureInfo.InvariantCulture, $" ({Pct(rate)}, 95% CI {Pct(ci[0])}–{Pct(ci[1])})");
            }

            text.Append(CultureInfo.InvariantCulture, $"; {r.ManagementMajor} led to a major change in management and {r.ManagementMinor} to a minor one");
            text.Append(coverage.Complete ? ". " : $" ({coverage.Status}). ");
        }

        text.Append(CultureInfo.InvariantCulture, $"The {Plural.Count(s.Cohort.Included, "included exam")} {Plural.Noun(s.Cohort.Included, "was", "were")} charged {Money(s.Cost.TotalCharges)} at {Money(s.Cost.ChargePerExam)} each");
        text.Append(coverage.Complete && s.Cost.ChargesPerMajorFinding is { } perMajor ? $" ({Money(perMajor)} per major finding). " : ". ");
        if (s.FollowUp is { Covered: false } uncovered)
        {
            text.Append(CultureInfo.InvariantCulture, $"After the intervention, {uncovered.From} to {uncovered.To}: {NoData(uncovered)}.");
        }
        else if (s.FollowUp is { Observed: { } observed, AvoidedExams: { } avoided, Savings: { } savings } f)
        {
            text.Append(CultureInfo.InvariantCulture, $"After the intervention: {Plural.Count(observed, "such exam")} in {Plural.Count(f.Months, "month")} against {Num(f.Expected)} expected at the review period's {Num(f.BaselinePerMonth)} a month");
            text.Append(f.ChangePct is { } change ? $" ({Signed(change)}%)" : string.Empty);
            text.Append(CultureInfo.InvariantCulture, $", about {Plural.Count(avoided, "exam")} and {Money(savings)} avoided.");
        }

        return text.ToString();
    }

    private static void AppendCohortFlow(StringBuilder html, AuditSummary s)
    {
        var c = s.Cohort;
        html.Append("<h2>Cohort</h2>\n<div class=\"flow\" role=\"figure\" aria-label=\"Cohort flow diagram\">\n")
            .Append("<div class=\"box\"><strong>").Append(c.TargetExams).Append("</strong> completed target exams in the period</div>\n")
            .Append("<div class=\"arrow\" aria-hidden=\"true\">↓</div>\n<div class=\"split\">\n<div class=\"box excluded\"><strong>")
            .Append(c.Excluded).Append("</strong> excluded<ul>\n");
        foreach (var (reason, count) in c.ExcludedByReason)
        {
            html.Append("<li>").Append(E(reason.Replace('_', ' '))).Append(": ").Append(count).Append("</li>\n");
        }

        html.Append("</ul></div>\n<div class=\"box included\"><strong>").Append(c.Included).Append("</strong> included (no red flag, qualifying indication)</div>\n</div>\n")
            .Append("<p class=\"note\">").Append(Plural.Count(c.Cancelled, "cancelled target order")).Append(" in the period ").Append(Plural.Noun(c.Cancelled, "is", "are")).Append(" not counted. Every decision, with its evidence, is in screening.csv.</p>\n</div>\n");
    }

    private static void AppendFindings(StringBuilder html, AuditSummary s)
    {
        var r = s.Review;
        var coverage = new ReviewCoverage(r.Reviewed, s.Cohort.Included);
        html.Append("<h2>Findings and management</h2>\n");
        if (coverage.None)
        {
            html.Append("<p class=\"warn\">Findings are ").Append(E(coverage.Status)).Append(": no finding, yield or change in management is stated until exams are reviewed.</p>\n");
            return;
        }

        if (r.Unreviewed > 0)
        {
            html.Append("<p class=\"warn\">").Append(Plural.Count(r.Unreviewed, "included exam")).Append(' ').Append(Plural.Noun(r.Unreviewed, "has", "have")).Append(" no review yet (").Append(E(coverage.Status)).Append("); figures below cover the ").Append(r.Reviewed).Append(" reviewed so far.</p>\n");
        }

        if (r.DisagreementsUnadjudicated > 0)
        {
            html.Append("<p class=\"warn\">").Append(Plural.Count(r.DisagreementsUnadjudicated, "exam")).Append(' ').Append(Plural.Noun(r.DisagreementsUnadjudicated, "has", "have")).Append(" reviewers who disagree and no adjudication yet; the latest review stands for now.</p>\n");
        }

        html.Append("<table>\n<caption>Findings among reviewed included exams (").Append(E(coverage.Status)).Append(")</caption>\n<thead><tr><th scope=\"col\">Finding</th><th scope=\"col\">Exams</th><th scope=\"col\">%</th><th scope=\"col\">95% CI</th></tr></thead>\n<tbody>\n");
        AppendRateRow(html, "Major (a likely, actionable cause of the pain)", r.MajorFindings, r.Reviewed);
        AppendRateRow(html, "Minor (unlikely cause, degenerative, or seen on a concurrent exam)", r.MinorFindings, r.Reviewed);
        AppendRateRow(html, "Incidental (unrelated, or better seen on another exam)", r.IncidentalFindings, r.Reviewed);
        html.Append("</tbody>\n</table>\n");

        html.Append("<table>\n<caption>Change in management among reviewed included exams (").Append(E(coverage.Status)).Append(")</caption>\n<thead><tr><th scope=\"col\">Change</th><th scope=\"col\">Exams</th><th scope=\"col\">%</th><th scope=\"col\">95% CI</th></tr></thead>\n<tbody>\n");
        AppendRateRow(html, "Major", r.ManagementMajor, r.Reviewed);
        AppendRateRow(html, "Minor", r.ManagementMinor, r.Reviewed);
        AppendRateRow(html, "None", r.Reviewed - r.ManagementMajor - r.ManagementMinor, r.Reviewed);
        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendRateRow(StringBuilder html, string label, int count, int total)
    {
        html.Append("<tr><th scope=\"row\">").Append(E(label)).Append("</th><td>").Append(count).Append(" / ").Append(total).Append("</td>");
        if (total == 0)
        {
            html.Append("<td>–</td><td>–</td></tr>\n");
            return;
        }

        var (low, high) = BinomialInterval.Wilson(count, total);
        html.Append("<td>").Append(Pct((double)count / total)).Append("</td><td>").Append(Pct(low)).Append(" – ").Append(Pct(high)).Append("</td></tr>\n");
    }

    private static void AppendCost(StringBuilder html, AuditSummary s)
    {
        html.Append("<h2>Cost</h2>\n<table>\n<caption>Charges for the included exams</caption>\n<tbody>\n")
            .Append("<tr><th scope=\"row\">Charge per exam</th><td>").Append(Money(s.Cost.ChargePerExam)).Append("</td></tr>\n")
            .Append("<tr><th scope=\"row\">Included exams</th><td>").Append(s.Cohort.Included).Append("</td></tr>\n")
            .Append("<tr><th scope=\"row\">Total charges</th><td>").Append(Money(s.Cost.TotalCharges)).Append("</td></tr>\n")
            .Append("<tr><th scope=\"row\">Charges per major finding</th><td>").Append(E(ChargesPerMajorFinding(s))).Append("</td></tr>\n")
            .Append("</tbody>\n</table>\n<p class=\"note\">Charges, not costs: travel, time off work, follow-up of incidental findings and patients' anxiety are not counted.</p>\n");
    }

    /// <summary>Charges per major finding only when every included exam is reviewed (the charges cover them all).</summary>
    private static string ChargesPerMajorFinding(AuditSummary s)
    {
        var coverage = new ReviewCoverage(s.Review.Reviewed, s.Cohort.Included);
        if (!coverage.Complete)
        {
            return $"not known until every included exam is reviewed ({s.Review.Reviewed} of {s.Cohort.Included} so far)";
        }

        return s.Cost.ChargesPerMajorFinding is { } m ? Money(m) : $"no major finding among the {s.Review.Reviewed} reviewed";
    }

    private static void AppendDemographics(StringBuilder html, AuditSummary s)
    {
        html.Append("<h2>Patients</h2>\n<table>\n<caption>Included exams</caption>\n<tbody>\n")
            .Append("<tr><th scope=\"row\">Female</th><td>").Append(s.Demographics.FemalePct is { } f ? Num(f) + "%" : "–").Append("</td></tr>\n")
            .Append("<tr><th scope=\"row\">Mean age at order (years)</th><td>").Append(s.Demographics.MeanAge is { } a ? Num(a) : "–").Append("</td></tr>\n");
        foreach (var (exam, count) in s.Concurrent)
        {
            html.Append("<tr><th scope=\"row\">With a same-day ").Append(E(exam.Replace('_', ' '))).Append("</th><td>").Append(count).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendFollowUp(StringBuilder html, AuditSummary s)
    {
        if (s.FollowUp is not { } f)
        {
            return;
        }

        html.Append("<h2>After the intervention</h2>\n<table>\n<caption>Follow-up ").Append(E(f.From)).Append(" to ").Append(E(f.To)).Append(", ").Append(E(Baseline(f))).Append("</caption>\n<tbody>\n")
            .Append("<tr><th scope=\"row\">Review-period rate (exams per month)</th><td>").Append(Num(f.BaselinePerMonth)).Append("</td></tr>\n")
            .Append("<tr><th scope=\"row\">Expected in ").Append(Plural.Count(f.Months, "month")).Append("</th><td>").Append(Num(f.Expected)).Append("</td></tr>\n");
        if (f is not { Covered: true, Observed: { } observed, AvoidedExams: { } avoided, Savings: { } savings })
        {
            // Nothing observed is claimed for a window the data does not cover: no count, no change, nothing avoided.
            html.Append("<tr><th scope=\"row\">Observed</th><td>").Append(E(NoData(f))).Append("</td></tr>\n</tbody>\n</table>\n")
                .Append("<p class=\"warn\">No figure is given for this window: import orders through ").Append(E(f.To))
                .Append(" or choose a follow-up window the data covers.</p>\n");
            return;
        }

        html.Append("<tr><th scope=\"row\">Observed</th><td>").Append(observed).Append("</td></tr>\n")
            .Append("<tr><th scope=\"row\">Change</th><td>").Append(f.ChangePct is { } c ? Signed(c) + "%" : "–").Append("</td></tr>\n")
            .Append("<tr><th scope=\"row\">Exams avoided</th><td>").Append(Num(avoided)).Append("</td></tr>\n")
            .Append("<tr><th scope=\"row\">Charges avoided</th><td>").Append(Money(savings)).Append("</td></tr>\n")
            .Append("</tbody>\n</table>\n<p class=\"note\">A before/after comparison with no control group: treat the change as an upper bound.</p>\n");
    }

    /// <summary>The one baseline the headline figure uses, named with it.</summary>
    private static string Baseline(FollowUpSummary f) => $"against the review period's {Num(f.BaselinePerMonth)} a month";

    /// <summary>What a follow-up window the data does not cover says instead of figures.</summary>
    private static string NoData(FollowUpSummary f) => f.CoveredThrough is { } through
        ? $"no data for this window (the data ends on {through}, before the window does)"
        : "no data for this window (no order in the data on or after its start)";

    private static void AppendMonitoring(StringBuilder html, MonitorResult m, AuditSummary s)
    {
        var alt = $"Monthly included exams {m.Months[0].Month} to {m.Months[^1].Month}: " +
            string.Join("; ", m.MonthlyChart.Parts.Select(p => $"months {p.From}-{p.To} average {p.Cl.ToString("0.##", _us)} a month")) +
            (m.Interventions.Count > 0 ? "; interventions on " + string.Join(", ", m.Interventions.Select(i => i.Date.ToString("yyyy-MM-dd", _us))) : string.Empty);
        html.Append("<h2>Monitoring</h2>\n<figure>\n").Append(Accessible(MonitorChart.Svg(m), alt))
            .Append("\n<figcaption>Included exams per month; the dashed line marks the intervention. ").Append(E(Signals(m)))
            .Append(m.NoDataMonths is { Count: > 0 } noData ? $"{noData[0]} to {noData[^1]}: no data (shaded, no point), not zero. " : string.Empty)
            .Append(m.Guard is { } guard ? E(char.ToUpperInvariant(guard[0]) + guard[1..]) + "." : string.Empty)
            .Append("</figcaption>\n</figure>\n");
        if (m.PrePost is { } p)
        {
            // The headline figure is the follow-up's, against the review period's rate; this one, against every month
            // before the intervention, is shown only as a labelled sensitivity analysis of it.
            html.Append("<h3>Sensitivity analysis: another baseline</h3>\n<p class=\"note\">")
                .Append(s.FollowUp is { } f ? E($"The headline figure is the follow-up's, {Baseline(f)}. ") : string.Empty)
                .Append("This comparison takes the ").Append(Plural.Count(p.PreMonths, "month")).Append(" before the intervention (")
                .Append(Num(p.PreExams / p.PreMonths)).Append(" a month) as the baseline instead; it is not a second saving.</p>\n")
                .Append("<table>\n<caption>Sensitivity analysis: exact comparison at the intervention of ").Append(E(p.Intervention))
                .Append(", against the ").Append(Plural.Count(p.PreMonths, "month")).Append(" before the intervention</caption>\n<tbody>\n")
                .Append("<tr><th scope=\"row\">Before</th><td>").Append(Plural.Count(p.PreExams, "exam")).Append(" in ").Append(Plural.Count(p.PreMonths, "month")).Append("</td></tr>\n")
                .Append("<tr><th scope=\"row\">After</th><td>").Append(Plural.Count(p.PostExams, "exam")).Append(" in ").Append(Plural.Count(p.PostMonths, "month")).Append("</td></tr>\n")
                .Append("<tr><th scope=\"row\">Rate ratio (exact 95% CI)</th><td>").Append(Num(p.RateRatio)).Append(" (").Append(Num(p.RateRatioCi95[0])).Append(" – ").Append(Num(p.RateRatioCi95[1])).Append(")</td></tr>\n")
                .Append("<tr><th scope=\"row\">Exact p (two-sided)</th><td>").Append(p.PValue.ToString("0.####", _us)).Append("</td></tr>\n")
                .Append("<tr><th scope=\"row\">Exams avoided (95% CI)</th><td>").Append(Num(p.AvoidedExams)).Append(" (").Append(Num(p.AvoidedCi95[0])).Append(" – ").Append(Num(p.AvoidedCi95[1])).Append(")</td></tr>\n")
                .Append("<tr><th scope=\"row\">Charges avoided (95% CI)</th><td>").Append(Money(p.Savings)).Append(" (").Append(Money(p.SavingsCi95[0])).Append(" – ").Append(Money(p.SavingsCi95[1])).Append(")</td></tr>\n")
                .Append("</tbody>\n</table>\n");
        }

        html.Append("<p class=\"").Append(m.Rebound.Alert ? "warn" : "note").Append("\">")
            .Append(m.Rebound.Alert ? "Rebound: " + E(string.Join("; ", m.Rebound.Reasons)) : "No sign of ordering coming back after the intervention.")
            .Append(m.Its is { } its ? E($" Segmented regression: level change {Num(its.LevelChange)} ({Num(its.LevelChangeCi95[0])}–{Num(its.LevelChangeCi95[1])}).") : m.ItsNote is { } note ? " " + E(char.ToUpperInvariant(note[0]) + note[1..]) + "." : string.Empty)
            .Append("</p>\n");
    }

    /// <summary>What the chart's red marks mean here: the months outside the control limits and the phases whose runs signal.</summary>
    private static string Signals(MonitorResult m)
    {
        var parts = m.MonthlyChart.Parts;
        var outside = parts.SelectMany(p => p.Outside).Where(i => i >= 1 && i <= m.Months.Count).Select(i => m.Months[i - 1].Month).ToList();
        var text = outside.Count == 0
            ? "No month is outside the control limits. "
            : $"{Plural.Count(outside.Count, "month")} outside the control limits, ringed in red: {string.Join(", ", outside)}. ";
        var runs = parts.Where(p => p.RunsSignal).Select(p => $"{m.Months[p.From - 1].Month} to {m.Months[Math.Min(p.To, m.Months.Count) - 1].Month}").ToList();
        return text + (runs.Count == 0
            ? "No runs signal (Anhøj rules). "
            : $"Runs signal (Anhøj rules: a shift or too few crossings of the centre line) in {string.Join(", ", runs)}: dashed red centre line. ");
    }

    /// <summary>Pareto tables: which departments and providers order the included exams, most first, with cumulative share.</summary>
    private static void AppendWhoOrders(StringBuilder html, AuditResult audit)
    {
        var included = audit.Exams.Where(e => e.Decision.Decision == Decision.Included && e.Window == AuditAnalyzer.PeriodWindow).ToList();
        if (included.Count == 0)
        {
            return;
        }

        html.Append("<h2>Who orders them</h2>\n");
        AppendPareto(html, "Included exams by ordering department", "Department", OrderingPareto.Of(included.Select(e => e.Order.OrderingDepartment)));
        AppendPareto(html, $"Included exams by ordering provider (top {ParetoTop})", "Provider", OrderingPareto.Of(included.Select(e => e.Order.OrderingProvider)));
    }

    /// <summary>Rows a Pareto table shows before the rest are summed into one.</summary>
    private const int ParetoTop = 10;

    private static void AppendPareto(StringBuilder html, string caption, string what, IReadOnlyList<ParetoRow> rows)
    {
        const int top = ParetoTop;
        html.Append("<table>\n<caption>").Append(E(caption)).Append("</caption>\n<thead><tr><th scope=\"col\">").Append(E(what))
            .Append("</th><th scope=\"col\">Exams</th><th scope=\"col\">%</th><th scope=\"col\">Cumulative %</th></tr></thead>\n<tbody>\n");
        foreach (var row in rows.Take(top))
        {
            html.Append("<tr><th scope=\"row\">").Append(E(row.Name)).Append("</th><td>").Append(row.Exams).Append("</td><td>")
                .Append(Pct(row.Share)).Append("</td><td>").Append(Pct(row.CumulativeShare)).Append("</td></tr>\n");
        }

        if (rows.Count > top)
        {
            var rest = rows.Skip(top).Sum(r => r.Exams);
            html.Append("<tr><th scope=\"row\">").Append(Plural.Count(rows.Count - top, "other")).Append("</th><td>").Append(rest).Append("</td><td>")
                .Append(Pct((double)rest / rows.Sum(r => r.Exams))).Append("</td><td>100.0%</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendAgreement(StringBuilder html, AuditSummary s)
    {
        if (s.Agreement is not { } a)
        {
            return;
        }

        html.Append("<h2>Report suggestions and reviews</h2>\n<table>\n<caption>Agreement between findings suggested from the report text and the final reviews (")
            .Append(Plural.Count(a.Major.N, "exam")).Append(")</caption>\n<thead><tr><th scope=\"col\">Finding</th><th scope=\"col\">Agreement</th><th scope=\"col\">Cohen's kappa</th><th scope=\"col\">95% CI</th></tr></thead>\n<tbody>\n");
        foreach (var (name, f) in new[] { ("Major", a.Major), ("Minor", a.Minor), ("Incidental", a.Incidental) })
        {
            html.Append("<tr><th scope=\"row\">").Append(name).Append("</th><td>").Append(f.AgreePct is { } pct ? Num(pct) + "%" : "–")
                .Append("</td><td>").Append(f.Kappa is { } k ? k.ToString("0.00", _us) : "undefined").Append("</td><td>")
                .Append(f.Ci95 is { } ci ? $"{ci[0].ToString("0.00", _us)} – {ci[1].ToString("0.00", _us)}" : "–").Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n<p class=\"note\">Suggestions come from the FINDINGS and IMPRESSION of each report; reviewers decide. Kappa is undefined when every exam is in one class on both sides.</p>\n");
    }

    /// <summary>First vs second reviewer on the double-reviewed included exams (before adjudication).</summary>
    private static void AppendReviewerAgreement(StringBuilder html, AuditSummary s)
    {
        if (s.ReviewerAgreement is not { } a)
        {
            return;
        }

        html.Append("<h2>Agreement between reviewers</h2>\n<table>\n<caption>Agreement between the first and second reviewer on the ")
            .Append(Plural.Count(a.MajorFinding.N, "double-reviewed exam")).Append(" (before adjudication)</caption>\n<thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Exams</th><th scope=\"col\">Agreement</th><th scope=\"col\">Cohen's kappa</th><th scope=\"col\">95% CI</th></tr></thead>\n<tbody>\n");
        foreach (var (name, f) in new[] { ("Major finding", a.MajorFinding), ("Minor finding", a.MinorFinding), ("Incidental finding", a.IncidentalFinding), ("Change in management", a.ManagementChange) })
        {
            html.Append("<tr><th scope=\"row\">").Append(name).Append("</th><td>").Append(f.N).Append("</td><td>").Append(f.AgreePct is { } pct ? Num(pct) + "%" : "–")
                .Append("</td><td>").Append(f.Kappa is { } k ? k.ToString("0.00", _us) : "undefined").Append("</td><td>")
                .Append(f.Ci95 is { } ci ? $"{ci[0].ToString("0.00", _us)} – {ci[1].ToString("0.00", _us)}" : "–").Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n<p class=\"note\">Each double-reviewed exam's primary review against its second review; the adjudicator's review is not counted. Kappa intervals are formed on Fisher's z scale and stay within −1 to 1; kappa is undefined when both reviewers put every exam in one class.</p>\n");
    }

    private static void AppendAppendix(StringBuilder html, AuditResult audit)
    {
        var included = audit.Exams
            .Where(e => e.Decision.Decision == Decision.Included && e.Window != AuditAnalyzer.OutsideWindow)
            .OrderBy(e => e.Order.ExamDate)
            .ThenBy(e => e.Order.OrderId, StringComparer.Ordinal)
            .ToList();
        // A report for a large system would drown in rows: list the first ones; screening.csv has them all.
        var shown = included.Take(AppendixRows).ToList();
        html.Append("<h2>Appendix: the included exams</h2>\n<table class=\"small\">\n<caption>").Append(Plural.Count(included.Count, "exam")).Append(shown.Count < included.Count ? $", the first {shown.Count} by date (all are in screening.csv)" : string.Empty)
            .Append(" (order ids only; details are in the workspace)</caption>\n<thead><tr><th scope=\"col\">Order</th><th scope=\"col\">Exam date</th><th scope=\"col\">Window</th><th scope=\"col\">Department</th><th scope=\"col\">Major</th><th scope=\"col\">Minor</th><th scope=\"col\">Incidental</th><th scope=\"col\">Management</th></tr></thead>\n<tbody>\n");
        foreach (var e in shown)
        {
            var r = e.FinalReview;
            html.Append("<tr><td>").Append(E(e.Order.OrderId)).Append("</td><td>").Append(e.Order.ExamDate.ToString("yyyy-MM-dd", _us))
                .Append("</td><td>").Append(E(e.Window.Replace('_', ' '))).Append("</td><td>").Append(E(e.Order.OrderingDepartment ?? string.Empty))
                .Append("</td><td>").Append(r is null ? "–" : YesNo(r.MajorFinding)).Append("</td><td>").Append(r?.MinorFinding is { } minor ? YesNo(minor) : "–")
                .Append("</td><td>").Append(r?.IncidentalFinding is { } incidental ? YesNo(incidental) : "–").Append("</td><td>").Append(E(r?.ManagementChange?.ToWord() ?? "–"))
                .Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static string FlagRule(Core.Protocols.RedFlag flag)
    {
        var parts = new List<string>
        {
            flag.SuspectedCounts ? "known or suspected" : "a known diagnosis only (a suspicion does not exclude)",
        };
        if (flag.MaxDaysBeforeOrder is { } days)
        {
            parts.Add($"less than {Plural.Count(days, "day")} before the order");
        }
        else if (flag.HistoricalCounts)
        {
            parts.Add("past history counts");
        }

        if (flag.ConditionWindowDays is { } window)
        {
            parts.Add($"conditions beginning less than {Plural.Count(window, "day")} before the order");
        }

        parts.AddRange(flag.Requires?.InWords() ?? []);
        // A flag read from the text alone has no codes to list ("codes" and nothing after it read as a gap).
        if (flag.Codes.Count > 0)
        {
            parts.Add("codes " + string.Join(", ", flag.Codes));
        }

        return string.Join("; ", parts);
    }

    /// <summary>Gives an inline SVG chart a text alternative screen readers announce (role img + aria-label).</summary>
    private static string Accessible(string svg, string description)
    {
        var at = svg.IndexOf("<svg", StringComparison.Ordinal);
        return at < 0 ? svg : svg.Insert(at + 4, $" role=\"img\" aria-label=\"{E(description)}\"");
    }

    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    private static string Pct(double rate) => (rate * 100).ToString("0.0", _us) + "%";

    private static string Num(double value) => value.ToString("0.##", _us);

    private static string Signed(double value) => value.ToString("+0.0;-0.0;0.0", _us);

    private static string Money(double value) => Core.Text.Money.Dollars(value);

    private static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary>The words every page of an output made from synthetic data carries.</summary>
    public const string SyntheticNotice = "Synthetic data: generated, not real patients or orders. Not for clinical or QI decisions.";

    /// <summary>
    /// The banner opens the report; in print every page repeats the notice in its top margin (a page margin box),
    /// where it cannot cover a title or a chart as a fixed banner over the page's content did.
    /// </summary>
    private static readonly string _syntheticStyles = """
        .synthetic-mark{background:#7a0000;color:#fff;font-weight:bold;text-align:center;padding:.3rem;letter-spacing:.02em}
        @media print{.synthetic-mark{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        @page{@top-center{content:"
        """ + SyntheticNotice + """
        ";color:#7a0000;font:bold 9pt "DejaVu Sans",Arial,sans-serif;vertical-align:bottom;padding-bottom:.25cm}}}
        """;

    private const string Styles = """
        body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1a1a1a;margin:0;background:#fff;line-height:1.45}
        main{max-width:58rem;margin:0 auto;padding:1.5rem}
        h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #999}
        .meta,.note{color:#444;font-size:.9rem}.warn{background:#fff4e0;border-left:4px solid #b35900;padding:.4rem .8rem}
        .headline{border:2px solid #1a1a1a;padding:.6rem 1rem;font-size:1.05rem;background:#f3f6fa}
        table{border-collapse:collapse;margin:1rem 0;min-width:28rem}caption{text-align:left;font-weight:bold;padding:.3rem 0}
        th,td{border:1px solid #777;padding:.25rem .6rem;text-align:left}td{text-align:right}thead th{background:#e8e8e8}
        table.small{font-size:.85rem}table.small td{text-align:left}table.small td:nth-child(2){white-space:nowrap}
        .flow{display:flex;flex-direction:column;align-items:flex-start}.box{border:2px solid #1a1a1a;padding:.5rem .8rem;margin:.2rem 0;min-width:16rem}
        .split{display:flex;gap:1.5rem;align-items:flex-start}.excluded{border-style:dashed}.included{border-width:3px}.arrow{font-size:1.5rem;margin-left:2rem}
        figure{margin:1rem 0}figcaption{font-size:.9rem;color:#333}figure svg{display:block;width:100%;max-width:48rem;height:auto}
        @page{margin:1.8cm 1.5cm 1.5cm}
        @media print{main{max-width:none;padding:0}h2{break-after:avoid}h3{break-after:avoid}table,figure{break-inside:avoid}table.small{break-inside:auto}
        figure svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
        """;
}
