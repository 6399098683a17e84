using ImagingValue.Import.Csv;

namespace ImagingValue.Import.Tests.Csv;

/// <summary>Issue 14: no CSV the product writes carries a cell a spreadsheet would run (OWASP CSV injection rule).</summary>
public sealed class CsvWriterTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x.example\",\"click\")", "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\"")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("-", "'-")]
    [InlineData("=1,2", "\"'=1,2\"")]
    // A formula already behind an apostrophe gets one more, so Restore takes exactly one away (export then import, 9fc3c9f).
    [InlineData("'=already quoted", "''=already quoted")]
    public void Escape_FormulaStart_NeutralisedWithAnApostrophe(string field, string written) =>
        Assert.Equal(written, CsvWriter.Escape(field));

    [Theory]
    [InlineData("-5")]
    [InlineData("-83.7")]
    [InlineData("+1.5")]
    [InlineData("-1e-3")]
    [InlineData("low back pain")]
    [InlineData("a=b")]
    [InlineData("2019-03-04")]
    public void Escape_NumbersAndOrdinaryText_Unchanged(string field) => Assert.Equal(field, CsvWriter.Escape(field));

    [Fact]
    public void Escape_QuotingStillApplies() => Assert.Equal("\"a, \"\"b\"\"\"", CsvWriter.Escape("a, \"b\""));
}
