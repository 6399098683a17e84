using System.Globalization;
using Hl7.Fhir.Model;
using ImagingValue.Core.Data;

namespace ImagingValue.Cds.Fhir;

/// <summary>
/// Maps FHIR R4 draft orders and conditions to the screener's inputs, so the point-of-order alert and the audit
/// decide with the same code.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Procedure name: <c>code.text</c>, else the first coding's display. The name identifies the exam: CPT 72195
/// bills sacrum, SI-joint and pelvis MRIs alike.</item>
/// <item>Procedure code: a LOINC coding's code when there is one (LOINC 36059-4 is MR Sacrum), else the first coding's.</item>
/// <item>Indication: every <c>reasonCode</c> text and coding display, distinct, joined with "; ".</item>
/// <item>Reason codes: the ICD-10-CM codings of <c>reasonCode</c>, upper case. SNOMED CT reasons count through their display text only.</item>
/// <item>Ordered at: <c>authoredOn</c> as the clock time written (the EHR's local time), else now.</item>
/// <item>Status: a draft is evaluated as if completed: the question is whether the exam should be done.</item>
/// <item>Conditions: one per ICD-10-CM or SNOMED CT coding (the screener matches ICD-10-CM by range, SNOMED CT by the
/// protocol's concept ids, and reads the text of SNOMED CT conditions no red flag lists). A condition coded in neither
/// is kept by its text (<c>code.text</c>, else a display) and counted as unmapped. A condition with neither onset nor
/// recorded date is in the chart now, so it is taken as known on the order's date.</item>
/// </list>
/// </remarks>
public static class ScreeningInputMapper
{
    /// <summary>ICD-10-CM's FHIR system.</summary>
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";

    /// <summary>SNOMED CT's FHIR system.</summary>
    public const string Snomed = "http://snomed.info/sct";

    /// <summary>The code system name the screener reads for SNOMED CT conditions.</summary>
    public const string SnomedCodeSystem = "SNOMED CT";

    /// <summary>LOINC's FHIR system.</summary>
    public const string Loinc = "http://loinc.org";

