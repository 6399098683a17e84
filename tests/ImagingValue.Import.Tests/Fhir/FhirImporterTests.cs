using System.Text;
using System.Text.Json;
using ImagingValue.Core.Data;
using ImagingValue.Import.Fhir;
using ImagingValue.Import.Tests.Support;

namespace ImagingValue.Import.Tests.Fhir;

/// <summary><c>import --fhir</c> on a real workspace: the mapping of contracts section 7, the public Synthea export, and bad input.</summary>
public class FhirImporterTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Ndjson(params string[] lines) => string.Join("\n", lines) + "\n";

    private static string Typed(string code) =>
        $$"""{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"{{code}}"}]}""";

    // ImagingStudy and Procedure come before the ServiceRequests they are based on (file order), the people after them.
    private static readonly string Studies = Ndjson(
        $$"""{"resourceType":"ImagingStudy","id":"is1","status":"available","subject":{"reference":"Patient/p1"},"basedOn":[{"reference":"ServiceRequest/sr1"}],"started":"2016-09-07T09:00:00-04:00"}""",
        $$"""{"resourceType":"ImagingStudy","id":"is2","status":"available","subject":{"reference":"Patient/p1"},"identifier":[{{Typed("ACSN")}},"value":"ACC-STUDY-2"}],"basedOn":[{"reference":"ServiceRequest/sr2"}]}""");

    private static readonly string Procedures = Ndjson(
        """{"resourceType":"Procedure","id":"pr-1","status":"completed","subject":{"reference":"Patient/p1"},"basedOn":[{"reference":"ServiceRequest/sr1"}],"performedPeriod":{"start":"2016-09-07T08:30:00-04:00"}}""",
        """{"resourceType":"Procedure","id":"pr-2","status":"completed","subject":{"reference":"Patient/p1"},"performedDateTime":"2016-09-01"}""");

    private static readonly string Requests = Ndjson(
        $$"""{"resourceType":"ServiceRequest","id":"sr1","identifier":[{{Typed("PLAC")}},"value":"PL-1"},{{Typed("ACSN")}},"value":"ACC-1"}],"status":"active","intent":"order","code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"72195","display":"MRI pelvis"}],"text":"MRI SACRUM WO"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-09-06T13:59:00-04:00","requester":{"reference":"PractitionerRole/r1"},"reasonCode":[{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M54.5"}],"text":"low back pain"},{"coding":[{"system":"http://snomed.info/sct","code":"279039007"}],"text":"no red flags"}],"reasonReference":[{"reference":"Condition/c1"}]}""",
        """{"resourceType":"ServiceRequest","id":"sr2","status":"revoked","intent":"order","code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"72148","display":"MRI lumbar spine wo contrast"}]},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-09-06","requester":{"reference":"Practitioner/pr1"}}""",
        """{"resourceType":"ServiceRequest","id":"sr3","status":"on-hold","intent":"order","code":{"text":"XR LUMBAR"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-09-06T10:00:00-04:00","requester":{"reference":"Organization/o1"}}""",
        """{"resourceType":"ServiceRequest","id":"sr4","status":"draft","intent":"order","code":{"text":"CT HEAD"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-09-06T10:00:00Z"}""",
        """{"resourceType":"ServiceRequest","id":"sr5","status":"completed","intent":"order","code":{"text":"CT HEAD"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-09-06T12:00:00Z","requester":{"display":"Dr Display"}}""",
        """{"resourceType":"ServiceRequest","id":"sr6","status":"entered-in-error","intent":"order","code":{"text":"CT HEAD"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-09-06T12:00:00Z"}""",
        """{"resourceType":"ServiceRequest","id":"sr7","status":"active","intent":"order","code":{"text":"MRI L-SPINE"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-09-06T12:00:00Z"}""");

    private static readonly string Reports = Ndjson(
        $$"""{"resourceType":"DiagnosticReport","id":"dr1","status":"final","code":{"text":"MRI"},"basedOn":[{"reference":"ServiceRequest/sr1"}],"effectiveDateTime":"2016-09-07T08:00:00-04:00","issued":"2016-09-07T14:00:00Z","presentedForm":[{"contentType":"text/html","data":"{{Base64("<p>No acute findings.</p><p>Mild &amp; stable.</p>")}}"}]}""",
        """{"resourceType":"DiagnosticReport","id":"dr2","status":"final","code":{"text":"MRI"},"basedOn":[{"reference":"ServiceRequest/sr2"}],"conclusion":"Not performed."}""",
        """{"resourceType":"DiagnosticReport","id":"dr3","status":"final","code":{"text":"CBC"},"conclusion":"Normal."}""");

    // Not a Bulk Data type name: a file of any types, read after the ServiceRequests that refer to its resources.
    private static readonly string People = Ndjson(
        $$"""{"resourceType":"Patient","id":"p1","identifier":[{{Typed("SS")}},"value":"999-99-9999"},{{Typed("MR")}},"value":"MRN-1"}],"gender":"female","birthDate":"1970-01-02"}""",
        """{"resourceType":"Practitioner","id":"pr1","identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"1234567890"}]}""",
        """{"resourceType":"PractitionerRole","id":"r1","practitioner":{"reference":"Practitioner/pr1"},"organization":{"reference":"Organization/o1"}}""",
        """{"resourceType":"Organization","id":"o1","name":"Spine Clinic"}""",
        """{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"}}""",
        """{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"279039007","display":"Low back pain"},{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M54.16","display":"Radiculopathy, lumbar region"}]},"onsetPeriod":{"start":"2016-08-01T23:30:00-04:00"},"recordedDate":"2016-08-02","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"resolved"}]},"abatementDateTime":"2016-10-01"}""",
        """{"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/p1"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"363346000","display":"Malignant neoplastic disease"}]},"onsetDateTime":"2010-05-05","clinicalStatus":{"coding":[{"code":"active"}]}}""",
        """{"resourceType":"Condition","id":"c3","subject":{"reference":"Patient/p1"},"code":{"coding":[{"system":"http://example.org/local-codes","code":"LBP-7"}],"text":"local back code"}}""");

    private static string Export(TempWorkspace ws)
    {
        Directory.CreateDirectory(Path.Combine(ws.Directory, "export"));
        ws.File("export/ImagingStudy.ndjson", Studies);
        ws.File("export/Procedure.ndjson", Procedures);
        ws.File("export/ServiceRequest.ndjson", Requests);
        ws.File("export/DiagnosticReport.ndjson", Reports);
        ws.File("export/zz-people.ndjson", People);
        return Path.Combine(ws.Directory, "export");
    }

    private static Task<FhirImportReport> ImportAsync(TempWorkspace ws, TimeZoneInfo zone, bool strict, params string[] paths)
    {
        var (sources, problems) = FhirSources.Resolve(paths, FhirImporter.IsResourceType);
        Assert.Empty(problems);
        return new FhirImporter(ws.Store.Imports, zone).ImportAsync(sources, strict, Path.Combine(ws.Rejects, "fhir.rejects.txt"), Ct);
    }

    [Fact]
    public void AFolderWithoutManifest_TheExportLogIsNotRead_AndSaidSo()
    {
        using var ws = new TempWorkspace();
        var folder = Export(ws);
        ws.File("export/log.ndjson", "{\"exportId\": \"export-10\", \"eventId\": \"kickoff\", \"timestamp\": \"2024-08-06T14:11:57-04:00\"}\n");
        var notRead = new List<string>();

        var (sources, problems) = FhirSources.Resolve([folder], FhirImporter.IsResourceType, notRead);

        Assert.Empty(problems);
        Assert.Equal(["log.ndjson"], notRead.Select(Path.GetFileName));
        Assert.Equal(5, sources.Count);
        Assert.DoesNotContain(sources, s => s.Path.EndsWith("log.ndjson", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryRowOfTheMapping_FromResourcesInAnyOrderAndFile()
    {
        using var ws = new TempWorkspace();

        var report = await ImportAsync(ws, NewYork, strict: false, Export(ws));

        Assert.Empty(report.ErrorsKept);
        Assert.Equal(1, report.Skipped["Encounter"]);
        Assert.Equal(2, report.NotOrders); // sr4 (draft) and dr3 (based on no order)
        var orders = (await ws.Store.Data.GetOrdersAsync(Ct)).ToDictionary(o => o.OrderId);
        Assert.Equal(["PL-1", "sr2", "sr3", "sr5", "sr6", "sr7"], orders.Keys.Order(StringComparer.Ordinal));

        var sr1 = orders["PL-1"];
        Assert.Equal(("MRN-1", "ACC-1"), (sr1.PatientId, sr1.Accession));
        Assert.Equal(new DateTime(2016, 9, 6, 13, 59, 0), sr1.OrderedAt); // -04:00 is New York's own offset: the local time stays
        Assert.Equal(new DateTime(2016, 9, 7, 8, 0, 0), sr1.PerformedAt); // the earliest of study 09:00, procedure 08:30, report 08:00
        Assert.Equal(OrderStatus.Completed, sr1.Status);
        Assert.Equal(("72195", "MRI SACRUM WO"), (sr1.ProcedureCode, sr1.ProcedureName));
        Assert.Equal("low back pain; no red flags", sr1.Indication);
        Assert.Equal(["M54.5", "M54.16"], sr1.ReasonCodes);
        Assert.Equal(("1234567890", "Spine Clinic"), (sr1.OrderingProvider, sr1.OrderingDepartment));
        Assert.Equal((PatientSex.Female, new DateOnly(1970, 1, 2)), (sr1.Sex, sr1.BirthDate));

        var sr2 = orders["sr2"];
        Assert.Equal(("ACC-STUDY-2", OrderStatus.Cancelled, "MRI lumbar spine wo contrast"), (sr2.Accession, sr2.Status, sr2.ProcedureName));
        Assert.Equal(("1234567890", (string?)null), (sr2.OrderingProvider, sr2.OrderingDepartment));
        Assert.Equal(new DateTime(2016, 9, 6), sr2.OrderedAt);
        Assert.Equal((OrderStatus.OnHold, (string?)null, "Spine Clinic"), (orders["sr3"].Status, orders["sr3"].OrderingProvider, orders["sr3"].OrderingDepartment));
        Assert.Equal(new DateTime(2016, 9, 6, 10, 0, 0), orders["sr3"].OrderedAt);
        Assert.Equal((OrderStatus.Completed, "Dr Display"), (orders["sr5"].Status, orders["sr5"].OrderingProvider));
        Assert.Equal(new DateTime(2016, 9, 6, 8, 0, 0), orders["sr5"].OrderedAt); // 12:00Z is 08:00 in New York
        Assert.Equal(OrderStatus.EnteredInError, orders["sr6"].Status);
        Assert.Equal(OrderStatus.Ordered, orders["sr7"].Status);

        var conditions = (await ws.Store.Data.GetConditionsAsync(Ct)).OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                ("LBP-7", "http://example.org/local-codes", "local back code", (DateOnly?)null, (DateOnly?)null, (DateOnly?)null),
                ("M54.16", "ICD-10-CM", "Radiculopathy, lumbar region", new DateOnly(2016, 8, 1), new DateOnly(2016, 8, 2), new DateOnly(2016, 10, 1)),
                ("363346000", "SNOMED CT", "Malignant neoplastic disease", new DateOnly(2010, 5, 5), null, null),
            ],
            conditions.Select(c => (c.Code, c.CodeSystem, c.Description, c.OnsetDate, c.RecordedDate, c.AbatementDate)).OrderBy(c => c.Code == "363346000").ToList());
        Assert.All(conditions, c => Assert.Equal("MRN-1", c.PatientId));
        Assert.Equal("resolved", conditions.Single(c => c.Code == "M54.16").ClinicalStatus);

        var reports = (await ws.Store.Data.GetReportsAsync(Ct)).OrderBy(r => r.OrderId, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [("PL-1", "ACC-1", "No acute findings.\nMild & stable.", (DateTime?)new DateTime(2016, 9, 7, 10, 0, 0)), ("sr2", "ACC-STUDY-2", "Not performed.", null)],
            reports.Select(r => (r.OrderId, r.Accession, r.ReportText, r.FinalizedAt)).ToList());
        Assert.Contains("2016-09-06T13:59:00", ws.Snapshot(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameExportAgain_ChangesNothing()
    {
        using var ws = new TempWorkspace();
        var export = Export(ws);
        var first = await ImportAsync(ws, NewYork, strict: false, export);
        var before = ws.Snapshot();

        var again = await ImportAsync(ws, NewYork, strict: false, export);

        Assert.Equal(new Core.Storage.ImportCounts(6, 0, 0), first.Counts!["orders"]);
        Assert.Equal(new Core.Storage.ImportCounts(0, 0, 6), again.Counts!["orders"]);
        Assert.Equal(new Core.Storage.ImportCounts(0, 0, 3), again.Counts!["conditions"]);
        Assert.Equal(before.Split('\n').Length, ws.Snapshot().Split('\n').Length);
    }

    [Fact]
    public async Task ABundle_WithUrnUuidReferences_AndABulkManifest()
    {
        using var ws = new TempWorkspace();
        const string patient = "urn:uuid:6f1c2a3e-9a47-4a7c-9d3e-1b2c3d4e5f60";
        var bundle = ws.File("bundle.json", $$$"""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"fullUrl":"urn:uuid:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","resource":{"resourceType":"ServiceRequest","id":"b1","status":"active","intent":"order","code":{"text":"MRI SACRUM"},"subject":{"reference":"{{{patient}}}"},"authoredOn":"2016-03-07T14:09:00Z"}},
              {"fullUrl":"{{{patient}}}","resource":{"resourceType":"Patient","id":"bp","gender":"male"}}
            ]}
            """);
        Directory.CreateDirectory(Path.Combine(ws.Directory, "bulk"));
        ws.File("bulk/output-1.ndjson", Ndjson("""{"resourceType":"Condition","id":"bc","subject":{"reference":"Patient/bp"},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M54.50"}]}}"""));
        ws.File("bulk/manifest.json", """{"transactionTime":"2016-03-08T00:00:00Z","output":[{"type":"Condition","url":"https://ehr.example.org/bulk/files/output-1.ndjson"}]}""");

        var report = await ImportAsync(ws, TimeZoneInfo.Utc, strict: false, bundle, Path.Combine(ws.Directory, "bulk"));

        Assert.Empty(report.ErrorsKept);
        var order = Assert.Single(await ws.Store.Data.GetOrdersAsync(Ct));
        Assert.Equal(("b1", "bp", PatientSex.Male, new DateTime(2016, 3, 7, 14, 9, 0)), (order.OrderId, order.PatientId, order.Sex, order.OrderedAt));
        Assert.Equal(("bp", "M54.50"), Assert.Single(await ws.Store.Data.GetConditionsAsync(Ct)) is var c ? (c.PatientId, c.Code) : default);
    }

    [Fact]
    public async Task TheMalformedCorpus_EachAClearLine_NothingOfThemStored_TheRestStored()
    {
        using var ws = new TempWorkspace();
        Directory.CreateDirectory(Path.Combine(ws.Directory, "bad"));
        ws.File("bad/Patient.ndjson", Ndjson(
            """{"resourceType":"Patient","id":"p1","gender":"male"}""",
            """{"resourceType":"ServiceRequest","id":"wrong","status":"active","intent":"order","code":{"text":"MRI"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-01-01"}"""));
        ws.File("bad/mixed.ndjson", Ndjson(
            """{"resourceType":"ServiceRequest","id":"x1","status":""",
            """{"resourceType":"ServiceRequest","id":"nosubject","status":"active","intent":"order","code":{"text":"MRI"},"authoredOn":"2016-01-01"}""",
            """{"resourceType":"ServiceRequest","id":"ghost","status":"active","intent":"order","code":{"text":"MRI"},"subject":{"reference":"Patient/nobody"},"authoredOn":"2016-01-01"}""",
            """{"resourceType":"Condition","id":"badsystem","subject":{"reference":"Patient/p1"},"code":{"coding":[{"system":"ICD10","code":"M54.5"}]}}""",
            """{"resourceType":"DiagnosticReport","id":"orphan","status":"final","code":{"text":"MRI"},"basedOn":[{"reference":"ServiceRequest/missing"}],"conclusion":"x"}""",
            """{"resourceType":"ServiceRequest","id":"good","status":"active","intent":"order","code":{"text":"MRI"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-01-01","gender":"x"}""",
            """{"resourceType":"ServiceRequest","id":"fine","status":"active","intent":"order","code":{"text":"MRI"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-01-01"}"""));

        var report = await ImportAsync(ws, TimeZoneInfo.Utc, strict: false, Path.Combine(ws.Directory, "bad"));

        var errors = report.ErrorsKept.ToList();
        Assert.Contains("Patient.ndjson:2: ServiceRequest/wrong: resourceType: a ServiceRequest in a file of Patient resources", errors);
        Assert.Contains(errors, e => e.StartsWith("mixed.ndjson:1: ?: invalid JSON", StringComparison.Ordinal));
        Assert.Contains("mixed.ndjson:2: ServiceRequest/nosubject: subject: missing (an order needs its Patient)", errors);
        Assert.Contains("mixed.ndjson:3: ServiceRequest/ghost: subject: Patient/nobody is not in the import (or was rejected)", errors);
        Assert.Contains("mixed.ndjson:4: Condition/badsystem: code: code 'M54.5' has an unknown code system 'ICD10' (a system is a URI, e.g. http://hl7.org/fhir/sid/icd-10-cm)", errors);
        Assert.Contains("mixed.ndjson:5: DiagnosticReport/orphan: basedOn: ServiceRequest/missing is not in the import (or was rejected)", errors);
        Assert.Contains(errors, e => e.StartsWith("mixed.ndjson:6: ServiceRequest/good: not valid FHIR R4: ", StringComparison.Ordinal));
        Assert.Equal(7, errors.Count);
        Assert.Equal(errors.Order(StringComparer.Ordinal), File.ReadAllLines(report.RejectsPath!).Order(StringComparer.Ordinal));

        Assert.Equal(["fine"], (await ws.Store.Data.GetOrdersAsync(Ct)).Select(o => o.OrderId));
        Assert.Empty(await ws.Store.Data.GetConditionsAsync(Ct));
        Assert.Empty(await ws.Store.Data.GetReportsAsync(Ct));
    }

    [Fact]
    public async Task TwoRequestsGivingOneOrderIdWithDifferentData_BothNamedWithTheirLines_NeitherStored()
    {
        using var ws = new TempWorkspace();
        ws.File("dup.ndjson", Ndjson(
            """{"resourceType":"Patient","id":"p1"}""",
            $$"""{"resourceType":"ServiceRequest","id":"a","identifier":[{{Typed("PLAC")}},"value":"PL-9"}],"status":"active","intent":"order","code":{"text":"MRI"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-01-01"}""",
            """{"resourceType":"ServiceRequest","id":"fine","status":"active","intent":"order","code":{"text":"MRI"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-01-01"}""",
            $$"""{"resourceType":"ServiceRequest","id":"b","identifier":[{{Typed("PLAC")}},"value":"PL-9"}],"status":"active","intent":"order","code":{"text":"CT"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-01-01"}"""));

        var report = await ImportAsync(ws, TimeZoneInfo.Utc, strict: false, Path.Combine(ws.Directory, "dup.ndjson"));

        Assert.Equal(2, report.ErrorsKept.Count);
        Assert.StartsWith("dup.ndjson:2: ServiceRequest/a: ", report.ErrorsKept[0], StringComparison.Ordinal);
        Assert.StartsWith("dup.ndjson:4: ServiceRequest/b: ", report.ErrorsKept[1], StringComparison.Ordinal);
        Assert.All(report.ErrorsKept, e => Assert.EndsWith("'PL-9' is given with different data by dup.ndjson:2, dup.ndjson:4: none of them imported", e, StringComparison.Ordinal));
        Assert.Equal(["fine"], (await ws.Store.Data.GetOrdersAsync(Ct)).Select(o => o.OrderId));
    }

    [Fact]
    public async Task NdjsonWithByteOrderMarkCrlfBlankLinesAndNoFinalNewline_LinesNumberedAsAnEditorDoes()
    {
        using var ws = new TempWorkspace();
        var text = "\uFEFF" + string.Join("\r\n",
            """{"resourceType":"Patient","id":"p1"}""",
            "",
            """{"resourceType":"ServiceRequest","id":"ok","status":"active","intent":"order","code":{"text":"MRI"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-01-01"}""",
            "   ",
            """{"resourceType":"ServiceRequest","id":"bad","status":"active","intent":"order","code":{"text":"MRI"},"authoredOn":"2016-01-01"}""");
        var path = ws.File("crlf.ndjson", text);

        var report = await ImportAsync(ws, TimeZoneInfo.Utc, strict: false, path);

        Assert.Equal(["crlf.ndjson:5: ServiceRequest/bad: subject: missing (an order needs its Patient)"], report.ErrorsKept);
        Assert.Equal((1, 2), (report.Read["Patient"], report.Read["ServiceRequest"]));
        Assert.Equal(["ok"], (await ws.Store.Data.GetOrdersAsync(Ct)).Select(o => o.OrderId));
    }

    [Fact]
    public async Task ALineThatIsNotUtf8_AnErrorForThatLine_TheRestStored()
    {
        using var ws = new TempWorkspace();
        var good = Encoding.UTF8.GetBytes(Ndjson(
            """{"resourceType":"Patient","id":"p1"}""",
            """{"resourceType":"ServiceRequest","id":"ok","status":"active","intent":"order","code":{"text":"MRI"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-01-01"}"""));
        // Latin-1 "é" (0xE9) in a Windows-1252 export: not UTF-8.
        var latin1 = Encoding.Latin1.GetBytes("""{"resourceType":"ServiceRequest","id":"latin","status":"active","intent":"order","code":{"text":"IRM épaule"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-01-01"}""" + "\n");
        var path = ws.File("mixed.ndjson", [.. good, .. latin1]);

        var report = await ImportAsync(ws, TimeZoneInfo.Utc, strict: false, path);

        Assert.Equal(["mixed.ndjson:3: ?: invalid JSON: not UTF-8 text (NDJSON is UTF-8)"], report.ErrorsKept);
        Assert.Equal(["ok"], (await ws.Store.Data.GetOrdersAsync(Ct)).Select(o => o.OrderId));
    }

    [Fact]
    public async Task AFileOfManyBatches_ErrorsInFileOrder_TheLaterOfTwoRequestsWithOneIdWins()
    {
        // Lines are parsed a batch at a time while the batch before is applied: five batches' worth, with bad lines
        // in each and one request given twice, far apart, must come out as a sequential read would give them.
        using var ws = new TempWorkspace();
        static string Request(string id, string name, bool subject = true) =>
            $$"""{"resourceType":"ServiceRequest","id":"{{id}}","status":"active","intent":"order","code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"72195"}],"text":"{{name}}"},{{(subject ? "\"subject\":{\"reference\":\"Patient/p1\"}," : "")}}"authoredOn":"2016-01-01"}""";
        var lines = new List<string> { """{"resourceType":"Patient","id":"p1"}""" };
        var expected = new List<string>();
        for (var number = 2; number <= 320; number++)
        {
            if (number % 41 == 0)
            {
                lines.Add(Request($"bad{number}", "MRI", subject: false));
                expected.Add($"many.ndjson:{number}: ServiceRequest/bad{number}: subject: missing (an order needs its Patient)");
            }
            else
            {
                lines.Add(number switch { 7 => Request("twice", "MRI FIRST"), 300 => Request("twice", "CT LATER"), _ => Request($"o{number}", "MRI") });
            }
        }

        var report = await ImportAsync(ws, TimeZoneInfo.Utc, strict: false, ws.File("many.ndjson", Ndjson([.. lines])));

        Assert.Equal(expected, report.ErrorsKept);
        var orders = (await ws.Store.Data.GetOrdersAsync(Ct)).ToDictionary(o => o.OrderId);
        Assert.Equal(319 - expected.Count - 1, orders.Count);
        Assert.Equal("CT LATER", orders["twice"].ProcedureName);
    }

    [Fact]
    public async Task ACodeSystemOrCodeThatIsNotValidR4_RefusedEveryTime_EvenBesideValidOnesSeenBefore()
    {
        // The validator does not check again a code system or code it found valid; one it found invalid is checked,
        // and refused, every time it comes (here on both sides of a batch boundary, so on any thread).
        using var ws = new TempWorkspace();
        static string Request(string id, string system, string code) =>
            $$"""{"resourceType":"ServiceRequest","id":"{{id}}","status":"active","intent":"order","code":{"coding":[{"system":"{{system}}","code":"{{code}}"}],"text":"MRI"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-01-01"}""";
        const string Cpt = "http://www.ama-assn.org/go/cpt";
        var lines = new List<string> { """{"resourceType":"Patient","id":"p1"}""" };
        for (var i = 0; i < 150; i++)
        {
            lines.Add(Request($"o{i}", Cpt, "72195"));
        }

        var badLines = new[] { 20, 64, 65, 130 };
        lines[19] = Request("bad-oid", "urn:oid:2.16.x", "72195");
        lines[63] = Request("spaced-code", Cpt, "72195  x");
        lines[64] = Request("bad-oid-again", "urn:oid:2.16.x", "72195");
        lines[129] = Request("spaced-code-again", Cpt, "72195  x");

        var report = await ImportAsync(ws, TimeZoneInfo.Utc, strict: false, ws.File("codes.ndjson", Ndjson([.. lines])));

        Assert.Equal(badLines.Select(n => $"codes.ndjson:{n}: "), report.ErrorsKept.Select(e => e[..(e.IndexOf(' ', StringComparison.Ordinal) + 1)]));
        Assert.All(report.ErrorsKept, e => Assert.Contains(": not valid FHIR R4: ", e, StringComparison.Ordinal));
        Assert.Equal(151 - 1 - badLines.Length, (await ws.Store.Data.GetOrdersAsync(Ct)).Count);
    }

    [Fact]
    public async Task Strict_OneBadResource_NothingStoredAtAll()
    {
        using var ws = new TempWorkspace();
        await ImportAsync(ws, NewYork, strict: false, Export(ws));
        var before = ws.Snapshot();
        ws.File("more.ndjson", Ndjson(
            """{"resourceType":"Patient","id":"p9"}""",
            """{"resourceType":"ServiceRequest","id":"new","status":"active","intent":"order","code":{"text":"MRI"},"subject":{"reference":"Patient/p9"},"authoredOn":"2017-01-01"}""",
            """{"resourceType":"ServiceRequest","id":"bad","status":"active","intent":"order","code":{"text":"MRI"},"authoredOn":"2017-01-01"}"""));

        var report = await ImportAsync(ws, NewYork, strict: true, Path.Combine(ws.Directory, "more.ndjson"));

        Assert.True(report.Refused);
        Assert.Equal(before, ws.Snapshot());
    }

    [Fact]
    public async Task Synthea_EveryConditionLands_WithItsPatientsRecordNumber()
    {
        using var ws = new TempWorkspace();
        var folder = Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "synthea");

        var report = await ImportAsync(ws, NewYork, strict: true, folder);

        // Expected from the files themselves: each Condition's subject, through that Patient's MR identifier.
        var recordNumbers = File.ReadLines(Path.Combine(folder, "Patient.000.ndjson")).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(
            p => "Patient/" + p.GetProperty("id").GetString(),
            p => p.GetProperty("identifier").EnumerateArray().First(i => i.TryGetProperty("type", out var t) && t.GetRawText().Contains("\"MR\"", StringComparison.Ordinal)).GetProperty("value").GetString());
        var expected = File.ReadLines(Path.Combine(folder, "Condition.000.ndjson")).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(c => recordNumbers[c.GetProperty("subject").GetProperty("reference").GetString()!]).GroupBy(p => p).ToDictionary(g => g.Key!, g => g.Count());

        Assert.Empty(report.ErrorsKept);
        Assert.Equal((13, 555, 44), (report.Read["Patient"], report.Read["Condition"], report.Skipped["Location"]));
        Assert.Equal(13, recordNumbers.Count);
        var conditions = await ws.Store.Data.GetConditionsAsync(Ct);
        Assert.Equal(555, conditions.Count);
        Assert.Equal(expected, conditions.GroupBy(c => c.PatientId).ToDictionary(g => g.Key, g => g.Count()));
        Assert.All(conditions, c => Assert.Equal("SNOMED CT", c.CodeSystem));
        Assert.Equal(107, conditions.Count(c => c.ClinicalStatus == "active"));
        Assert.Empty(await ws.Store.Data.GetOrdersAsync(Ct)); // Synthea has no ServiceRequests: a Patient alone is no order
    }
}
