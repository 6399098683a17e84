using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;

namespace ImagingValue.Import.Fhir;

public sealed partial class FhirImporter
{
    /// <summary>
    /// What the resources of one import give, kept until every file is read: orders, conditions and reports by
    /// reference (<c>Type/id</c>), the earliest performed time and the accession of every ServiceRequest named by an
    /// ImagingStudy, Procedure or DiagnosticReport, in the import's scratch (the store's, not the heap: memory stays
    /// flat however many orders an export holds); patients and requesters, which orders share, in memory.
    /// </summary>
    private sealed partial class Export(TimeZoneInfo zone, ErrorLog errors, IImportScratch scratch)
    {
        private readonly Dictionary<string, long> _read = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _skipped = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);
        private readonly Dictionary<string, PatientFacts> _patients = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string?> _practitioners = new(StringComparer.Ordinal);
        private readonly Dictionary<string, RoleFacts> _roles = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string?> _organizations = new(StringComparer.Ordinal);
        private readonly HashSet<string> _absoluteUris = new(StringComparer.Ordinal);
        private readonly Drafts _drafts = new();
        private long _events;
        private long _reports;

        public IReadOnlyDictionary<string, long> Read => _read;

        public IReadOnlyDictionary<string, long> Skipped => _skipped;

        public long NotOrders { get; private set; }

        public void CountRead(string type) => _read[type] = _read.GetValueOrDefault(type) + 1;

        public void CountSkipped(string type) => _skipped[type] = _skipped.GetValueOrDefault(type) + 1;

        /// <summary>A Bundle entry's <c>fullUrl</c> (often <c>urn:uuid:…</c>), which other entries may refer to.</summary>
        public void Alias(string fullUrl, string type, string id) => _aliases[fullUrl] = $"{type}/{id}";

