using System.Globalization;
using ImagingValue.Core.Data;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Review;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Statistics;
using ImagingValue.Core.Storage;

namespace ImagingValue.Core.Analytics;

/// <summary>One target exam of the audit with what decided it and its final review.</summary>
/// <param name="Window">period, follow_up or outside.</param>
public sealed record CohortExam(ImagingOrder Order, ScreeningDecision Decision, string Window, ExamReview? FinalReview);

/// <summary>The audit's figures and the exams behind every one of them.</summary>
public sealed record AuditResult(AuditSummary Summary, IReadOnlyList<CohortExam> Exams, Protocol Protocol, AuditOptions Options);

/// <summary>
/// Turns screening decisions and reviews into the audit's figures (contracts section 3). Pure: no I/O, no clock.
/// </summary>
public static class AuditAnalyzer
{
    public const string PeriodWindow = "period";
    public const string FollowUpWindow = "follow_up";
    public const string OutsideWindow = "outside";

    /// <summary>The audit of a workspace's orders, every one in memory (<see cref="Analyze(Protocol, AuditOptions, IReadOnlyList{TargetOrder}, OrderFacts, IReadOnlyList{ExamReview}, IReadOnlyDictionary{string, FindingSuggestion}?)"/>).</summary>
    public static AuditResult Analyze(
        Protocol protocol,
        AuditOptions options,
        IReadOnlyList<ImagingOrder> orders,
        IReadOnlyList<ScreeningDecision> decisions,
        IReadOnlyList<ExamReview> reviews,
        IReadOnlyDictionary<string, FindingSuggestion>? suggestions = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(decisions);
        var byId = orders.ToDictionary(o => o.OrderId, StringComparer.Ordinal);
        var targets = TargetsOf(decisions, byId);
        var facts = OrderFacts.Of(orders, protocol.ConcurrentExams.Values, IncludedDays(targets));
        return Analyze(protocol, options, targets, facts, reviews, suggestions);
    }

    /// <summary>The decisions an audit reads with their orders (as <see cref="IScreeningRunStore.GetTargetOrdersAsync"/> gives them).</summary>
    public static IReadOnlyList<TargetOrder> TargetsOf(IReadOnlyList<ScreeningDecision> decisions, IReadOnlyDictionary<string, ImagingOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(orders);
        return [.. decisions.Where(d => d.IsTargetExam || d.Decision != Decision.NotTarget).Select(d => new TargetOrder(orders[d.OrderId], d))];
    }

    /// <summary>The patients and exam days of the included exams: where <see cref="OrderFacts"/> looks for concurrent exams.</summary>
    public static IReadOnlySet<(string PatientId, DateOnly Day)> IncludedDays(IEnumerable<TargetOrder> targets) =>
        OrderFacts.DaysOf(targets.Where(t => t.Decision.Decision == Decision.Included).Select(t => t.Order));

