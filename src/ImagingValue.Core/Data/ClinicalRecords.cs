namespace ImagingValue.Core.Data;

/// <summary>An imaging order as exported by the RIS (orders.csv), normalised.</summary>
/// <param name="OrderedAt">When the order was placed, local time: the reference for "recent" and for conditions known at the time.</param>
/// <param name="PerformedAt">When the exam was done; null if not done.</param>
/// <param name="ReasonCodes">ICD-10-CM codes on the order, upper case.</param>
/// <param name="Sex">F, M, O or U (<see cref="PatientSexes"/>); null when absent.</param>
/// <param name="Status">Canonical status: completed, cancelled, ... (<see cref="OrderStatuses"/>).</param>
public sealed record ImagingOrder(
    string OrderId,
    string PatientId,
    string? Accession,
    DateTime OrderedAt,
    DateTime? PerformedAt,
    string? ProcedureCode,
    string ProcedureName,
    string? Indication,
    IReadOnlyList<string> ReasonCodes,
    string? OrderingProvider,
    string? OrderingDepartment,
    PatientSex? Sex,
    DateOnly? BirthDate,
    OrderStatus Status)
{
    /// <summary>True when the exam was done (status completed).</summary>
    public bool IsCompleted => Status == OrderStatus.Completed;

    /// <summary>True when the order was cancelled.</summary>
    public bool IsCancelled => Status == OrderStatus.Cancelled;

    /// <summary>The exam's date: when performed, or when ordered if the export has no performed time.</summary>
    public DateOnly ExamDate => DateOnly.FromDateTime(PerformedAt ?? OrderedAt);

    /// <summary>Age in completed years at <see cref="OrderedAt"/>; null without a birth date.</summary>
    public int? AgeAtOrder
    {
        get
        {
            if (BirthDate is not { } birth)
            {
                return null;
            }

            var at = DateOnly.FromDateTime(OrderedAt);
            var age = at.Year - birth.Year;
            if (at < birth.AddYears(age))
            {
                age--;
            }

            return age;
        }
    }
}

/// <summary>A diagnosis in the patient's history (conditions.csv), normalised.</summary>
/// <param name="CodeSystem">ICD-10-CM unless the export says otherwise.</param>
public sealed record PatientCondition(
    string PatientId,
    string Code,
    string CodeSystem,
    string? Description,
    DateOnly? OnsetDate,
    DateOnly? RecordedDate,
    string ClinicalStatus,
    DateOnly? AbatementDate)
{
    /// <summary>
    /// The first date the condition was known: the earlier of onset and recorded date.
    /// A condition counts for an order only when this is on or before the order's date.
    /// </summary>
    public DateOnly? KnownFrom => (OnsetDate, RecordedDate) switch
    {
        ({ } onset, { } recorded) => onset < recorded ? onset : recorded,
        ({ } onset, null) => onset,
        (null, { } recorded) => recorded,
        _ => null,
    };

    /// <summary>The best date for when the condition began (onset, else recorded).</summary>
    public DateOnly? BeganOn => OnsetDate ?? RecordedDate;

    /// <summary>False for entries marked as mistakes or refuted: they never count.</summary>
    public bool IsAsserted => ClinicalStatus is not ("entered-in-error" or "refuted");
}

/// <summary>A radiology report (reports.csv).</summary>
public sealed record RadiologyReport(string? OrderId, string? Accession, string ReportText, DateTime? FinalizedAt);

/// <summary>One reviewer's review of one exam (reviews.csv).</summary>
/// <param name="ManagementChange">major, minor or none (<see cref="ManagementChanges"/>); null when not recorded.</param>
/// <param name="Role">primary, second or adjudicator; null when the export does not say.</param>
public sealed record ExamReview(
    string OrderId,
    string Reviewer,
    bool MajorFinding,
    bool? MinorFinding,
    bool? IncidentalFinding,
    string? FindingNotes,
    ManagementChange? ManagementChange,
    string? Role,
    DateTime? ReviewedAt);