        public void Add(Where at, Resource resource)
        {
            var key = $"{resource.TypeName}/{resource.Id}";
            switch (resource)
            {
                case ServiceRequest request:
                    AddOrder(at, key, request);
                    break;
                case Patient patient:
                    _patients[key] = new PatientFacts(
                        IdentifierOfType(patient.Identifier, "MR") ?? patient.Id!,
                        Pooled(patient.Gender?.ToString().ToLowerInvariant()),
                        patient.BirthDate is { } birth && Time(at, "birthDate", birth, dateOnly: true, out var day) ? day : null);
                    break;
                case Practitioner practitioner:
                    _practitioners[key] = practitioner.Identifier.Select(i => i.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
                    break;
                case PractitionerRole role:
                    _roles[key] = new RoleFacts(Target(role.Practitioner), role.Practitioner?.Display, Target(role.Organization), role.Organization?.Display);
                    break;
                case Organization organization:
                    _organizations[key] = organization.Name;
                    break;
                case Condition condition:
                    AddCondition(at, key, condition);
                    break;
                case ImagingStudy study:
                    AddEvent(at, study.BasedOn, "started", study.Started, IdentifierOfType(study.Identifier, "ACSN"));
                    break;
                case Procedure procedure:
                    AddEvent(at, procedure.BasedOn, "performed", Start(procedure.Performed), null);
                    break;
                case DiagnosticReport report:
                    AddReport(at, report);
                    break;
            }
        }

        private void AddOrder(Where at, string key, ServiceRequest request)
        {
            if (request.Status == RequestStatus.Draft)
            {
                NotOrders++;
                return;
            }

            if (Target(request.Subject) is not { } subject)
            {
                errors.Add(at.Error("subject: missing (an order needs its Patient)"));
                return;
            }

            string? authored = null;
            if (request.AuthoredOn is { } authoredOn && !Time(at, "authoredOn", authoredOn, dateOnly: false, out authored))
            {
                return;
            }

            if (!TryCodes(at, "reasonCode", request.ReasonCode, out var reasonCodes))
            {
                return;
            }

            var coding = request.Code?.Coding.FirstOrDefault();
            var reasonTexts = request.ReasonCode.Select(c => c.Text).Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
            scratch.Put(Kinds.Orders, key, _drafts.Of(new OrderDraft(
                at,
                IdentifierOfType(request.Identifier, "PLAC") ?? request.Id!,
                IdentifierOfType(request.Identifier, "ACSN"),
                authored,
                request.Status,
                coding?.Code,
                request.Code?.Text ?? coding?.Display,
                reasonTexts.Count == 0 ? null : string.Join("; ", reasonTexts),
                reasonCodes,
                request.ReasonReference.Count == 0 ? null : request.ReasonReference.Select(r => Target(r) ?? "?").ToList(),
                Target(request.Requester),
                request.Requester?.Display,
                subject)));
        }

        private void AddCondition(Where at, string key, Condition condition)
        {
            if (Target(condition.Subject) is not { } subject)
            {
                errors.Add(at.Error("subject: missing (a condition needs its Patient)"));
                return;
            }

            if (!TryCodes(at, "code", condition.Code is null ? [] : [condition.Code], out var icd))
            {
                return;
            }

            var codings = condition.Code?.Coding.Where(c => !string.IsNullOrWhiteSpace(c.Code)).ToList() ?? [];
            var chosen = codings.FirstOrDefault(c => c.System == Icd10Cm) ?? codings.FirstOrDefault(c => c.System == Snomed) ?? codings.FirstOrDefault();
            if (chosen is null)
            {
                errors.Add(at.Error("code: no coding with a code"));
                return;
            }

            string? onset = null, recorded = null, abatement = null;
            if ((Start(condition.Onset) is { } onsetText && !Time(at, "onset", onsetText, dateOnly: true, out onset))
                || (condition.RecordedDate is { } recordedText && !Time(at, "recordedDate", recordedText, dateOnly: true, out recorded))
                || (Start(condition.Abatement) is { } abatementText && !Time(at, "abatement", abatementText, dateOnly: true, out abatement)))
            {
                return;
            }

            scratch.Put(Kinds.Conditions, key, _drafts.Of(new ConditionDraft(
                at,
                condition.Id!,
                subject,
                chosen.Code!,
                chosen.System switch { Icd10Cm => "ICD-10-CM", Snomed => "SNOMED CT", _ => chosen.System },
                chosen.Display ?? condition.Code!.Text,
                onset,
                recorded,
                condition.ClinicalStatus?.Coding.FirstOrDefault()?.Code,
                abatement,
                icd)));
        }

        private void AddEvent(Where at, List<ResourceReference> basedOn, string field, string? time, string? accession)
        {
            string? local = null;
            if (time is not null && !Time(at, field, time, dateOnly: false, out local))
            {
                return;
            }

            foreach (var order in basedOn.Select(Target).OfType<string>().Where(t => t.StartsWith("ServiceRequest/", StringComparison.Ordinal)))
            {
                scratch.Put(Kinds.Events, Sequence(ref _events), _drafts.Of(at, order));
                if (local is not null && (Text(scratch.Get(Kinds.Performed, order)) is not { } earliest || string.CompareOrdinal(local, earliest) < 0))
                {
                    scratch.Put(Kinds.Performed, order, Encoding.UTF8.GetBytes(local));
                }

                if (accession is not null && scratch.Get(Kinds.StudyAccessions, order) is null)
                {
                    scratch.Put(Kinds.StudyAccessions, order, Encoding.UTF8.GetBytes(accession));
                }
            }
        }

        private void AddReport(Where at, DiagnosticReport report)
        {
            var order = report.BasedOn.Select(Target).OfType<string>().FirstOrDefault(t => t.StartsWith("ServiceRequest/", StringComparison.Ordinal));
            if (order is null)
            {
                NotOrders++;
                return;
            }

            var text = ReportText(report);
            if (text is null)
            {
                errors.Add(at.Error("presentedForm, conclusion: no report text (presentedForm text/plain or text/html, or conclusion)"));
                return;
            }

            string? issued = null;
            if (report.IssuedElement?.Value is { } instant)
            {
                issued = TimeZoneInfo.ConvertTime(instant, zone).DateTime.ToString(CanonicalValues.DateTimeFormat, System.Globalization.CultureInfo.InvariantCulture);
            }

            AddEvent(at, report.BasedOn, "effective", Start(report.Effective), null);
            scratch.Put(Kinds.Reports, Sequence(ref _reports), _drafts.Of(new ReportDraft(at, order, text, issued)));
        }

        /// <summary>
        /// The canonical rows, every reference resolved, made one at a time as they are staged; a resource whose
        /// reference cannot be resolved is an error and gives no row.
        /// </summary>
        public IEnumerable<(CanonicalTable Table, StagedRow Row)> Resolve()
        {
            foreach (var (_, value) in scratch.Read(Kinds.Events))
            {
                var (at, order) = Drafts.Event(value);
                if (scratch.Get(Kinds.Orders, order) is null)
                {
                    errors.Add(at.Error($"basedOn: {order} is not in the import (or was rejected)"));
                }
            }

            foreach (var (key, value) in scratch.Read(Kinds.Conditions))
            {
                var condition = Drafts.Condition(value);
                if (Patient(condition.At, condition.Subject) is { } patient
                    && Row(condition.At, CanonicalTable.Conditions, [condition.Id, patient.PatientId, condition.Code, condition.System, condition.Description, condition.Onset, condition.Recorded, condition.ClinicalStatus, condition.Abatement]) is { } row)
                {
                    scratch.Put(Kinds.ConditionsAccepted, key, _drafts.Of(condition.IcdCodes));
                    yield return (CanonicalTable.Conditions, row);
                }
            }

            foreach (var (key, value) in scratch.Read(Kinds.Orders))
            {
                var order = Drafts.Order(value);
                if (Patient(order.At, order.Subject) is not { } patient || !Requester(order, out var provider, out var department))
                {
                    continue;
                }

                var codes = order.ReasonCodes ?? [];
                var referenced = order.ReasonReferences?.Select(r => (Reference: r, Codes: scratch.Get(Kinds.ConditionsAccepted, r))).ToList();
                var missing = referenced?.FirstOrDefault(r => r.Codes is null).Reference;
                if (missing is not null)
                {
                    errors.Add(order.At.Error($"reasonReference: {missing} is not in the import (or was rejected)"));
                    continue;
                }

                codes.AddRange(referenced?.SelectMany(r => Drafts.Texts(r.Codes!) ?? []) ?? []);
                var performed = Text(scratch.Get(Kinds.Performed, key));
                var accession = order.Accession ?? Text(scratch.Get(Kinds.StudyAccessions, key));
                var status = performed is not null && order.Status != RequestStatus.EnteredInError ? "completed" : order.Status switch
                {
                    RequestStatus.Completed => "completed",
                    RequestStatus.Revoked => "cancelled",
                    RequestStatus.Active => "ordered",
                    RequestStatus.OnHold => "on-hold",
                    RequestStatus.EnteredInError => "entered-in-error",
                    _ => null,
                };
                if (order.Name is null)
                {
                    errors.Add(order.At.Error("code: no text and no coding display (the procedure needs a name)"));
                    continue;
                }

                if (Row(order.At, CanonicalTable.Orders,
                    [order.OrderId, patient.PatientId, accession, order.AuthoredOn, performed, order.Code, order.Name, order.Indication,
                     codes.Count == 0 ? null : string.Join(";", codes.Distinct(StringComparer.Ordinal)), provider, department, patient.Sex, patient.BirthDate, status]) is { } row)
                {
                    if (_reports > 0)
                    {
                        scratch.Put(Kinds.OrdersAccepted, key, _drafts.Of(order.OrderId, accession));
                    }

                    yield return (CanonicalTable.Orders, row);
                }
            }

            foreach (var (_, value) in scratch.Read(Kinds.Reports))
            {
                var report = Drafts.Report(value);
                if (scratch.Get(Kinds.OrdersAccepted, report.Order) is not { } accepted)
                {
                    if (scratch.Get(Kinds.Orders, report.Order) is not null)
                    {
                        // A missing order was reported above, with the other basedOn references.
                        errors.Add(report.At.Error($"basedOn: {report.Order} was rejected"));
                    }

                    continue;
                }

                var (orderId, accession) = Drafts.Pair(accepted);
                if (Row(report.At, CanonicalTable.Reports, [orderId, accession, report.Text, report.Issued]) is { } row)
                {
                    yield return (CanonicalTable.Reports, row);
                }
            }
        }

        /// <summary>Where the <paramref name="number"/>th staged row came from, for the messages about conflicting keys.</summary>
        public void Staged(int number, Where at) => scratch.Put(Kinds.Staged, number.ToString(CultureInfo.InvariantCulture), _drafts.Of(at));

        public Where StagedAt(int number) => Drafts.Where(scratch.Get(Kinds.Staged, number.ToString(CultureInfo.InvariantCulture))!);

        private static string Sequence(ref long counter) => (++counter).ToString(CultureInfo.InvariantCulture);

        private static string? Text(byte[]? value) => value is null ? null : Encoding.UTF8.GetString(value);

        private PatientFacts? Patient(Where at, string subject)
        {
            if (_patients.TryGetValue(subject, out var patient))
            {
                return patient;
            }

            errors.Add(at.Error($"subject: {subject} is not in the import{(subject.StartsWith("Patient/", StringComparison.Ordinal) ? " (or was rejected)" : " (the subject must be a Patient)")}"));
            return null;
        }

        /// <summary>The ordering provider and department from the requester (Practitioner, PractitionerRole or Organization).</summary>
        private bool Requester(OrderDraft order, out string? provider, out string? department)
        {
            provider = department = null;
            if (order.Requester is not { } requester)
            {
                provider = order.RequesterDisplay;
                return true;
            }

            string? Missing(string what, string? display)
            {
                if (display is null)
                {
                    errors.Add(order.At.Error($"requester: {what} is not in the import (and the reference has no display)"));
                }

                return display;
            }

            switch (requester.Split('/')[0])
            {
                case "Practitioner":
                    provider = _practitioners.TryGetValue(requester, out var id) ? id ?? order.RequesterDisplay : Missing(requester, order.RequesterDisplay);
                    return provider is not null || _practitioners.ContainsKey(requester);
                case "PractitionerRole" when _roles.TryGetValue(requester, out var role):
                    provider = role.Practitioner is { } practitioner && _practitioners.TryGetValue(practitioner, out var roleId) ? roleId ?? role.PractitionerDisplay : role.PractitionerDisplay ?? order.RequesterDisplay;
                    department = role.Organization is { } organization && _organizations.TryGetValue(organization, out var name) ? name ?? role.OrganizationDisplay : role.OrganizationDisplay;
                    return true;
                case "PractitionerRole":
                    provider = Missing(requester, order.RequesterDisplay);
                    return provider is not null;
                case "Organization":
                    department = _organizations.TryGetValue(requester, out var orgName) ? orgName ?? order.RequesterDisplay : Missing(requester, order.RequesterDisplay);
                    return department is not null || _organizations.ContainsKey(requester);
                default:
                    provider = order.RequesterDisplay;
                    return true;
            }
        }

        /// <summary>Checks and normalises a row as a CSV import would; a bad value is an error naming the canonical column.</summary>
        private StagedRow? Row(Where at, CanonicalTable table, string?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (!CanonicalValues.TryNormalize(table.Columns[i], values[i], out values[i], out var problem))
                {
                    errors.Add(at.Error($"{table.Columns[i].Name}: {problem}"));
                    return null;
                }
            }

            return new StagedRow(at, values);
        }

