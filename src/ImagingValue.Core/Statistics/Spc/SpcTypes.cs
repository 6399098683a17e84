namespace ImagingValue.Core.Statistics.Spc;

/// <summary>Control chart types, as qicharts2 defines them (README 1.1).</summary>
public enum ChartType
{
    /// <summary>Run chart: median centre line, no limits.</summary>
    Run,

    /// <summary>Individuals (X) chart.</summary>
    I,

    /// <summary>Moving-range chart of |Δy|.</summary>
    MR,

    /// <summary>Counts per subgroup (Poisson).</summary>
    C,

    /// <summary>Rates per unit of exposure (Poisson).</summary>
    U,

    /// <summary>Proportions (binomial).</summary>
    P,

    /// <summary>Laney U′: U chart widened by the between-subgroup σz.</summary>
    UPrime,

    /// <summary>Laney P′: P chart widened by the between-subgroup σz.</summary>
    PPrime,

    /// <summary>Time between rare events (I chart on y^(1/3.6), back-transformed).</summary>
    T,

    /// <summary>Opportunities between rare events (geometric).</summary>
    G,
}

/// <summary>Which special-cause rules are applied.</summary>
public enum RuleSet
{
    /// <summary>qicharts2: points outside 3σ limits plus Anhøj runs analysis (longest run, crossings).</summary>
    Anhoej,

    /// <summary>NHS England Making Data Count (XmR with 2.66·MR̄ and four rules); I chart only.</summary>
    MakingDataCount,
}

/// <summary>Which direction of change is an improvement (Making Data Count).</summary>
public enum ImprovementDirection
{
    /// <summary>Neither: special causes are reported as neutral high/low.</summary>
    Neutral,

    /// <summary>Higher values are better.</summary>
    Increase,

    /// <summary>Lower values are better.</summary>
    Decrease,
}

/// <summary>
/// Options for <see cref="SpcChart.Compute"/>. Indices are 1-based.
/// </summary>
/// <param name="Chart">The chart type.</param>
/// <param name="Freeze">Baseline: points 1..k give the centre line and limits, which are extended to later
/// points; runs analysis covers all points. Ignored when <paramref name="Parts"/> is given (qicharts2). Under
/// <see cref="RuleSet.MakingDataCount"/> it is <c>fix_after_n_points</c> and applies within each phase.</param>
/// <param name="Parts">Split points as in qicharts2 <c>part</c>: k ends a part after point k. Each part (an MDC
/// <c>rebase</c>) recomputes centre line, limits and runs.</param>
/// <param name="Exclude">Points dropped from the centre-line, limit and runs calculations; still plotted and
/// still tested against the limits.</param>
/// <param name="Rules">The rule set.</param>
/// <param name="ScreenMovingRanges">Drop moving ranges ≥ 3.267·MR̄ and recompute MR̄ (Nelson 1982) for I, T,
/// U′, P′ and MDC charts. There is no hidden default: qicharts2 after <c>library()</c> and NHSRplotthedots use
/// <c>true</c>; the MDC Excel tool and qicharts2 without <c>library()</c> use <c>false</c>.</param>
/// <param name="Multiply">Scales y, centre line and limits after computing (e.g. 10,000 for a rate per
/// 10,000 days).</param>
/// <param name="Improvement">Improvement direction (Making Data Count only).</param>
/// <param name="Target">Target for the MDC assurance icon (Making Data Count only).</param>
public sealed record SpcOptions(
    ChartType Chart,
    int? Freeze = null,
    IReadOnlyList<int>? Parts = null,
    IReadOnlyList<int>? Exclude = null,
    RuleSet Rules = RuleSet.Anhoej,
    bool ScreenMovingRanges = false,
    double? Multiply = null,
    ImprovementDirection Improvement = ImprovementDirection.Neutral,
    double? Target = null);

/// <summary>
/// One part (phase) of a chart. <c>From</c>/<c>To</c> are 1-based and inclusive; <see cref="Lcl"/> and
/// <see cref="Ucl"/> hold one value per point of the part (empty for a run chart).
/// </summary>
/// <param name="From">First point (1-based).</param>
/// <param name="To">Last point (1-based, inclusive).</param>
/// <param name="Cl">The plotted centre line (the median for run and G charts).</param>
/// <param name="Lcl">Lower 3σ limit (MDC: lower process limit) per point.</param>
/// <param name="Ucl">Upper 3σ limit (MDC: upper process limit) per point.</param>
/// <param name="NUseful">Points used by runs analysis (included, not on the centre line, not missing).</param>
/// <param name="LongestRun">Longest run on one side of the centre line.</param>
/// <param name="LongestRunMax">round(log2(n)) + 3 (Schilling 2012).</param>
/// <param name="Crossings">Centre-line crossings (runs − 1).</param>
/// <param name="CrossingsMin">qbinom(0.05, n − 1, 0.5) (Chen 2010).</param>
/// <param name="RunsSignal">Either Anhøj rule fires (always false for MR charts).</param>
/// <param name="RunsUnreliable">Fewer than 10 useful points: the runs verdict means little and should be shown
/// as such, not as a judgement.</param>
/// <param name="Outside">Points (1-based, all points of the part) above the UCL or below the LCL.</param>
/// <param name="AverageMovingRange">MR̄ used for the limits (I, T, MDC; after screening), else null.</param>
/// <param name="SigmaZ">Laney σz (U′, P′), else null.</param>
/// <param name="MovingRangesScreenedOut">How many moving ranges screening dropped.</param>
/// <param name="NearLcl">MDC lower near limit per point (mean − (2/3)·2.66·MR̄); empty otherwise.</param>
/// <param name="NearUcl">MDC upper near limit per point; empty otherwise.</param>
/// <param name="TrialLimits">MDC: the phase has fewer than 12 points, so its limits are trial limits.</param>
public sealed record SpcPart(
    int From,
    int To,
    double Cl,
    IReadOnlyList<double> Lcl,
    IReadOnlyList<double> Ucl,
    int NUseful,
    int LongestRun,
    int LongestRunMax,
    int Crossings,
    int CrossingsMin,
    bool RunsSignal,
    bool RunsUnreliable,
    IReadOnlyList<int> Outside,
    double? AverageMovingRange,
    double? SigmaZ,
    int MovingRangesScreenedOut,
    IReadOnlyList<double> NearLcl,
    IReadOnlyList<double> NearUcl,
    bool TrialLimits);

