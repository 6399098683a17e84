using System.Globalization;

namespace ImagingValue.Synthetic;

/// <summary>What <see cref="PaperDataset.Write"/> wrote: row counts and the number of distinct indication texts.</summary>
public sealed record PaperDatasetSummary(int Orders, int Conditions, int Reports, int Reviews, int DistinctIndications);

/// <summary>
/// Synthetic RIS/PACS exports calibrated to the sacrum-MRI quality-improvement paper: the audit of
/// 2013-07-01..2017-06-30 finds 322 target exams (98 included, 224 excluded), 2 major / 43 minor /
/// 85 incidental findings, 12 minor management changes, 64 F / 34 M with ages summing to 4714,
/// 65 same-day lumbar MRIs, and 1 included exam in the 2018-07-01..2018-09-30 follow-up window.
/// The seed changes names, dates, phrasings and ordering, never those figures.
/// </summary>
public static class PaperDataset
{
    public const int DefaultSeed = 20180630;

    /// <summary>
    /// The extra orders.csv column every generated order carries, value <c>true</c>: import keeps it as an extra
    /// attribute, and an audit of a workspace holding such orders is marked synthetic (docs/data-formats.md).
    /// </summary>
    public const string SyntheticColumn = Core.Storage.SyntheticData.OrderColumn;

    public static IReadOnlyList<string> OrderColumns { get; } =
    [
        "order_id", "patient_id", "accession", "ordered_at", "performed_at", "procedure_code", "procedure_name", "indication",
        "reason_codes", "ordering_provider", "ordering_department", "patient_sex", "patient_birth_date", "status",
        SyntheticColumn,
    ];

    public static IReadOnlyList<string> ConditionColumns { get; } =
        ["patient_id", "code", "code_system", "description", "onset_date", "recorded_date", "clinical_status", "abatement_date"];

    public static IReadOnlyList<string> ReportColumns { get; } = ["order_id", "accession", "report_text", "finalized_at"];

    public static IReadOnlyList<string> ReviewColumns { get; } =
    [
        "order_id", "reviewer", "major_finding", "minor_finding", "incidental_finding", "finding_notes", "management_change",
        "review_role", "reviewed_at",
    ];

    public static IReadOnlyList<string> TruthColumns { get; } = ["order_id", "decision", "reason", "reasons", "note"];

    /// <summary>Writes orders.csv, conditions.csv, reports.csv, reviews.csv and truth.csv into <paramref name="directory"/>.</summary>
    public static PaperDatasetSummary Write(string directory, int seed = DefaultSeed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var builder = new PaperDatasetBuilder(seed);
        builder.Build();
        Directory.CreateDirectory(directory);

        var orders = builder.Orders;
        CsvTableWriter.Write(Path.Combine(directory, "orders.csv"), OrderColumns, orders.Select(o => (IReadOnlyList<string>)
        [
            o.Id, o.Patient.Id, o.Accession, Minute(o.OrderedAt), o.PerformedAt is { } p ? Minute(p) : "", o.Procedure.Code,
            o.Procedure.Name, o.Indication, string.Join(";", o.ReasonCodes), o.Provider.Name, o.Provider.Department,
            o.Patient.Sex.ToString(), Date(o.Patient.BirthDate), o.Status, Core.Storage.SyntheticData.Value,
        ]));

        var conditions = builder.Conditions
            .OrderBy(c => c.Patient.Id, StringComparer.Ordinal)
            .ThenBy(c => c.Recorded)
            .ThenBy(c => c.Code, StringComparer.Ordinal)
            .ToList();
        CsvTableWriter.Write(Path.Combine(directory, "conditions.csv"), ConditionColumns, conditions.Select(c => (IReadOnlyList<string>)
        [
            c.Patient.Id, c.Code, "ICD-10-CM", c.Description, c.Onset is { } onset ? Date(onset) : "", Date(c.Recorded), c.Status,
            c.Abatement is { } abatement ? Date(abatement) : "",
        ]));

        var reports = orders.Where(o => o.PerformedAt is not null).ToList();
        CsvTableWriter.Write(Path.Combine(directory, "reports.csv"), ReportColumns, reports.Select(o => (IReadOnlyList<string>)
        [
            o.Id, o.Accession, o.ReportText, Minute(FinalizedAt(o)),
        ]));

        var reviews = builder.Reviews
            .OrderBy(r => r.Order.Id, StringComparer.Ordinal)
            .ThenBy(r => r.Reviewer, StringComparer.Ordinal)
            .ToList();
        CsvTableWriter.Write(Path.Combine(directory, "reviews.csv"), ReviewColumns, reviews.Select(r => (IReadOnlyList<string>)
        [
            r.Order.Id, r.Reviewer, YesNo(r.Major), YesNo(r.Minor), YesNo(r.Incidental), r.Notes, r.Management, r.Role, Minute(r.ReviewedAt),
        ]));

        CsvTableWriter.Write(Path.Combine(directory, "truth.csv"), TruthColumns, orders.Select(o => (IReadOnlyList<string>)
        [
            o.Id, o.Decision, o.Decision == "excluded" ? o.Reason : "", string.Join(";", o.Reasons), o.Note,
        ]));

        var distinct = orders.Select(o => o.Indication).Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).Count();
        return new PaperDatasetSummary(orders.Count, conditions.Count, reports.Count, reviews.Count, distinct);
    }

    private static DateTime FinalizedAt(SynthOrder order)
    {
        // Deterministic from the order itself: 1 to 30 hours after the exam.
        var hours = 1 + (int)(unchecked((uint)order.TieBreak * 2654435761u) % 30u);
        return order.PerformedAt!.Value.AddHours(hours).AddMinutes(order.TieBreak % 50);
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary>A date-time as the synthetic files write it (to the minute).</summary>
    internal static string Minute(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    internal static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