        /// <summary>The ICD-10-CM codes of some concepts; a coding whose system is not a URI is an error (the code cannot be read).</summary>
        private bool TryCodes(Where at, string field, IEnumerable<CodeableConcept> concepts, out List<string>? icd)
        {
            icd = null;
            foreach (var coding in concepts.SelectMany(c => c.Coding))
            {
                if (string.IsNullOrWhiteSpace(coding.Code))
                {
                    continue;
                }

                if (coding.System is null || !IsAbsoluteUri(coding.System))
                {
                    errors.Add(at.Error($"{field}: code '{coding.Code}' has {(coding.System is null ? "no code system" : $"an unknown code system '{coding.System}' (a system is a URI, e.g. {Icd10Cm})")}"));
                    return false;
                }

                if (coding.System == Icd10Cm)
                {
                    (icd ??= []).Add(coding.Code);
                }
            }

            return true;
        }

        /// <summary>Whether a code system is an absolute URI; the few an export uses are parsed once, not on every coding.</summary>
        private bool IsAbsoluteUri(string system)
        {
            if (_absoluteUris.Contains(system))
            {
                return true;
            }

            if (!Uri.TryCreate(system, UriKind.Absolute, out _))
            {
                return false;
            }

            if (_absoluteUris.Count < 10_000)
            {
                _absoluteUris.Add(system);
            }

            return true;
        }

