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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_FieldLongerThanTheLimit_KeepsTheLimitAndReportsTheFullLength(bool quoted)
    {
        // 200,000 characters, across several 64 K buffers, against a 1,000-character limit.
        var huge = new string('x', 200_000);
        var cell = quoted ? $"\"{huge}, still inside\"" : huge;
        var bytes = Encoding.UTF8.GetBytes($"a,b,c\n1,{cell},3\n4,5,6\n");
        using var reader = new CsvRecordReader(new MemoryStream(bytes), maxFieldChars: 1000);
        var fields = new List<string>();

        Assert.True(reader.Read(fields));
        Assert.Empty(reader.OversizedFields);
        Assert.True(reader.Read(fields));
        Assert.Equal(2, reader.RecordLine);
        Assert.Equal(1000, fields[1].Length);
        Assert.Equal((1, (long)(quoted ? huge.Length + 14 : huge.Length)), Assert.Single(reader.OversizedFields));
        Assert.Equal("3", fields[2]);
        Assert.True(reader.Read(fields));
        Assert.Equal(["4", "5", "6"], fields);
        Assert.Empty(reader.OversizedFields);
    }

    [Fact]
    public void Read_FieldExactlyAtTheLimit_NotOversized()
    {
        using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes("a\n" + new string('y', 1000) + "\n")), maxFieldChars: 1000);
        var fields = new List<string>();

        reader.Read(fields);
        reader.Read(fields);

        Assert.Equal(1000, fields[0].Length);
        Assert.Empty(reader.OversizedFields);
    }

    [Theory]
    [InlineData("a;b;\"c,d\"\n1;\"x,y\";3\n", ';', "x,y")]
    [InlineData("a\tb\tc\n1\tx;y\t3\n", '\t', "x;y")]
    [InlineData("a|b|c\n1|x,y|3\n", '|', "x,y")]
    [InlineData("a,b;c,d\n1,x;y,3\n", ',', "x;y")]
    [InlineData("only\n1\n", ',', null)]
    public void Read_NoDelimiterGiven_TheOneTheHeaderUsesMostOutsideQuotes(string text, char expected, string? secondField)
    {
        using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        var fields = new List<string>();

        Assert.True(reader.Read(fields));
        Assert.True(reader.Read(fields));
        Assert.Equal(expected, reader.Delimiter);
        Assert.Equal(secondField, fields.ElementAtOrDefault(1));
    }

    [Fact]
    public void Read_DelimiterGiven_HeaderNotConsulted()
    {
        using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes("a;b,c;d\n1;2,3;4\n")), delimiter: ',');
        var fields = new List<string>();

        Assert.True(reader.Read(fields));
        Assert.Equal(["a;b", "c;d"], fields);
    }
}
