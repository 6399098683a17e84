using System.Text.RegularExpressions;
using ImagingValue.Core.Data;

namespace ImagingValue.Import.Hl7;

/// <summary>A report carried by a result message, in the canonical report columns.</summary>
public sealed record Hl7Report(string OrderId, string? Accession, string Text, string? FinalizedAt);

/// <summary>What a message means for the workspace.</summary>
/// <param name="Orders">Orders it creates or updates (one per ORC/OBR group).</param>
/// <param name="Reports">Reports it carries (result messages).</param>
/// <param name="Skipped">Why it holds nothing for the workspace (e.g. an ADT message), or null.</param>
public sealed record Hl7Mapping(IReadOnlyList<OrderUpdate> Orders, IReadOnlyList<Hl7Report> Reports, string? Skipped);

/// <summary>
/// Maps order messages (ORM^O01, OMI^O23, OMG^O19) and results (ORU^R01), v2.3 to v2.8, to canonical orders and
/// reports, field by field as <c>docs/data-formats.md</c> (HL7 v2) lists. Content that is wrong gives a problem naming
/// the segment and field, for the AE acknowledgement and the error store.
/// </summary>
public static partial class Hl7OrderMapper
{
    private static readonly HashSet<string> _orderMessages = new(StringComparer.Ordinal) { "ORM", "OMI", "OMG", "ORU" };
    private static readonly HashSet<string> _icd10Systems = new(StringComparer.OrdinalIgnoreCase) { "I10", "I10C", "ICD10", "ICD-10-CM", "ICD10CM" };
    private static readonly HashSet<string> _reportValueTypes = new(StringComparer.Ordinal) { "TX", "FT", "ST" };

    public static bool TryMap(Hl7Message message, TimeZoneInfo siteZone, out Hl7Mapping? mapping, out Hl7Problem? problem)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(siteZone);
        mapping = null;
        var code = message.Header.Value(9, 1) ?? "";
        if (!_orderMessages.Contains(code))
        {
            mapping = new Hl7Mapping([], [], $"{(code.Length == 0 ? "a message without MSH-9" : CanonicalValues.Quote(message.MessageType))} carries no order or result");
            problem = null;
            return true;
        }

        var patient = message.First("PID");
        if (patient is null)
        {
            problem = new Hl7Problem("PID", null, "the message has no PID segment", Hl7Problem.SegmentSequenceError);
            return false;
        }

        var groups = OrderGroups(message);
        if (groups.Count == 0)
        {
            problem = new Hl7Problem("OBR", null, "the message has no OBR segment", Hl7Problem.SegmentSequenceError);
            return false;
        }

        var orders = new List<OrderUpdate>(groups.Count);
        var reports = new List<Hl7Report>();
        var common = new Fields();
        if (!ReadPatient(patient, common, out problem) || !ReadVisit(message.First("PV1"), common))
        {
            return false;
        }

        foreach (var group in groups)
        {
            var fields = common.Copy();
            if (!ReadOrder(message, group, siteZone, fields, out var orderId, out problem))
            {
                return false;
            }

            orders.Add(new OrderUpdate(orderId, fields.Values, fields.Provisional));
            if (code != "ORU")
            {
                continue;
            }

            if (!ReadReport(group, siteZone, orderId, fields, out var report, out problem))
            {
                return false;
            }

            if (report is not null)
            {
                reports.Add(report);
            }
        }

