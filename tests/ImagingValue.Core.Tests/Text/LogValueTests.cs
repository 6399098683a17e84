using ImagingValue.Core.Text;

namespace ImagingValue.Core.Tests.Text;

public sealed class LogValueTests
{
    [Theory]
    [InlineData("ord-1\r\n[forged] review saved", @"ord-1\u000D\u000A[forged] review saved")]
    [InlineData("\u001b[31mred", @"\u001B[31mred")]
    [InlineData("a\u2028b\u202Ec", @"a\u2028b\u202Ec")]
    [InlineData("plain-id_01 é 😀", "plain-id_01 é 😀")]
    [InlineData(null, "")]
    public void Clean_ControlFormatAndSeparatorCharacters_Escaped(string? raw, string logged)
    {
        Assert.Equal(logged, LogValue.Clean(raw));
        Assert.Equal(logged, ((LogValue)raw).ToString());
    }

    [Fact]
    public void Clean_LoneSurrogate_Escaped()
    {
        // Not an InlineData: attribute strings are stored as UTF-8, which cannot hold half a pair.
        Assert.Equal(@"lone \uD800 half", LogValue.Clean("lone \uD800 half"));
    }

    [Fact]
    public void Clean_LongValue_CutToTheBoundWithItsLength()
    {
        var raw = new string('x', 100_000);

        Assert.Equal(new string('x', LogValue.MaxLength) + "…(100000 chars)", LogValue.Clean(raw));
    }

    [Fact]
    public void Clean_CutAtASurrogatePair_KeepsThePairWhole()
    {
        var raw = new string('x', LogValue.MaxLength - 1) + "😀" + "tail";

        var logged = LogValue.Clean(raw);

        Assert.Equal(new string('x', LogValue.MaxLength - 1) + $"…({raw.Length} chars)", logged);
    }

    [Fact]
    public void Join_EachEntryCleanedAndBoundedOnItsOwn()
    {
        var logged = LogValue.Join(",", ["a\nb", new string('y', 1000), "c"]).ToString();

        Assert.Equal(@"a\u000Ab," + new string('y', 2 * LogValue.MaxLength) + "…(1000 chars),c", logged);
    }
}
