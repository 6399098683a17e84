namespace ImagingValue.Core.Analytics;

/// <summary>What an audit analysis covers.</summary>
/// <param name="Period">The review period (inclusive) in which target exams are counted.</param>
/// <param name="Intervention">The date of the intervention, if any (shown on charts).</param>
/// <param name="FollowUp">The post-intervention window compared with the period's monthly rate.</param>
/// <param name="ChargePerExam">The charge per exam; the protocol's default when null.</param>
public sealed record AuditOptions(DateRange Period, DateOnly? Intervention = null, DateRange? FollowUp = null, decimal? ChargePerExam = null);
