using System.Text;
using ImagingValue.Import.Hl7;

namespace ImagingValue.Import.Tests.Hl7;

public class Hl7OrderMapperTests
{
    private static readonly TimeZoneInfo _utc = TimeZoneInfo.Utc;

    // A fixed zone five hours behind UTC: tests do not depend on the machine's time-zone database.
    private static readonly TimeZoneInfo _minusFive = TimeZoneInfo.CreateCustomTimeZone("Test/UTC-5", TimeSpan.FromHours(-5), "UTC-5", "UTC-5");

    private const string Msh = "MSH|^~\\&|RIS|HOSP|IV|QI|20160307141000||ORM^O01|C1|P|2.5";
    private const string Pid = "PID|1||X9^^^HOSP^PI~MRN42^^^HOSP^MR||Doe^Jane||19620214|F";
    private const string Pv1 = "PV1|1|O|SPINE CLINIC^^^HOSP";

    internal static Hl7Mapping Map(string text, TimeZoneInfo? zone = null)
    {
        Assert.True(Hl7Message.TryParse(Encoding.UTF8.GetBytes(text), out var message, out var parseProblem), parseProblem?.ToString());
        Assert.True(Hl7OrderMapper.TryMap(message!, zone ?? _utc, out var mapping, out var problem), problem?.ToString());
        return mapping!;
    }

    private static Hl7Problem Refused(string text)
    {
        Assert.True(Hl7Message.TryParse(Encoding.UTF8.GetBytes(text), out var message, out _));
        Assert.False(Hl7OrderMapper.TryMap(message!, _utc, out _, out var problem));
        return problem!;
    }

    private static IReadOnlyDictionary<string, string> Only(Hl7Mapping mapping) => Assert.Single(mapping.Orders).Values;

    private static string Lines(params string[] segments) => string.Join("\r", segments) + "\r";

    [Fact]
    public void NewOrder_MapsEveryOrderColumn()
    {
        var order = Only(Map(Lines(
            Msh, Pid, Pv1,
            "ORC|NW|PL100^RIS|FL200^PACS||SC||||20160307140900|||1234^Smith^Ann^^^DR|||||||CARD^Cardiology",
            "OBR|1|PL100^RIS|FL200^PACS|72195^MRI SACRUM WO^CPT|||||||||||||||||||||||||||^low back pain x 3 weeks~^no trauma",
            "DG1|1||M54.50^Low back pain^I10",
            "DG1|2||12345^Something^L",
            "DG1|3||M53.3^Coccygodynia^ICD-10-CM")));

        Assert.Equal("PL100", order["order_id"]);
        Assert.Equal("FL200", order["accession"]);
        Assert.Equal("2016-03-07T14:09:00", order["ordered_at"]);
        Assert.False(order.ContainsKey("performed_at"));
        Assert.Equal("scheduled", order["status"]);
        Assert.Equal("72195", order["procedure_code"]);
        Assert.Equal("MRI SACRUM WO", order["procedure_name"]);
        Assert.Equal("low back pain x 3 weeks; no trauma", order["indication"]);
        Assert.Equal("M54.50;M53.3", order["reason_codes"]);
        Assert.Equal("1234", order["ordering_provider"]);
        Assert.Equal("SPINE CLINIC", order["ordering_department"]);
        Assert.Equal("MRN42", order["patient_id"]);
        Assert.Equal("F", order["patient_sex"]);
        Assert.Equal("1962-02-14", order["patient_birth_date"]);
    }

    [Fact]
    public void Fallbacks_Obr2_Obr6_Obr13_Obr16_Orc17_FirstPatientId()
    {
        var order = Only(Map(Lines(
            Msh, "PID|1||X9^^^HOSP^PI||Doe^Jane||19620214|M",
            "ORC|NW||||||||||||||||^Spine clinic",
            "OBR|1|PL7||72195^MRI SACRUM WO||20160301090000|||||||tailbone pain|||777^Jones^Bo")));

        Assert.Equal("PL7", order["order_id"]);
        Assert.Equal("2016-03-01T09:00:00", order["ordered_at"]);
        Assert.Equal("tailbone pain", order["indication"]);
        Assert.Equal("777", order["ordering_provider"]);
        Assert.Equal("Spine clinic", order["ordering_department"]);
        Assert.Equal("X9", order["patient_id"]);
        Assert.Equal("ordered", order["status"]);
    }

