namespace ImagingValue.Core.Analytics;

/// <summary>
/// The audit's figures, shaped exactly as contracts section 3's summary.json (properties map to snake_case keys).
/// Percentages are 0-100 with one decimal, rates 0-1 with four, money whole dollars.
/// </summary>
/// <param name="Protocols">Every protocol's figures by id, this one's included, when an audit covered several protocols; null (key left out) for one.</param>
/// <param name="Synthetic">True when the workspace holds orders made by the synthetic generator (<c>synth</c>, <c>demo</c>);
/// null (key left out) for real data, never false, so a real export is never marked.</param>
public sealed record AuditSummary(
    string Protocol,
    PeriodSummary Period,
    CohortSummary Cohort,
    ReviewSummary Review,
    YieldSummary Yield,
    DemographicsSummary Demographics,
    IReadOnlyDictionary<string, int> Concurrent,
    CostSummary Cost,
    FollowUpSummary? FollowUp,
    IReadOnlyList<YearCount> ExamsPerYear,
    AgreementSummary? Agreement = null,
    Review.ReviewerAgreementSummary? ReviewerAgreement = null,
    InputSummary? Input = null,
    bool? Synthetic = null,
    IReadOnlyDictionary<string, AuditSummary>? Protocols = null);

public sealed record PeriodSummary(string From, string To, double Months);

public sealed record CohortSummary(int TargetExams, int Included, int Excluded, IReadOnlyDictionary<string, int> ExcludedByReason, int Cancelled);

/// <param name="DisagreementsUnadjudicated">Included exams whose reviewers disagree on a finding or on management with no adjudicator's review yet.</param>
public sealed record ReviewSummary(
    int Reviewed,
    int Unreviewed,
    int MajorFindings,
    int MinorFindings,
    int IncidentalFindings,
    int ManagementMajor,
    int ManagementMinor,
    int DisagreementsUnadjudicated);

/// <param name="MajorCi95">Wilson score interval, 95%.</param>
public sealed record YieldSummary(double? MajorRate, double[]? MajorCi95);

/// <param name="FemalePct">Percent female among included exams with a recorded sex.</param>
/// <param name="MeanAge">Mean age in completed years at the order, among included exams with a birth date.</param>
public sealed record DemographicsSummary(double? FemalePct, double? MeanAge);

public sealed record CostSummary(double ChargePerExam, double TotalCharges, double? ChargesPerMajorFinding);

/// <param name="BaselinePerMonth">Included exams per month in the review period.</param>
/// <param name="Expected">Baseline times the follow-up months.</param>
/// <param name="Observed">Included exams in the window; null when the data does not cover the window.</param>
/// <param name="AvoidedExams">Expected minus observed; null when the data does not cover the window.</param>
/// <param name="Savings">Avoided exams times the charge, truncated to whole dollars (never claim a part-dollar not saved); null when the data does not cover the window.</param>
/// <param name="Covered">
/// True when the workspace has an order (any procedure, placed or performed) on or after the window's last day, so
/// every day of the window is in the data. False otherwise: observed, change, avoided exams and savings are null.
/// </param>
/// <param name="CoveredThrough">When the data ends inside the window: the latest order date (yyyy-MM-dd); null otherwise.</param>
public sealed record FollowUpSummary(
    string From,
    string To,
    double Months,
    double BaselinePerMonth,
    double Expected,
    int? Observed,
    double? ChangePct,
    double? AvoidedExams,
    double? Savings,
    bool Covered = true,
    string? CoveredThrough = null);

/// <param name="Label">The calendar year, or the follow-up window's label.</param>
/// <param name="Included">Included exams; null for a follow-up window the data does not cover (no data, not zero).</param>
/// <param name="IsFollowUp">True for the post-intervention bar.</param>
public sealed record YearCount(string Label, int? Included, bool IsFollowUp);

/// <summary>How often the report-text suggestions agree with the final reviews, per finding class, on included exams that have both.</summary>
public sealed record AgreementSummary(FieldAgreement Major, FieldAgreement Minor, FieldAgreement Incidental);

/// <param name="N">Exams with both a suggestion and a final review.</param>
/// <param name="AgreePct">Percent of them where suggestion and review agree.</param>
/// <param name="Table">2x2 counts [review yes/no][suggestion yes/no].</param>
/// <param name="Kappa">Cohen's kappa; null when it is undefined (every exam in one class on both sides).</param>
/// <param name="Ci95">95% interval on Fisher's z scale from the asymptotic SE (Fleiss, Cohen and Everitt 1969), within [−1, 1]; see Statistics.Kappa.</param>
public sealed record FieldAgreement(int N, double? AgreePct, int[][] Table, double? Kappa = null, double[]? Ci95 = null);