        private bool Time(Where at, string field, string value, bool dateOnly, out string? canonical)
        {
            var ok = dateOnly ? FhirTime.TryParseDate(value, zone, out canonical, out var error) : FhirTime.TryParseDateTime(value, zone, out canonical, out error);
            if (!ok)
            {
                errors.Add(at.Error($"{field}: {error}"));
            }

            return ok;
        }

        /// <summary><c>Type/id</c> of a reference (relative, absolute or a Bundle's <c>urn:uuid:</c>), or null.</summary>
        private string? Target(ResourceReference? reference)
        {
            var text = reference?.Reference;
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (_aliases.TryGetValue(text, out var aliased))
            {
                return aliased;
            }

            var history = text.IndexOf("/_history/", StringComparison.Ordinal);
            var path = history >= 0 ? text.AsSpan(0, history) : text.AsSpan();
            var last = path.LastIndexOf('/');
            if (last < 0)
            {
                return text;
            }

            // Type/id: the last two segments (of a relative reference, which it already is when it has two, or of an absolute URL).
            var type = path[..last].LastIndexOf('/') + 1;
            return type == 0 && history < 0 ? text : string.Concat(path[type..last], "/", path[(last + 1)..]);
        }

        private static string? Start(DataType? value) => value switch
        {
            FhirDateTime dateTime => dateTime.Value,
            Period period => period.Start,
            _ => null,
        };