    /// <summary>The order as the screener reads it.</summary>
    public static ImagingOrder ToImagingOrder(DraftOrder draft, string? patientId, Patient? patient, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var request = draft.Resource;
        var codings = request.Code?.Coding ?? [];
        var procedureCode = codings.FirstOrDefault(c => c.System == Loinc && !string.IsNullOrWhiteSpace(c.Code))?.Code
            ?? codings.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c.Code))?.Code;
        var procedureName = FirstText(request.Code?.Text, codings.Select(c => c.Display)) ?? string.Empty;

        var reasons = request.ReasonCode ?? [];
        var indicationParts = reasons
            .SelectMany(r => new[] { r.Text }.Concat((r.Coding ?? []).Select(c => c.Display)))
            .Where(t => !string.IsNullOrWhiteSpace(t))
            .Select(t => t!.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var reasonCodes = reasons
            .SelectMany(r => r.Coding ?? [])
            .Where(c => IsIcd10Cm(c.System) && !string.IsNullOrWhiteSpace(c.Code))
            .Select(c => c.Code!.Trim().ToUpperInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var orderedAt = ParseDateTime(request.AuthoredOn) ?? now;
        var subject = request.Subject?.Reference is { } reference && reference.StartsWith("Patient/", StringComparison.Ordinal)
            ? reference["Patient/".Length..]
            : null;

        return new ImagingOrder(
            OrderId: draft.Reference,
            PatientId: patientId ?? subject ?? string.Empty,
            Accession: null,
            OrderedAt: orderedAt,
            PerformedAt: null,
            ProcedureCode: procedureCode,
            ProcedureName: procedureName,
            Indication: indicationParts.Count == 0 ? null : string.Join("; ", indicationParts),
            ReasonCodes: reasonCodes,
            OrderingProvider: null,
            OrderingDepartment: null,
            Sex: patient?.Gender switch
            {
                AdministrativeGender.Female => PatientSex.Female,
                AdministrativeGender.Male => PatientSex.Male,
                AdministrativeGender.Other => PatientSex.Other,
                AdministrativeGender.Unknown => PatientSex.Unknown,
                _ => null,
            },
            BirthDate: ParseDate(patient?.BirthDate),
            Status: OrderStatus.Completed);
    }

    /// <summary>
    /// The conditions as the screener reads them, and how many were coded in neither ICD-10-CM nor SNOMED CT (checked by
    /// their text only, when they have any).
    /// </summary>
    public static (IReadOnlyList<PatientCondition> Conditions, int Unmapped) ToPatientConditions(
        IEnumerable<Condition> conditions, string patientId, DateOnly orderDate)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var mapped = new List<PatientCondition>();
        var unmapped = 0;
        foreach (var condition in conditions)
        {
            var codings = (condition.Code?.Coding ?? []).Where(c => !string.IsNullOrWhiteSpace(c.Code)).ToList();
            var codes = codings.Where(c => IsIcd10Cm(c.System)).Select(c => (Code: c.Code!.Trim().ToUpperInvariant(), System: "ICD-10-CM", c.Display))
                .Concat(codings.Where(c => c.System == Snomed).Select(c => (Code: c.Code!.Trim(), System: SnomedCodeSystem, c.Display)))
                .ToList();
            var text = FirstText(condition.Code?.Text, codings.Select(c => c.Display));
            if (codes.Count == 0)
            {
                unmapped++;
                if (text is null)
                {
                    continue;
                }

                // Kept for its text: the screener reads it with the clinical text rules.
                codes.Add((Code: codings.FirstOrDefault()?.Code?.Trim() ?? string.Empty, System: codings.FirstOrDefault()?.System ?? "text", Display: text));
            }

            var onset = condition.Onset switch
            {
                FhirDateTime dateTime => ParseDate(dateTime.Value),
                Period period => ParseDate(period.Start),
                _ => null,
            };
            var recorded = ParseDate(condition.RecordedDate);
            if (onset is null && recorded is null)
            {
                recorded = orderDate;
            }

            var verification = condition.VerificationStatus?.Coding?.FirstOrDefault()?.Code;
            var status = verification is "entered-in-error" or "refuted"
                ? verification
                : condition.ClinicalStatus?.Coding?.FirstOrDefault()?.Code ?? "active";
            var abatement = condition.Abatement is FhirDateTime abated ? ParseDate(abated.Value) : null;
            foreach (var (code, system, display) in codes)
            {
                // code.text is what the clinician reads; a coding's display is the terminology's name.
                mapped.Add(new PatientCondition(patientId, code, system, text ?? display, onset, recorded, status, abatement));
            }
        }

        return (mapped, unmapped);
    }

    private static bool IsIcd10Cm(string? system) =>
        system is Icd10Cm or "http://hl7.org/fhir/sid/icd-10" or "urn:oid:2.16.840.1.113883.6.90";

    private static string? FirstText(string? text, IEnumerable<string?> more) =>
        !string.IsNullOrWhiteSpace(text) ? text.Trim() : more.FirstOrDefault(t => !string.IsNullOrWhiteSpace(t))?.Trim();

    /// <summary>A FHIR dateTime as the clock time written; partial dates (yyyy, yyyy-MM) start their period.</summary>
    private static DateTime? ParseDateTime(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && value.Length > 10)
        {
            return parsed.DateTime;
        }

        return ParseDate(value)?.ToDateTime(TimeOnly.MinValue);
    }

    private static DateOnly? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        var formats = new[] { "yyyy-MM-dd", "yyyy-MM", "yyyy" };
        var head = text.Length >= 10 ? text[..10] : text;
        return DateOnly.TryParseExact(head, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
    }
}
