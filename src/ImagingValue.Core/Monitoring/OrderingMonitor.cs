using System.Globalization;
using ImagingValue.Core.Data;
using ImagingValue.Core.Interventions;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Statistics;
using ImagingValue.Core.Statistics.Regression;
using ImagingValue.Core.Statistics.Spc;

namespace ImagingValue.Core.Monitoring;

/// <summary>Included exams in one calendar month.</summary>
/// <param name="Month">yyyy-MM.</param>
public sealed record MonthCount(string Month, int Included);

/// <summary>
/// The exact before/after comparison at the latest intervention: rates, their ratio (R's poisson.test), and what
/// the baseline rate would have given, with exact 95% intervals carried through the observed count.
/// </summary>
/// <param name="AvoidedCi95">Expected minus the exact interval of the observed count (the expected count taken as known).</param>
/// <param name="Savings">Avoided exams times the charge, truncated to whole dollars (as summary.json's savings).</param>
/// <param name="SavingsCi95">The avoided-exams interval times the charge, rounded to whole dollars.</param>
public sealed record PrePostComparison(
    string Intervention,
    int PreExams,
    double PreMonths,
    int PostExams,
    double PostMonths,
    double RateRatio,
    double[] RateRatioCi95,
    double PValue,
    double Expected,
    int Observed,
    double AvoidedExams,
    double[] AvoidedCi95,
    double Savings,
    double[] SavingsCi95);

/// <summary>Segmented regression at the latest intervention, when there are enough months on both sides.</summary>
public sealed record ItsEstimate(double LevelChange, double[] LevelChangeCi95, double Trend, double Dispersion);

/// <summary>Whether ordering is coming back after the intervention, and why.</summary>
public sealed record ReboundAlert(bool Alert, IReadOnlyList<string> Reasons);

/// <summary>Everything monitoring reports for one protocol.</summary>
/// <param name="Guard">Why the monthly chart cannot show a fall, and what to use instead; null when it can.</param>
/// <param name="PointOfOrder">What the point-of-order alert did, when the workspace recorded alerts of the protocol.</param>
/// <param name="NoDataMonths">
/// Months (yyyy-MM) of the chosen range after the month of the latest order in the data (any procedure): no data, not
/// zero, so they are left out of <see cref="Months"/> and every figure; null when the data reaches the range's end.
/// </param>
public sealed record MonitorResult(
    string Protocol,
    IReadOnlyList<MonthCount> Months,
    IReadOnlyList<Intervention> Interventions,
    SpcResult MonthlyChart,
    SpcResult? DaysBetweenChart,
    PrePostComparison? PrePost,
    ItsEstimate? Its,
    string? ItsNote,
    ReboundAlert Rebound,
    string? Guard,
    Alerts.AlertActivity? PointOfOrder = null,
    IReadOnlyList<string>? NoDataMonths = null);

/// <summary>
/// Monitoring after an intervention: the monthly series of included exams split at interventions, a C chart with
/// run rules, a T chart of days between exams (which can signal where monthly counts cannot), the exact pre/post
/// comparison with avoided exams and savings, segmented regression when the series is long enough, and a rebound alert.
/// Pure: the caller gives the decisions, orders and interventions.
/// </summary>
public static class OrderingMonitor
{
    /// <summary>Months needed before and after an intervention for segmented regression.</summary>
    public const int ItsMinimumMonthsPre = 12;

    public const int ItsMinimumMonthsPost = 6;