    [Fact]
    public void AccessionFromIpc_WhenNoFillerNumber()
    {
        var order = Only(Map(Lines(Msh.Replace("ORM^O01", "OMI^O23", StringComparison.Ordinal), Pid, "ORC|NW|PL1", "OBR|1|PL1||72195^MRI SACRUM WO", "IPC|ACC77|RP1|1.2.3|SPS1|MR")));

        Assert.Equal("ACC77", order["accession"]);
    }

    [Fact]
    public void NoOrderTime_TheMessageTimeStandsIn_AsProvisional()
    {
        var update = Assert.Single(Map(Lines(Msh, Pid, "ORC|NW|PL1", "OBR|1|PL1||72195^MRI SACRUM WO")).Orders);

        Assert.Equal("2016-03-07T14:10:00", update.Values["ordered_at"]);
        Assert.Contains("ordered_at", update.Provisional);
    }

    [Theory]
    [InlineData("ORC|CA|PL1", "OBR|1|PL1||72195^MRI", "cancelled")]
    [InlineData("ORC|OC|PL1", "OBR|1|PL1||72195^MRI", "cancelled")]
    [InlineData("ORC|CR|PL1", "OBR|1|PL1||72195^MRI", "cancelled")]
    [InlineData("ORC|DC|PL1", "OBR|1|PL1||72195^MRI", "cancelled")]
    [InlineData("ORC|SC|PL1|||CA", "OBR|1|PL1||72195^MRI", "cancelled")]
    [InlineData("ORC|SC|PL1|||DC", "OBR|1|PL1||72195^MRI", "cancelled")]
    [InlineData("ORC|SC|PL1", "OBR|1|PL1||72195^MRI|||||||||||||||||||||X", "cancelled")]
    [InlineData("ORC|SC|PL1|||CM", "OBR|1|PL1||72195^MRI|||20160308101500", "completed")]
    [InlineData("ORC|RE|PL1", "OBR|1|PL1||72195^MRI|||20160308101500||||||||||||||||||F", "completed")]
    [InlineData("ORC|RE|PL1", "OBR|1|PL1||72195^MRI|||20160308101500||||||||||||||||||P", "completed")]
    [InlineData("ORC|RE|PL1", "OBR|1|PL1||72195^MRI|||20160308101500||||||||||||||||||C", "completed")]
    [InlineData("ORC|SC|PL1|||SC", "OBR|1|PL1||72195^MRI", "scheduled")]
    [InlineData("ORC|NW|PL1", "OBR|1|PL1||72195^MRI", "ordered")]
    public void Status_FollowsOrderControlOrderStatusAndResultStatus(string orc, string obr, string status)
    {
        var order = Only(Map(Lines(Msh, Pid, orc, obr)));

        Assert.Equal(status, order["status"]);
        Assert.Equal(status == "completed", order.ContainsKey("performed_at"));
        if (status == "completed")
        {
            Assert.Equal("2016-03-08T10:15:00", order["performed_at"]);
        }
    }

    [Fact]
    public void InstantsWithAnOffset_BecomeSiteLocalTimes_LocalTimesStayAsWritten()
    {
        var order = Only(Map(Lines(Msh, Pid, "ORC|NW|PL1|||||||20160906175900+0000", "OBR|1|PL1||72195^MRI|||20160907080000"), _minusFive));

        Assert.Equal("2016-09-06T12:59:00", order["ordered_at"]);

        var local = Only(Map(Lines(Msh, Pid, "ORC|NW|PL1|||||||20160906135900-0500", "OBR|1|PL1||72195^MRI"), _minusFive));
        Assert.Equal("2016-09-06T13:59:00", local["ordered_at"]);
    }

    [Fact]
    public void SeveralOrders_InOneMessage_EachGetTheirOwnDiagnoses()
    {
        var mapping = Map(Lines(
            Msh, Pid,
            "ORC|NW|PL1", "OBR|1|PL1||72195^MRI SACRUM", "DG1|1||M54.50^LBP^I10",
            "ORC|NW|PL2", "OBR|2|PL2||72100^XR LUMBAR", "DG1|1||M53.3^Coccyx^I10"));

        Assert.Equal(["PL1", "PL2"], mapping.Orders.Select(o => o.OrderId));
        Assert.Equal("M54.50", mapping.Orders[0].Values["reason_codes"]);
        Assert.Equal("M53.3", mapping.Orders[1].Values["reason_codes"]);
    }