        /// <summary>The value of the first identifier of a v2-0203 type (loops, not LINQ: it runs twice for every order).</summary>
        private static string? IdentifierOfType(List<Identifier> identifiers, string type)
        {
            foreach (var identifier in identifiers)
            {
                if (identifier.Type is { } concept && !string.IsNullOrWhiteSpace(identifier.Value))
                {
                    foreach (var coding in concept.Coding)
                    {
                        if (coding.Code == type && (coding.System is null || coding.System == IdentifierTypes))
                        {
                            return identifier.Value;
                        }
                    }
                }
            }

            return null;
        }

        private static string? ReportText(DiagnosticReport report)
        {
            foreach (var form in report.PresentedForm.Where(f => f.Data is { Length: > 0 }))
            {
                var type = form.ContentType?.Split(';')[0].Trim();
                if (type == "text/plain")
                {
                    return Encoding.UTF8.GetString(form.Data!);
                }

                if (type == "text/html")
                {
                    return WebUtility.HtmlDecode(MarkupTag().Replace(LineBreakTag().Replace(Encoding.UTF8.GetString(form.Data!), "\n"), string.Empty)).Trim();
                }
            }

            return string.IsNullOrWhiteSpace(report.Conclusion) ? null : report.Conclusion;
        }

        /// <summary>One copy of values that repeat across many resources (the patients' sex), to keep memory per patient small.</summary>
        private string? Pooled(string? value)
        {
            if (value is null)
            {
                return null;
            }

            if (_pool.TryGetValue(value, out var pooled))
            {
                return pooled;
            }

            if (_pool.Count < 100_000)
            {
                _pool[value] = value;
            }

            return value;
        }

        [GeneratedRegex("<[^>]*>")]
        private static partial Regex MarkupTag();

        [GeneratedRegex(@"<br\s*/?>|</p>|</div>|</li>", RegexOptions.IgnoreCase)]
        private static partial Regex LineBreakTag();
    }

    private sealed record OrderDraft(
        Where At, string OrderId, string? Accession, string? AuthoredOn, RequestStatus? Status, string? Code, string? Name, string? Indication,
        List<string>? ReasonCodes, List<string>? ReasonReferences, string? Requester, string? RequesterDisplay, string Subject);

    private sealed record PatientFacts(string PatientId, string? Sex, string? BirthDate);

    private sealed record RoleFacts(string? Practitioner, string? PractitionerDisplay, string? Organization, string? OrganizationDisplay);

    private sealed record ConditionDraft(
        Where At, string Id, string Subject, string Code, string? System, string? Description, string? Onset, string? Recorded, string? ClinicalStatus, string? Abatement, List<string>? IcdCodes);

    private sealed record ReportDraft(Where At, string Order, string Text, string? Issued);
}