    /// <summary>
    /// The monitoring an audit with <paramref name="options"/> shows (report, monitor.json, dashboard): the protocol's
    /// interventions, from the start of the period to the end of the follow-up (or of the data); null when the protocol
    /// has no intervention or no included exam falls in those months.
    /// </summary>
    public static MonitorResult? ForAudit(
        Protocols.Protocol protocol, Analytics.AuditOptions options, IReadOnlyList<ImagingOrder> orders, IReadOnlyList<ScreeningDecision> decisions, IReadOnlyList<Intervention> interventions)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(decisions);
        var byId = orders.ToDictionary(o => o.OrderId, StringComparer.Ordinal);
        return ForAudit(protocol, options, IncludedExamDates(decisions, byId), Analytics.OrderFacts.Of(orders, [], new HashSet<(string, DateOnly)>()), interventions);
    }

    /// <summary>
    /// <see cref="ForAudit(Protocols.Protocol, Analytics.AuditOptions, IReadOnlyList{ImagingOrder}, IReadOnlyList{ScreeningDecision}, IReadOnlyList{Intervention})"/>
    /// from the included exams' dates and what it needs of every order (<paramref name="facts"/>).
    /// </summary>
    public static MonitorResult? ForAudit(
        Protocols.Protocol protocol, Analytics.AuditOptions options, IReadOnlyList<DateOnly> includedExamDates, Analytics.OrderFacts facts, IReadOnlyList<Intervention> interventions)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(includedExamDates);
        ArgumentNullException.ThrowIfNull(interventions);
        var own = interventions.Where(i => i.ProtocolId is null || i.ProtocolId == protocol.Id).ToList();
        var (from, to) = (options.Period.From, options.FollowUp?.To);
        if (own.Count == 0 || !includedExamDates.Any(d => d >= from && (to is null || d <= to)))
        {
            return null;
        }

        return Compute(protocol.Id, includedExamDates, facts, own, options.ChargePerExam ?? protocol.ChargePerExam, from, to);
    }

    /// <summary>The exam dates of the included decisions, in the decisions' order.</summary>
    public static IReadOnlyList<DateOnly> IncludedExamDates(IEnumerable<ScreeningDecision> decisions, IReadOnlyDictionary<string, ImagingOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(orders);
        return [.. decisions.Where(d => d.Decision == Decision.Included).Select(d => orders[d.OrderId].ExamDate)];
    }

    public static MonitorResult Compute(
        string protocolId,
        IReadOnlyList<ImagingOrder> orders,
        IReadOnlyList<ScreeningDecision> decisions,
        IReadOnlyList<Intervention> interventions,
        decimal chargePerExam,
        DateOnly? from = null,
        DateOnly? to = null)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(decisions);
        var byId = orders.ToDictionary(o => o.OrderId, StringComparer.Ordinal);
        return Compute(protocolId, IncludedExamDates(decisions, byId), Analytics.OrderFacts.Of(orders, [], new HashSet<(string, DateOnly)>()), interventions, chargePerExam, from, to);
    }

    /// <summary>The monitoring of the included exams' dates, with what it needs of every order (<paramref name="facts"/>: where the data ends).</summary>
    public static MonitorResult Compute(
        string protocolId,
        IReadOnlyList<DateOnly> includedExamDates,
        Analytics.OrderFacts facts,
        IReadOnlyList<Intervention> interventions,
        decimal chargePerExam,
        DateOnly? from = null,
        DateOnly? to = null)
    {
        ArgumentNullException.ThrowIfNull(includedExamDates);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(interventions);
        var examDates = includedExamDates
            .Where(d => (from is null || d >= from) && (to is null || d <= to))
            .Order()
            .ToList();
        if (examDates.Count == 0)
        {
            throw new InvalidOperationException("no included exams to monitor in the chosen months");
        }

        var first = FirstOfMonth(from ?? examDates[0]);
        // Months after the month of the latest order (any procedure, placed or performed) are not in the data: they
        // are listed as no data, never counted as months with zero exams.
        // (There is an order: an included exam is one.)
        var dataEnd = FirstOfMonth(facts.DataThrough!.Value);
        var requestedLast = FirstOfMonth(to ?? facts.LastExamDate!.Value);
        var last = requestedLast > dataEnd ? dataEnd : requestedLast;
        var months = new List<DateOnly>();
        for (var m = first; m <= last; m = m.AddMonths(1))
        {
            months.Add(m);
        }

        var noData = new List<string>();
        for (var m = last.AddMonths(1); m <= requestedLast; m = m.AddMonths(1))
        {
            noData.Add(m.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        }

        var counts = months.Select(m => examDates.Count(d => FirstOfMonth(d) == m)).ToList();
        var relevant = interventions
            .Where(i => (i.ProtocolId is null || i.ProtocolId == protocolId) && i.Date >= first && i.Date < last)
            .OrderBy(i => i.Date)
            .ToList();

        // A month is "after" an intervention when it starts after the intervention's date.
        var partStarts = relevant.Select(i => months.Count(m => m <= i.Date)).Where(k => k > 0 && k < months.Count).Distinct().ToList();
        var monthly = SpcChart.Compute(counts.Select(c => (double)c).ToList(), null, new SpcOptions(ChartType.C, Parts: partStarts));

        SpcResult? between = null;
        if (examDates.Count >= 3)
        {
            var gaps = examDates.Zip(examDates.Skip(1), (a, b) => (double)(b.DayNumber - a.DayNumber)).ToList();
            var gapParts = relevant.Select(i => examDates.Skip(1).Count(d => d <= i.Date)).Where(k => k > 0 && k < gaps.Count).Distinct().ToList();
            // A T chart needs positive times; exams on the same day make a zero gap, which a G chart (days as
            // opportunities between events) takes as it is.
            between = SpcChart.Compute(gaps, null, new SpcOptions(gaps.All(g => g > 0) ? ChartType.T : ChartType.G, Parts: gapParts));
        }

        PrePostComparison? prePost = null;
        ItsEstimate? its = null;
        string? itsNote = null;
        var rebound = new ReboundAlert(false, []);
        if (relevant.Count > 0 && partStarts.Count > 0)
        {
            var latest = relevant[^1];
            var split = months.Count(m => m <= latest.Date);
            var previous = relevant.Count > 1 ? months.Count(m => m <= relevant[^2].Date) : 0;
            prePost = Compare(latest, counts.Skip(previous).Take(split - previous).ToList(), counts.Skip(split).ToList(), chargePerExam);
            (its, itsNote) = Segmented(counts.Skip(previous).ToList(), split - previous);
            rebound = Rebound(monthly, counts, split);
        }

        var guard = monthly.Guard is { } advice
            ? string.Create(CultureInfo.InvariantCulture, $"about {advice.EventsPerSubgroup:0.##} exams a month: the C chart's lower limit is 0, so no month can signal a fall; use the exact rate comparison and the chart of days between exams instead")
            : null;
        return new MonitorResult(
            protocolId,
            months.Zip(counts, (m, c) => new MonthCount(m.ToString("yyyy-MM", CultureInfo.InvariantCulture), c)).ToList(),
            relevant,
            monthly,
            between,
            prePost,
            its,
            itsNote,
            rebound,
            guard,
            NoDataMonths: noData.Count == 0 ? null : noData);
    }

    /// <summary>The exact comparison of the months after an intervention with the months before it.</summary>
    public static PrePostComparison Compare(Intervention intervention, IReadOnlyList<int> pre, IReadOnlyList<int> post, decimal chargePerExam)
    {
        ArgumentNullException.ThrowIfNull(intervention);
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(post);
        int preExams = pre.Sum(), postExams = post.Sum();
        double preMonths = pre.Count, postMonths = post.Count;
        var ratio = PoissonExact.RateRatio(postExams, postMonths, preExams, preMonths);
        var expected = preExams / preMonths * postMonths;
        var observed = PoissonExact.Test(postExams, 1);
        var charge = (double)chargePerExam;
        var avoided = expected - postExams;
        double[] avoidedCi = [Round(expected - observed.High, 2), Round(expected - observed.Low, 2)];
        return new PrePostComparison(
            intervention.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            preExams,
            preMonths,
            postExams,
            postMonths,
            Round(ratio.RateRatio, 4),
            [Round(ratio.Low, 4), Round(ratio.High, 4)],
            Round(ratio.PValue, 4),
            Round(expected, 2),
            postExams,
            Round(avoided, 2),
            avoidedCi,
            Math.Truncate(avoided * charge),
            [Round((expected - observed.High) * charge, 0), Round((expected - observed.Low) * charge, 0)]);
    }

    private static (ItsEstimate?, string?) Segmented(List<int> counts, int firstPostIndex0)
    {
        var pre = firstPostIndex0;
        var post = counts.Count - firstPostIndex0;
        if (pre < ItsMinimumMonthsPre || post < ItsMinimumMonthsPost)
        {
            return (null, $"segmented regression needs at least {ItsMinimumMonthsPre} months before and {ItsMinimumMonthsPost} after the intervention (have {pre} and {post})");
        }

        if (counts.Skip(firstPostIndex0).All(c => c == 0))
        {
            return (null, "no exams at all after the intervention: the level change is not estimable (rate ratio 0)");
        }

        var fit = InterruptedTimeSeries.Fit(counts.Select(c => (double)c).ToList(), firstPostIndex0 + 1, new ItsOptions { Family = GlmFamily.QuasiPoisson });
        return (new ItsEstimate(Round(fit.LevelChange.RateRatio, 4), [Round(fit.LevelChange.Low, 4), Round(fit.LevelChange.High, 4)], Round(fit.Trend.RateRatio, 4), Round(fit.Dispersion, 4)), null);
    }

    /// <summary>
    /// A rebound: after the latest intervention, a month above the chart's upper limit, or the last three months
    /// significantly above the post-intervention months before them (exact rate ratio, one-sided 5%).
    /// </summary>
    private static ReboundAlert Rebound(SpcResult monthly, List<int> counts, int split)
    {
        var reasons = new List<string>();
        var post = monthly.Parts[^1];
        foreach (var index in post.Outside.Where(i => counts[i - 1] > post.Ucl[i - post.From]))
        {
            reasons.Add($"month {index} ({counts[index - 1]} exams) is above the upper limit {post.Ucl[index - post.From]:0.##}");
        }

        var postCounts = counts.Skip(split).ToList();
        if (postCounts.Count >= 6)
        {
            var recent = postCounts.TakeLast(3).ToList();
            var before = postCounts.SkipLast(3).ToList();
            var test = PoissonExact.RateRatio(recent.Sum(), recent.Count, before.Sum(), before.Count);
            if (test.RateRatio > 1 && test.PValue / 2 < 0.05)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"the last 3 months ran at {test.RateRatio:0.##} times the earlier post-intervention rate (exact one-sided p {test.PValue / 2:0.###})"));
            }
        }

        return new ReboundAlert(reasons.Count > 0, reasons);
    }

    private static DateOnly FirstOfMonth(DateOnly date) => new(date.Year, date.Month, 1);

    private static double Round(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits, MidpointRounding.AwayFromZero) : value;
}
