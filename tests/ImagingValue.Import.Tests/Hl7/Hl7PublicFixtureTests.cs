using ImagingValue.Import.Hl7;

namespace ImagingValue.Import.Tests.Hl7;

/// <summary>Messages written by others (TestData/hl7/README.md): they parse and map as the contract says.</summary>
public class Hl7PublicFixtureTests
{
    private static Hl7Mapping MapFile(string relative)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "hl7", relative));
        var raw = Assert.Single(Hl7Framing.Split(bytes));
        Assert.True(Hl7Message.TryParse(raw.Bytes.Span, out var message, out var parseProblem), parseProblem?.ToString());
        Assert.True(Hl7OrderMapper.TryMap(message!, TimeZoneInfo.Utc, out var mapping, out var problem), problem?.ToString());
        return mapping!;
    }

    [Fact]
    public void Dcm4che_ImagingOrder_WithUtf8UnderALatin1Claim()
    {
        var update = Assert.Single(MapFile("dcm4che/OMI^O23-ImagingOrder.hl7").Orders);
        var order = update.Values;

        Assert.Equal("PlacerOrderNumberImagingServiceRequest", order["order_id"]);
        Assert.Equal("FillerOrderNumberImagingServiceRequest", order["accession"]);
        Assert.Equal("PID_1", order["patient_id"]);
        Assert.Equal("F", order["patient_sex"]);
        Assert.Equal("2014-10-14", order["patient_birth_date"]);
        Assert.Equal("10637-7", order["procedure_code"]);
        Assert.Equal("Microscopic Observation", order["procedure_name"]);
        Assert.Equal("Rheumatoid, other arthritis with motor score from 12 –35.,comorbidity in tier 3", order["indication"]);
        Assert.Equal("Hospital1", order["ordering_department"]);
        Assert.Equal("RequestingPhysicianFN, RequestingPhysicianGN", order["ordering_provider"]);
        Assert.Equal("scheduled", order["status"]);
        Assert.Equal("2022-03-24T19:31:55", order["ordered_at"]);
        Assert.Contains("ordered_at", update.Provisional);
    }

    [Fact]
    public void Dcm4che_StructuredReport_TextLinesOnly()
    {
        var mapping = MapFile("dcm4che/ORU^R01-SR.hl7");
        var report = Assert.Single(mapping.Reports);

        Assert.Equal("PlacerOrderNumberImagingServiceRequest", report.OrderId);
        // The study, series and SR instance UIDs (ST lines 1-3) identify images; they are not report text.
        Assert.DoesNotContain("1.2.392.200036", report.Text, StringComparison.Ordinal);
        Assert.StartsWith("The right kidney is slightly enlarged, but otherwise normal\n", report.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("C65.2", report.Text, StringComparison.Ordinal);
        Assert.EndsWith("X-ray Modulation Type = NONE", report.Text, StringComparison.Ordinal);
        Assert.Equal(9, report.Text.Split('\n').Length);
        var order = Assert.Single(mapping.Orders).Values;
        Assert.Equal("completed", order["status"]);
        Assert.Equal("2022-03-24T19:30:57", order["performed_at"]);
    }

    [Theory]
    [InlineData("linuxforhealth/ORU-multiline-short.hl7")]
    [InlineData("linuxforhealth/ORU-multiline-short-mixed.hl7")]
    public void LinuxForHealth_MultiLineReports(string file)
    {
        var report = Assert.Single(MapFile(file).Reports);

        Assert.Equal("PON_0d70c6c8", report.OrderId);
        Assert.Equal("[PII] Emergency Department\nED Encounter Arrival Date: [ADDRESS] [PERSONALNAME]:", report.Text);
    }

    [Theory]
    [InlineData("linuxforhealth/sample_unix.hl7")]
    [InlineData("linuxforhealth/sample_win.hl7")]
    [InlineData("dcm4che/ADT^A40-PatientMerge.hl7")]
    public void AdmissionMessages_ParseAndAreSkipped(string file)
    {
        var mapping = MapFile(file);

        Assert.Empty(mapping.Orders);
        Assert.Contains("ADT^A", mapping.Skipped, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dcm4che/ORU^R01-CDA.hl7")]
    [InlineData("dcm4che/ORM^O01-GeneralOrder.hl7")]
    public void OtherDcm4cheMessages_Map(string file)
    {
        Assert.NotEmpty(MapFile(file).Orders);
    }

    [Fact]
    public void Dcm4che_PdfResult_WithACarriageReturnInsideItsBase64_IsRefusedNamingTheStrayLine()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "hl7", "dcm4che", "ORU^R01-PDF.hl7"));

        Assert.False(Hl7Message.TryParse(Assert.Single(Hl7Framing.Split(bytes)).Bytes.Span, out _, out var problem));
        Assert.Contains("segment 10 of the message", problem!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("A0KJ", problem.ToString(), StringComparison.Ordinal);
    }
}
