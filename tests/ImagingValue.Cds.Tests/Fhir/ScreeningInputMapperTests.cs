using ImagingValue.Core.Data;
using ImagingValue.Cds.Fhir;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Fhir;

public sealed class ScreeningInputMapperTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 10, 0, 0);

    [Fact]
    public void ToImagingOrder_CptWithSacrumText_TakesNameFromTextAndReasonsFromCodings()
    {
        var request = Read(TestFiles.CardCase);

        var order = ScreeningInputMapper.ToImagingOrder(request.Orders[0], request.PatientId, request.Patient, Now);

        Assert.Equal("ServiceRequest/sr-sacrum", order.OrderId);
        Assert.Equal("pat-1001", order.PatientId);
        Assert.Equal("MRI SACRUM WO CONTRAST", order.ProcedureName);
        Assert.Equal("72195", order.ProcedureCode);
        Assert.Equal(["M54.50"], order.ReasonCodes);
        Assert.Equal("No trauma, chronic low back pain; Low back pain, unspecified; Low back pain", order.Indication);
        Assert.Equal(new DateTime(2026, 11, 20, 9, 30, 0), order.OrderedAt);
        Assert.Equal(PatientSex.Female, order.Sex);
        Assert.Equal(new DateOnly(1971, 6, 14), order.BirthDate);
        Assert.True(order.IsCompleted);
    }

    [Fact]
    public void ToImagingOrder_NoAuthoredOnAndNoText_UsesNowAndCodingDisplay()
    {
        var request = Read(TestFiles.Sandbox);

        var order = ScreeningInputMapper.ToImagingOrder(request.Orders[0], request.PatientId, request.Patient, Now);

        Assert.Equal(Now, order.OrderedAt);
        Assert.Equal("MRI SACRUM WO CONTRAST", order.ProcedureName);
        Assert.Equal("Pain in the coccyx", order.Indication);
        Assert.Empty(order.ReasonCodes);
    }

    [Fact]
    public void ToPatientConditions_Icd10AndSnomed_MapsEveryCodingOfBothSystems()
    {
        var request = Read(TestFiles.BreastCancerHistory);

        var (conditions, unmapped) = ScreeningInputMapper.ToPatientConditions(request.Conditions, "pat-1001", new DateOnly(2026, 11, 20));

        Assert.Equal(0, unmapped);
        Assert.Equal(["38341003", "E11.9", "Z85.3", "429740004"], conditions.Select(c => c.Code));
        Assert.Equal([ScreeningInputMapper.SnomedCodeSystem, "ICD-10-CM", "ICD-10-CM", ScreeningInputMapper.SnomedCodeSystem], conditions.Select(c => c.CodeSystem));
        Assert.Equal("Hypertensive disorder", conditions[0].Description);
        var cancer = conditions[2];
        Assert.Equal("ICD-10-CM", cancer.CodeSystem);
        Assert.Equal(new DateOnly(2018, 11, 1), cancer.OnsetDate);
        Assert.Equal(new DateOnly(2019, 4, 2), cancer.RecordedDate);
        Assert.Equal("resolved", cancer.ClinicalStatus);
    }

    [Fact]
    public void ToPatientConditions_UndatedOrEnteredInError_KnownAtOrderOrNotAsserted()
    {
        var json = TestFiles.ReadJson(TestFiles.CardCase);
        var entries = json["prefetch"]!["conditions"]!["entry"]!.AsArray();
        entries.Add(System.Text.Json.Nodes.JsonNode.Parse("""
            {"resource":{"resourceType":"Condition","id":"c-undated","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"C50.911"}]}}}
            """));
        entries.Add(System.Text.Json.Nodes.JsonNode.Parse("""
            {"resource":{"resourceType":"Condition","id":"c-error","verificationStatus":{"coding":[{"code":"entered-in-error"}]},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"C20"}]},"recordedDate":"2020-01-01"}}
            """));
        var request = HookRequestReader.Read(json.ToJsonString(), Hooks.OrderSelect).Request!;

        var (conditions, _) = ScreeningInputMapper.ToPatientConditions(request.Conditions, "pat-1001", new DateOnly(2026, 11, 20));

        var undated = Assert.Single(conditions, c => c.Code == "C50.911");
        Assert.Equal(new DateOnly(2026, 11, 20), undated.KnownFrom);
        Assert.False(Assert.Single(conditions, c => c.Code == "C20").IsAsserted);
    }

    [Fact]
    public void ToPatientConditions_NeitherIcd10NorSnomed_KeptByItsTextAndCountedUnmapped()
    {
        var json = TestFiles.ReadJson(TestFiles.CardCase);
        var entries = json["prefetch"]!["conditions"]!["entry"]!.AsArray();
        entries.Add(System.Text.Json.Nodes.JsonNode.Parse("""
            {"resource":{"resourceType":"Condition","id":"c-local","code":{"coding":[{"system":"urn:oid:1.2.3.4","code":"L-77"}],"text":"Metastatic prostate cancer"},"recordedDate":"2025-01-01"}}
            """));
        entries.Add(System.Text.Json.Nodes.JsonNode.Parse("""
            {"resource":{"resourceType":"Condition","id":"c-bare","code":{"coding":[{"system":"urn:oid:1.2.3.4","code":"L-78"}]},"recordedDate":"2025-01-01"}}
            """));
        var request = HookRequestReader.Read(json.ToJsonString(), Hooks.OrderSelect).Request!;

        var (conditions, unmapped) = ScreeningInputMapper.ToPatientConditions(request.Conditions, "pat-1001", new DateOnly(2026, 11, 20));

        Assert.Equal(2, unmapped);
        var local = Assert.Single(conditions, c => c.Code == "L-77");
        Assert.Equal("Metastatic prostate cancer", local.Description);
        Assert.DoesNotContain(conditions, c => c.Code == "L-78");
    }

    private static HookRequest Read(string file) => HookRequestReader.Read(TestFiles.Read(file), Hooks.OrderSelect).Request!;
}