    /// <summary>
    /// The audit from a run's target exams (<paramref name="targets"/>, by order id) and what it needs of every other
    /// order (<paramref name="facts"/>, collected for <see cref="IncludedDays"/> of the same targets).
    /// </summary>
    public static AuditResult Analyze(
        Protocol protocol,
        AuditOptions options,
        IReadOnlyList<TargetOrder> targets,
        OrderFacts facts,
        IReadOnlyList<ExamReview> reviews,
        IReadOnlyDictionary<string, FindingSuggestion>? suggestions = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(reviews);

        var reviewsByOrder = reviews.GroupBy(r => r.OrderId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var exams = new List<CohortExam>();
        var cancelled = 0;
        foreach (var (order, decision) in targets)
        {
            if (decision.IsTargetExam && order.IsCancelled && options.Period.Contains(DateOnly.FromDateTime(order.OrderedAt)))
            {
                cancelled++;
            }

            if (decision.Decision == Decision.NotTarget)
            {
                continue;
            }

            var window = WindowOf(order.ExamDate, options);
            var final = reviewsByOrder.TryGetValue(order.OrderId, out var list) ? FinalReview.Select(list) : null;
            exams.Add(new CohortExam(order, decision, window, final));
        }

        var inPeriod = exams.Where(e => e.Window == PeriodWindow).ToList();
        var included = inPeriod.Where(e => e.Decision.Decision == Decision.Included).ToList();
        var excluded = inPeriod.Where(e => e.Decision.Decision == Decision.Excluded).ToList();
        var byReason = protocol.ExclusionReasons.ToDictionary(r => r, r => excluded.Count(e => e.Decision.Reason == r), StringComparer.Ordinal);

        var reviewed = included.Where(e => e.FinalReview is not null).Select(e => e.FinalReview!).ToList();
        var disagreements = included.Count(e => reviewsByOrder.TryGetValue(e.Order.OrderId, out var list) && FinalReview.HasUnadjudicatedDisagreement(list));
        var review = new ReviewSummary(
            reviewed.Count,
            included.Count - reviewed.Count,
            reviewed.Count(r => r.MajorFinding),
            reviewed.Count(r => r.MinorFinding == true),
            reviewed.Count(r => r.IncidentalFinding == true),
            reviewed.Count(r => r.ManagementChange == ManagementChange.Major),
            reviewed.Count(r => r.ManagementChange == ManagementChange.Minor),
            disagreements);

        YieldSummary yield;
        if (reviewed.Count == 0)
        {
            yield = new YieldSummary(null, null);
        }
        else
        {
            var (low, high) = BinomialInterval.Wilson(review.MajorFindings, reviewed.Count);
            yield = new YieldSummary(Round((double)review.MajorFindings / reviewed.Count, 4), [Round(low, 4), Round(high, 4)]);
        }

        var withSex = included.Where(e => e.Order.Sex is PatientSex.Female or PatientSex.Male or PatientSex.Other).ToList();
        var ages = included.Select(e => e.Order.AgeAtOrder).OfType<int>().ToList();
        var demographics = new DemographicsSummary(
            withSex.Count == 0 ? null : Round(100.0 * withSex.Count(e => e.Order.Sex == PatientSex.Female) / withSex.Count, 1),
            ages.Count == 0 ? null : Round(ages.Average(), 1));

        var concurrent = protocol.ConcurrentExams.ToDictionary(
            kv => kv.Key,
            kv => included.Count(e => facts.HasExamOn(kv.Value, e.Order.PatientId, e.Order.ExamDate)),
            StringComparer.Ordinal);

        var charge = (double)(options.ChargePerExam ?? protocol.ChargePerExam);
        var total = charge * included.Count;
        var cost = new CostSummary(charge, total, review.MajorFindings == 0 ? null : Round(total / review.MajorFindings, 2));

        // The latest day the data knows about: any order, of any procedure, placed or performed.
        var dataThrough = facts.DataThrough;
        FollowUpSummary? followUp = null;
        if (options.FollowUp is { } uncovered && !(dataThrough >= uncovered.To))
        {
            // No order on or after the window's last day: the window is not all in the data, so nothing observed in it
            // can be compared with the expected count (a missing month would read as exams avoided).
            var baselineOnly = included.Count / options.Period.Months;
            followUp = new FollowUpSummary(
                Iso(uncovered.From),
                Iso(uncovered.To),
                Round(uncovered.Months, 2),
                Round(baselineOnly, 2),
                Round(baselineOnly * uncovered.Months, 2),
                null,
                null,
                null,
                null,
                Covered: false,
                CoveredThrough: dataThrough >= uncovered.From ? Iso(dataThrough.Value) : null);
        }
        else if (options.FollowUp is { } followWindow)
        {
            // Decimal, not double: 98/48*3 must round to 6.13, and binary floating point lands just below 6.125.
            var periodMonths = options.Period.Months;
            var followMonths = followWindow.Months;
            var baseline = included.Count / periodMonths;
            var expected = baseline * followMonths;
            var observed = exams.Count(e => e.Window == FollowUpWindow && e.Decision.Decision == Decision.Included);
            var avoided = expected - observed;
            followUp = new FollowUpSummary(
                Iso(followWindow.From),
                Iso(followWindow.To),
                Round(followMonths, 2),
                Round(baseline, 2),
                Round(expected, 2),
                observed,
                expected == 0 ? null : Round(100 * (observed - expected) / expected, 1),
                Round(avoided, 2),
                (double)decimal.Truncate(avoided * (options.ChargePerExam ?? protocol.ChargePerExam)));
        }

        // Every calendar year of the period, with how many months of it the period covers, so a half year
        // at either end is not read as a drop.
        var perYear = new List<YearCount>();
        for (var year = options.Period.From.Year; year <= options.Period.To.Year; year++)
        {
            var from = new DateOnly(year, 1, 1) > options.Period.From ? new DateOnly(year, 1, 1) : options.Period.From;
            var to = new DateOnly(year, 12, 31) < options.Period.To ? new DateOnly(year, 12, 31) : options.Period.To;
            var months = new DateRange(from, to).Months;
            var label = months < 12 ? $"{year} ({months:0.#} mo)" : year.ToString(CultureInfo.InvariantCulture);
            perYear.Add(new YearCount(label, included.Count(e => e.Order.ExamDate.Year == year), false));
        }

        if (options.FollowUp is { } fu)
        {
            int? count = followUp!.Covered ? exams.Count(e => e.Window == FollowUpWindow && e.Decision.Decision == Decision.Included) : null;
            perYear.Add(new YearCount($"{fu.From:yyyy-MM}..{fu.To:yyyy-MM} ({fu.Months:0.#} mo, post)", count, true));
        }

        var summary = new AuditSummary(
            protocol.Id,
            new PeriodSummary(Iso(options.Period.From), Iso(options.Period.To), Round(options.Period.Months, 2)),
            new CohortSummary(inPeriod.Count, included.Count, excluded.Count, byReason, cancelled),
            review,
            yield,
            demographics,
            concurrent,
            cost,
            followUp,
            perYear,
            suggestions is null ? null : Agreement(included, suggestions),
            ReviewerAgreement.Compute(included.Select(e => e.Order.OrderId), reviews.ToLookup(r => r.OrderId, StringComparer.Ordinal)));
        return new AuditResult(summary, exams, protocol, options);
    }

    private static AgreementSummary? Agreement(List<CohortExam> included, IReadOnlyDictionary<string, FindingSuggestion> suggestions)
    {
        var pairs = included
            .Where(e => e.FinalReview is not null && suggestions.ContainsKey(e.Order.OrderId))
            .Select(e => (Review: e.FinalReview!, Suggestion: suggestions[e.Order.OrderId]))
            .ToList();
        if (pairs.Count == 0)
        {
            return null;
        }

        return new AgreementSummary(
            Field(pairs.Select(p => (p.Review.MajorFinding, p.Suggestion.Major))),
            Field(pairs.Select(p => (p.Review.MinorFinding ?? false, p.Suggestion.Minor))),
            Field(pairs.Select(p => (p.Review.IncidentalFinding ?? false, p.Suggestion.Incidental))));
    }

    private static FieldAgreement Field(IEnumerable<(bool Review, bool Suggested)> pairs)
    {
        int[][] table = [[0, 0], [0, 0]];
        foreach (var (review, suggested) in pairs)
        {
            table[review ? 0 : 1][suggested ? 0 : 1]++;
        }

        var (n, agreePct, kappa, ci) = Kappa.Summarize(table);
        return new FieldAgreement(n, agreePct, table, kappa, ci);
    }

    private static string WindowOf(DateOnly date, AuditOptions options) =>
        options.Period.Contains(date) ? PeriodWindow
        : options.FollowUp is { } f && f.Contains(date) ? FollowUpWindow
        : OutsideWindow;

    private static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    private static double Round(decimal value, int digits) => (double)Math.Round(value, digits, MidpointRounding.AwayFromZero);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