        mapping = new Hl7Mapping(orders, reports, null);
        problem = null;
        return true;
    }

    /// <summary>The segments of one order: ORC (optional), OBR and what follows it up to the next order.</summary>
    private sealed record OrderGroup(Hl7Segment? Orc, Hl7Segment Obr, IReadOnlyList<Hl7Segment> Details);

    private static List<OrderGroup> OrderGroups(Hl7Message message)
    {
        var groups = new List<OrderGroup>();
        var shared = new List<Hl7Segment>();
        Hl7Segment? orc = null;
        Hl7Segment? obr = null;
        var details = new List<Hl7Segment>();

        void Close()
        {
            if (obr is not null)
            {
                groups.Add(new OrderGroup(orc, obr, [.. shared, .. details]));
            }

            orc = null;
            obr = null;
            details = [];
        }

        foreach (var segment in message.Segments)
        {
            switch (segment.Id)
            {
                case "ORC":
                    Close();
                    orc = segment;
                    break;
                case "OBR":
                    if (obr is not null)
                    {
                        var keep = orc;
                        Close();
                        // An ORC heads every OBR that follows it until the next ORC (v2.3 results often send one).
                        orc = keep;
                    }

                    obr = segment;
                    break;
                case "DG1" when orc is null && obr is null:
                    // Diagnoses before any order belong to every order of the message.
                    shared.Add(segment);
                    break;
                case "DG1" or "OBX" or "IPC" or "NTE" or "TQ1":
                    details.Add(segment);
                    break;
            }
        }

        Close();
        return groups;
    }

    private static bool ReadPatient(Hl7Segment pid, Fields fields, out Hl7Problem? problem)
    {
        var repetition = pid.RepetitionNumbers(3).FirstOrDefault(r => string.Equals(pid.Value(3, 5, repetition: r), "MR", StringComparison.OrdinalIgnoreCase));
        var patientId = pid.Value(3, 1, repetition: repetition == 0 ? 1 : repetition);
        if (patientId is null)
        {
            problem = new Hl7Problem("PID", 3, "no patient identifier", Hl7Problem.RequiredFieldMissing);
            return false;
        }

        fields.Set("patient_id", patientId);
        if (pid.Value(8) is { } sex)
        {
            // Table 0001 has A (ambiguous) and N (not applicable) beside F, M, O and U.
            var word = sex.ToUpperInvariant() switch { "A" => "O", "N" => "U", var s => s };
            if (!fields.TryNormalize("patient_sex", word, out var error))
            {
                problem = new Hl7Problem("PID", 8, error!);
                return false;
            }
        }

        if (pid.Value(7) is { } birth)
        {
            if (!Hl7Time.TryParseDate(birth, out var day, out var error))
            {
                problem = new Hl7Problem("PID", 7, error!);
                return false;
            }

            fields.Set("patient_birth_date", day!);
        }

        problem = null;
        return true;
    }

    private static bool ReadVisit(Hl7Segment? pv1, Fields fields)
    {
        if (pv1?.Value(3, 1) is { } pointOfCare)
        {
            fields.Set("ordering_department", pointOfCare);
        }

        return true;
    }

    private static bool ReadOrder(Hl7Message message, OrderGroup group, TimeZoneInfo zone, Fields fields, out string orderId, out Hl7Problem? problem)
    {
        var (orc, obr) = (group.Orc, group.Obr);
        orderId = orc?.Value(2, 1) ?? obr.Value(2, 1) ?? "";
        if (orderId.Length == 0)
        {
            problem = new Hl7Problem("ORC", 2, "no placer order number (ORC-2, else OBR-2)", Hl7Problem.RequiredFieldMissing);
            return false;
        }

        fields.Set("order_id", orderId);
        var ipc = group.Details.FirstOrDefault(s => s.Id == "IPC");
        if ((orc?.Value(3, 1) ?? obr.Value(3, 1) ?? ipc?.Value(1, 1)) is { } accession)
        {
            fields.Set("accession", accession);
        }

        if (!ReadTime(orc, 9, zone, fields, "ordered_at", out problem) || !ReadTime(obr, 6, zone, fields, "ordered_at", out problem))
        {
            return false;
        }

        if (!fields.Has("ordered_at"))
        {
            // No order time in ORC-9 or OBR-6: the time the message was sent stands in until a message gives one.
            if (!ReadTime(message.Header, 7, zone, fields, "ordered_at", out problem))
            {
                return false;
            }

            fields.MarkProvisional("ordered_at");
        }

        var resultStatus = obr.Value(25)?.ToUpperInvariant();
        var orderControl = orc?.Value(1)?.ToUpperInvariant();
        var orderStatus = orc?.Value(5)?.ToUpperInvariant();
        var performed = resultStatus is "P" or "C" or "F" || orderStatus == "CM";
        if (performed && !ReadTime(obr, 7, zone, fields, "performed_at", out problem))
        {
            return false;
        }

        fields.Set("status", orderControl is "CA" or "OC" or "CR" or "DC" || orderStatus is "CA" or "DC" || resultStatus == "X"
            ? "cancelled"
            : performed ? "completed"
            : orderStatus == "SC" ? "scheduled"
            : orderStatus == "IP" ? "in-progress"
            : orderStatus == "HD" ? "on-hold"
            : "ordered");

        var procedureCode = obr.Value(4, 1);
        var procedureName = obr.Value(4, 2) ?? procedureCode;
        if (procedureName is null)
        {
            problem = new Hl7Problem("OBR", 4, "no procedure", Hl7Problem.RequiredFieldMissing);
            return false;
        }

        if (procedureCode is not null)
        {
            fields.Set("procedure_code", procedureCode);
        }

        fields.Set("procedure_name", procedureName);
        if (Indication(obr) is { } indication)
        {
            fields.Set("indication", indication);
        }

        var codes = group.Details.Where(s => s.Id == "DG1" && IsIcd10(s)).Select(s => s.Value(3, 1)).OfType<string>().ToList();
        if (codes.Count > 0)
        {
            fields.TryNormalize("reason_codes", string.Join(';', codes), out _);
        }

        if ((orc?.Value(12, 1) ?? obr.Value(16, 1) ?? NameOf(orc, 12) ?? NameOf(obr, 16)) is { } provider)
        {
            fields.Set("ordering_provider", provider);
        }

        if (!fields.Has("ordering_department") && (orc?.Value(17, 2) ?? orc?.Value(17, 1)) is { } department)
        {
            fields.Set("ordering_department", department);
        }

        problem = null;
        return true;
    }

    // OBR-31 (reason for study): each repetition's text, else its identifier; else OBR-13 (relevant clinical info).
    private static string? Indication(Hl7Segment obr)
    {
        var reasons = obr.RepetitionNumbers(31).Select(r => obr.Value(31, 2, repetition: r) ?? obr.Value(31, 1, repetition: r)).OfType<string>().ToList();
        return reasons.Count > 0 ? string.Join("; ", reasons) : obr.Value(13);
    }

    private static bool IsIcd10(Hl7Segment dg1) =>
        dg1.Value(3, 3) is { } system ? _icd10Systems.Contains(system) : dg1.Value(2) is { } method && _icd10Systems.Contains(method);

    // When the identifier component is empty, the name (family, given) still says who ordered.
    private static string? NameOf(Hl7Segment? segment, int field) =>
        segment?.Value(field, 2) is { } family ? segment.Value(field, 3) is { } given ? $"{family}, {given}" : family : null;

    private static bool ReadTime(Hl7Segment? segment, int field, TimeZoneInfo zone, Fields fields, string column, out Hl7Problem? problem)
    {
        problem = null;
        if (fields.Has(column) || segment?.Value(field, 1) is not { } raw)
        {
            return true;
        }

        if (!Hl7Time.TryParseDateTime(raw, zone, out var value, out var error))
        {
            problem = new Hl7Problem(segment.Id, field, error!);
            return false;
        }

        fields.Set(column, value!);
        return true;
    }

    private static bool ReadReport(OrderGroup group, TimeZoneInfo zone, string orderId, Fields order, out Hl7Report? report, out Hl7Problem? problem)
    {
        report = null;
        problem = null;
        var lines = group.Details
            .Where(s => s.Id == "OBX" && s.Value(2) is { } type && _reportValueTypes.Contains(type))
            .Select((segment, index) => (segment, index, setId: int.TryParse(segment.Value(1), out var n) ? n : int.MaxValue))
            .OrderBy(l => l.setId).ThenBy(l => l.index)
            .Select(l => string.Join('\n', l.segment.RepetitionNumbers(5).Select(r => l.segment.Value(5, repetition: r)).OfType<string>()))
            .Where(text => text.Length > 0 && !IsDicomUid(text))
            .ToList();
        if (lines.Count == 0)
        {
            return true;
        }

        string? finalizedAt = null;
        if (group.Obr.Value(22) is { } raw && !Hl7Time.TryParseDateTime(raw, zone, out finalizedAt, out var error))
        {
            problem = new Hl7Problem("OBR", 22, error!);
            return false;
        }

        order.Values.TryGetValue("accession", out var accession);
        report = new Hl7Report(orderId, accession, string.Join('\n', lines), finalizedAt);
        return true;
    }

    // A DICOM SR mapped to HL7 (IHE RAD TF-2 4.128) sends the study, series and SR instance UIDs as ST lines: they
    // identify the images and are not words a radiologist wrote, so they stay out of the report text (and out of
    // the findings suggested from it). DICOM PS3.5 9.1: at most 64 characters, digits and dots, no leading zeros;
    // four components at least (every registered root has them), so a bare "3.5" or "2.5.1" stays text.
    private static bool IsDicomUid(string text) => text.Length <= 64 && DicomUid().IsMatch(text);

    [GeneratedRegex(@"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){3,}$", RegexOptions.CultureInvariant)]
    private static partial Regex DicomUid();

    /// <summary>The canonical columns one order has been given so far, normalised as import normalises them.</summary>
    private sealed class Fields
    {
        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Provisional { get; } = new(StringComparer.Ordinal);

        public Fields Copy()
        {
            var copy = new Fields();
            foreach (var (key, value) in Values)
            {
                copy.Values[key] = value;
            }

            return copy;
        }

        public bool Has(string column) => Values.ContainsKey(column);

        public void Set(string column, string value) => Values[column] = value;

        public void MarkProvisional(string column) => Provisional.Add(column);

        public bool TryNormalize(string column, string raw, out string? error)
        {
            var definition = CanonicalTable.Orders.Columns[CanonicalTable.Orders.IndexOf(column)];
            if (!CanonicalValues.TryNormalize(definition, raw, out var value, out error))
            {
                return false;
            }

            if (value is not null)
            {
                Values[column] = value;
            }

            return true;
        }
    }
}