/// <summary>What a low-count chart can still be used for instead of a fall below the limit.</summary>
public enum LowCountRemedy
{
    /// <summary>Exact Poisson comparison of the post period against the baseline rate.</summary>
    ExactPoissonComparison,

    /// <summary>T chart of time between events.</summary>
    TimeBetweenEventsChart,

    /// <summary>G chart of opportunities (e.g. exams) between events.</summary>
    OpportunitiesBetweenEventsChart,

    /// <summary>Cumulative counts against the expected cumulative count.</summary>
    CumulativeCount,
}

/// <summary>
/// Low-count guard for C, U and U′ charts (README 3.3): when the LCL is 0 at every point, or fewer than
/// <see cref="SpcChart.LowCountEventsPerSubgroup"/> events are expected per subgroup, a fall cannot signal
/// below the limit.
/// </summary>
/// <param name="Parts">Flagged parts (1-based part numbers).</param>
/// <param name="EventsPerSubgroup">Smallest expected events per subgroup over the flagged parts.</param>
/// <param name="LowerLimitAlwaysZero">In some flagged part every LCL is 0.</param>
/// <param name="Remedies">What to use instead.</param>
public sealed record LowCountAdvice(
    IReadOnlyList<int> Parts,
    double EventsPerSubgroup,
    bool LowerLimitAlwaysZero,
    IReadOnlyList<LowCountRemedy> Remedies);

/// <summary>Making Data Count special-cause label, in the package's precedence order.</summary>
public enum MdcSignal
{
    /// <summary>No rule fires.</summary>
    CommonCause,

    /// <summary>Above the upper process limit.</summary>
    AboveUcl,

    /// <summary>Below the lower process limit.</summary>
    BelowLcl,

    /// <summary>Part of 7 increasing points.</summary>
    TrendIncreasing,

    /// <summary>Part of 7 decreasing points.</summary>
    TrendDecreasing,

    /// <summary>2 of 3 above the upper near limit.</summary>
    TwoInThreeAbove,

    /// <summary>2 of 3 below the lower near limit.</summary>
    TwoInThreeBelow,

    /// <summary>Part of 7 points above the mean.</summary>
    SevenPointsAbove,

    /// <summary>Part of 7 points below the mean.</summary>
    SevenPointsBelow,
}

/// <summary>Making Data Count point type (and variation icon).</summary>
public enum MdcPointType
{
    /// <summary>Common cause variation.</summary>
    CommonCause,

    /// <summary>Special cause in the improvement direction.</summary>
    SpecialCauseImprovement,

    /// <summary>Special cause against the improvement direction.</summary>
    SpecialCauseConcern,

    /// <summary>Special cause upward, no improvement direction.</summary>
    SpecialCauseNeutralHigh,

    /// <summary>Special cause downward, no improvement direction.</summary>
    SpecialCauseNeutralLow,
}

/// <summary>Making Data Count assurance icon.</summary>
public enum MdcAssurance
{
    /// <summary>The target lies between the limits: hit and miss.</summary>
    Inconsistent,

    /// <summary>The target is beyond the limit on the good side: every point will meet it.</summary>
    ConsistentPass,

    /// <summary>The target is beyond the limit on the bad side: no point will meet it.</summary>
    ConsistentFail,
}

/// <summary>One point's Making Data Count classification (1-based index).</summary>
public sealed record MdcPoint(int Index, MdcSignal Signal, MdcPointType Type);

/// <summary>
/// A computed chart. <see cref="Values"/> are the plotted y (y/n when a denominator is given, except for C
/// charts; NaN for the first point of each part of an MR chart).
/// </summary>
/// <param name="Chart">The chart type.</param>
/// <param name="Values">Plotted values, one per input point, after <see cref="SpcOptions.Multiply"/>.</param>
/// <param name="Parts">The parts in order.</param>
/// <param name="Guard">Low-count advice, or null.</param>
/// <param name="Points">Making Data Count classification per point (empty under Anhøj rules).</param>
/// <param name="Variation">MDC variation icon: the last point's type (null under Anhøj rules).</param>
/// <param name="Assurance">MDC assurance icon (null without a target or with a neutral direction).</param>
public sealed record SpcResult(
    ChartType Chart,
    IReadOnlyList<double> Values,
    IReadOnlyList<SpcPart> Parts,
    LowCountAdvice? Guard,
    IReadOnlyList<MdcPoint> Points,
    MdcPointType? Variation,
    MdcAssurance? Assurance);
