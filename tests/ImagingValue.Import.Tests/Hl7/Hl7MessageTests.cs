using System.Text;
using ImagingValue.Import.Hl7;

namespace ImagingValue.Import.Tests.Hl7;

public class Hl7MessageTests
{
    private static Hl7Message Parse(string text, Encoding? encoding = null) => Parse((encoding ?? Encoding.UTF8).GetBytes(text));

    private static Hl7Message Parse(byte[] bytes)
    {
        Assert.True(Hl7Message.TryParse(bytes, out var message, out var problem), problem?.ToString());
        return message!;
    }

    private static Hl7Problem Refused(byte[] bytes)
    {
        Assert.False(Hl7Message.TryParse(bytes, out _, out var problem));
        return problem!;
    }

    private const string Msh = "MSH|^~\\&|RIS|HOSP|IV|QI|20160307140900||ORM^O01|C1|P|2.5";

    [Fact]
    public void Fields_Components_Repetitions_Subcomponents_CountFromOne()
    {
        var message = Parse(Msh + "\rPID|1||123^^^HOSP^PI~MR7^^^HOSP^MR||Doe&van^Jane\r");
        var pid = message.First("PID")!;

        Assert.Equal("ORM^O01", message.MessageType);
        Assert.Equal("C1", message.ControlId);
        Assert.Equal("|", message.Header.Value(1));
        Assert.Equal("^~\\&", message.Header.Value(2));
        Assert.Equal("RIS", message.Header.Value(3));
        Assert.Equal(2, pid.Repetitions(3));
        Assert.Equal("MR7", pid.Value(3, 1, repetition: 2));
        Assert.Equal("MR", pid.Value(3, 5, repetition: 2));
        Assert.Equal("van", pid.Value(5, 1, 2));
        Assert.Equal("Jane", pid.Value(5, 2));
        Assert.Null(pid.Value(4));
        Assert.Null(pid.Value(40));
    }

    [Theory]
    [InlineData("a\\F\\b", "a|b")]
    [InlineData("a\\S\\b\\T\\c\\R\\d\\E\\e", "a^b&c~d\\e")]
    [InlineData("line one\\.br\\line two", "line one\nline two")]
    [InlineData("\\H\\bold\\N\\ text", "bold text")]
    [InlineData("\\X41\\\\X4243\\", "ABC")]
    [InlineData("unclosed \\F escape", "unclosed \\F escape")]
    [InlineData("\\.sp2\\indented", "indented")]
    [InlineData("\"\"", null)]
    public void Escapes_AreUndone(string written, string? expected)
    {
        var message = Parse(Msh + "\rOBX|1|FT|||" + written + "\r");

        Assert.Equal(expected, message.First("OBX")!.Value(5));
    }

    [Fact]
    public void EscapedDelimiters_DoNotSplit()
    {
        var obx = Parse(Msh + "\rOBX|1|TX|||pain \\S\\ stiffness \\R\\ more\r").First("OBX")!;

        Assert.Equal(1, obx.Repetitions(5));
        Assert.Equal("pain ^ stiffness ~ more", obx.Value(5));
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void SegmentEnds_CrLfOrCrLf_AndTheLastMayLackOne(string end)
    {
        var message = Parse(Msh + end + "PID|1||P1" + end + "OBR|1|O1");

        Assert.Equal(["MSH", "PID", "OBR"], message.Segments.Select(s => s.Id));
        Assert.Equal("O1", message.First("OBR")!.Value(2));
    }

    [Fact]
    public void OtherSeparators_AreTakenFromTheHeader()
    {
        var message = Parse("MSH*%$#!*RIS*HOSP\rPID*1**A%B$C\rOBX*1*TX***x#F#y\r");

        Assert.Equal('*', message.Delimiters.Field);
        Assert.Equal("B", message.First("PID")!.Value(3, 2));
        Assert.Equal("C", message.First("PID")!.Value(3, 1, repetition: 2));
        Assert.Equal("x*y", message.First("OBX")!.Value(5));
    }

    [Fact]
    public void NoEscapeCharacter_BackslashIsText()
    {
        var message = Parse("MSH|^~|RIS|HOSP\rOBX|1|TX|||C:\\F\\path\r");

        Assert.Null(message.Delimiters.Escape);
        Assert.Equal("C:\\F\\path", message.First("OBX")!.Value(5));
    }

    [Fact]
    public void DoubledBackslashInMsh2_IsReadAsTheStandardSet()
    {
        var message = Parse("MSH|^~\\\\&|SE050|050\rPID|1||A&B\r");

        Assert.Equal(Hl7Delimiters.Standard, message.Delimiters);
        Assert.Equal("B", message.First("PID")!.Value(3, 1, 2));
    }

    [Fact]
    public void Latin1Bytes_UnderA8859Claim_AreLatin1()
    {
        var bytes = Encoding.Latin1.GetBytes(Msh + "||||||8859/1\rOBX|1|TX|||Müller, café\r");

        Assert.Equal("Müller, café", Parse(bytes).First("OBX")!.Value(5));
    }

    [Fact]
    public void Utf8Bytes_UnderA8859Claim_AreUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes(Msh + "||||||8859/1\rOBX|1|TX|||12 – 35 café\r");

        Assert.Equal("12 – 35 café", Parse(bytes).First("OBX")!.Value(5));
    }

    [Fact]
    public void HexEscape_IsReadInTheMessageCharacterSet()
    {
        Assert.Equal("é", Parse(Msh + "||||||UNICODE UTF-8\rOBX|1|TX|||\\XC3A9\\\r").First("OBX")!.Value(5));
        Assert.Equal("é", Parse(Msh + "||||||8859/1\rOBX|1|TX|||\\XE9\\\r").First("OBX")!.Value(5));
    }

    [Fact]
    public void UnsupportedCharacterSet_IsNamedInMsh18()
    {
        var problem = Refused(Encoding.ASCII.GetBytes(Msh + "||||||ISO IR87\rPID|1\r"));

        Assert.Equal("MSH-18", problem.Location);
        Assert.Contains("ISO IR87", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PID|1||P1\r", "MSH-1")]
    [InlineData("MSH", "MSH-1")]
    [InlineData("MSH|^|RIS\r", "MSH-2")]
    [InlineData("MSHA^~\\&|RIS\r", "MSH-1")]
    public void NotAHeader_IsRefusedWithItsField(string text, string location)
    {
        Assert.Equal(location, Refused(Encoding.ASCII.GetBytes(text)).Location);
    }

    [Fact]
    public void BinaryJunk_IsRefused_NotThrown()
    {
        var junk = new byte[4096];
        new Random(7).NextBytes(junk);

        Assert.NotNull(Refused(junk));
        Assert.NotNull(Refused([.. Encoding.ASCII.GetBytes(Msh + "\r"), .. junk]));
    }

    [Fact]
    public void TruncatedSegmentId_IsRefused_NamingIt()
    {
        var problem = Refused(Encoding.ASCII.GetBytes(Msh + "\rPID|1||P1\rOB"));

        Assert.Equal("segment 3 of the message does not start with a three-letter id (a line break inside a field?)", problem.Message);
    }
}