    [Fact]
    public void Result_CarriesItsReport_TextLinesInSetIdOrder_WithLineBreaks()
    {
        var mapping = Map(Lines(
            "MSH|^~\\&|RIS|HOSP|IV|QI|20160308120000||ORU^R01|C9|P|2.5",
            Pid,
            "OBR|1|PL1|ACC1|72195^MRI SACRUM WO|||20160308101500|||||||||||||||20160308113000|||F",
            "OBX|2|TX|||IMPRESSION: No acute abnormality.",
            "OBX|1|FT|||FINDINGS:\\.br\\Normal sacrum.",
            "OBX|3|NM|||42",
            "OBX|4|ST|||Dictated by Dr X"));

        var report = Assert.Single(mapping.Reports);
        Assert.Equal("PL1", report.OrderId);
        Assert.Equal("ACC1", report.Accession);
        Assert.Equal("FINDINGS:\nNormal sacrum.\nIMPRESSION: No acute abnormality.\nDictated by Dr X", report.Text);
        Assert.Equal("2016-03-08T11:30:00", report.FinalizedAt);
        Assert.Equal("completed", Only(mapping)["status"]);
    }

    [Theory]
    [InlineData("1.2.840.113619.2.55.3.604688119", "")]
    [InlineData("1.2.3.4", "")]
    [InlineData("3.5", "3.5")]
    [InlineData("2.5.1", "2.5.1")]
    [InlineData("1.02.3.4", "1.02.3.4")]
    [InlineData("Study 1.2.840.10008.1", "Study 1.2.840.10008.1")]
    public void Result_StLineHoldingOnlyADicomUid_IsNotReportText(string value, string kept)
    {
        var mapping = Map(Lines(
            "MSH|^~\\&|RIS|HOSP|IV|QI|20160308120000||ORU^R01|C9|P|2.5",
            Pid,
            "OBR|1|PL1|ACC1|72195^MRI SACRUM WO|||20160308101500|||||||||||||||20160308113000|||F",
            $"OBX|1|ST|113014^DICOM Study^DCM||{value}",
            "OBX|2|TX|||Normal sacrum."));

        var report = Assert.Single(mapping.Reports);
        Assert.Equal(kept.Length == 0 ? "Normal sacrum." : $"{kept}\nNormal sacrum.", report.Text);
    }

    [Fact]
    public void OtherMessageTypes_AreSkipped_WithWhy()
    {
        var mapping = Map(Lines("MSH|^~\\&|ADT|HOSP|IV|QI|20160308120000||ADT^A01|C9|P|2.5", Pid));

        Assert.Empty(mapping.Orders);
        Assert.Contains("ADT^A01", mapping.Skipped, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ORC|NW", "OBR|1|||72195^MRI", "ORC-2")]
    [InlineData("ORC|NW|PL1", "OBR|1|PL1", "OBR-4")]
    [InlineData("ORC|NW|PL1|||||||2016-03-07", "OBR|1|PL1||72195^MRI", "ORC-9")]
    [InlineData("ORC|NW|PL1|||||||99991231", "OBR|1|PL1||72195^MRI", "ORC-9")]
    [InlineData("ORC|NW|PL1|||||||20160307+99", "OBR|1|PL1||72195^MRI", "ORC-9")]
    [InlineData("ORC|NW|PL1|||||||201603", "OBR|1|PL1||72195^MRI", "ORC-9")]
    public void WrongContent_NamesTheField(string orc, string obr, string location)
    {
        var problem = Refused(Lines(Msh, Pid, orc, obr));

        Assert.Equal(location, problem.Location);
    }

    [Theory]
    [InlineData("PID|1||||Doe^Jane", "PID-3")]
    [InlineData("PID|1||P1||Doe^Jane||19620231", "PID-7")]
    [InlineData("PID|1||P1||Doe^Jane||19620214|Q", "PID-8")]
    public void WrongPatient_NamesTheField(string pid, string location)
    {
        Assert.Equal(location, Refused(Lines(Msh, pid, "ORC|NW|PL1", "OBR|1|PL1||72195^MRI")).Location);
    }

    [Fact]
    public void NoPid_NoObr_AreNamed()
    {
        Assert.Equal("PID", Refused(Lines(Msh, "ORC|NW|PL1", "OBR|1|PL1||72195^MRI")).Location);
        Assert.Equal("OBR", Refused(Lines(Msh, Pid, "ORC|NW|PL1")).Location);
    }

    [Fact]
    public void AnErrorNeverQuotesALongValue()
    {
        var problem = Refused(Lines(Msh, Pid, "ORC|NW|PL1|||||||" + new string('7', 5000), "OBR|1|PL1||72195^MRI"));

        Assert.True(problem.Message.Length < 200, problem.Message);
    }
}
