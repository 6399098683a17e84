using System.Text;
using ImagingValue.Import.Csv;

namespace ImagingValue.Import.Tests.Csv;

public class CsvRecordReaderTests
{
    private static List<(int Line, List<string> Fields)> ReadAll(string text, Encoding? encoding = null)
    {
        using var reader = new CsvRecordReader(new MemoryStream((encoding ?? new UTF8Encoding(false)).GetPreamble().Concat((encoding ?? Encoding.UTF8).GetBytes(text)).ToArray()));
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        while (reader.Read(fields))
        {
            records.Add((reader.RecordLine, [.. fields]));
        }

        return records;
    }

    [Fact]
    public void Read_QuotedFieldSpanningLines_RecordsKeepTheirPhysicalLine()
    {
        var records = ReadAll("a,b\n1,\"FINDINGS: x\nIMPRESSION: y\"\n2,\"he said \"\"no\"\"\"\n");

        Assert.Equal(3, records.Count);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["1", "FINDINGS: x\nIMPRESSION: y"], records[1].Fields);
        Assert.Equal(4, records[2].Line);
        Assert.Equal("he said \"no\"", records[2].Fields[1]);
    }

    [Fact]
    public void Read_CrLfAndBlankLinesAndBom_Handled()
    {
        var records = ReadAll("a,b\r\n\r\n1,2\r\n,\r\n", new UTF8Encoding(true));

        Assert.Equal(["a", "b"], records[0].Fields);
        Assert.Equal(3, records[1].Line);
        Assert.Equal(["1", "2"], records[1].Fields);
        Assert.Equal(["", ""], records[2].Fields);
    }

    [Fact]
    public void Read_UnterminatedQuoteAtEnd_ThrowsWithTheLineItOpened()
    {
        using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes("a,b\n1,2\n3,\"cut off\nhere")));
        var fields = new List<string>();
        Assert.True(reader.Read(fields));
        Assert.True(reader.Read(fields));

        var ex = Assert.Throws<CsvFormatException>(() => reader.Read(fields));
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void Read_LastLineWithoutNewline_MarkedUnterminated()
    {
        using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes("a,b\n1,2")));
        var fields = new List<string>();
        reader.Read(fields);
        Assert.False(reader.RecordUnterminated);
        reader.Read(fields);
        Assert.True(reader.RecordUnterminated);
        Assert.False(reader.Read(fields));
    }

    [Fact]
    public void Read_InvalidUtf8_DecodedAsReplacementCharacter()
    {
        using var reader = new CsvRecordReader(new MemoryStream([(byte)'a', (byte)',', 0xC3, 0x28, (byte)'\n']));
        var fields = new List<string>();
        reader.Read(fields);
        Assert.Contains('\uFFFD', fields[1]);
    }

    [Fact]
    public void Read_LongFieldsAcrossBufferBoundary_Intact()
    {
        var big = new string('x', 200_000);
        var records = ReadAll($"a,b\n\"{big}\",{big}\n");
        Assert.Equal(big, records[1].Fields[0]);
        Assert.Equal(big, records[1].Fields[1]);
    }
}
