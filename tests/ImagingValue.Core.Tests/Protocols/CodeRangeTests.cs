using ImagingValue.Core.Protocols;

namespace ImagingValue.Core.Tests.Protocols;

public class CodeRangeTests
{
    [Theory]
    [InlineData("C00-C96", "C50.911", true)]
    [InlineData("C00-C96", "C96.Z", true)]
    [InlineData("C00-C96", "D25.9", false)]
    [InlineData("D37-D49", "D25.9", false)]
    [InlineData("D37-D49", "D49.2", true)]
    [InlineData("Z85", "Z85.3", true)]
    [InlineData("Z85", "Z80.3", false)]
    [InlineData("M46.20-M46.59", "M46.26", true)]
    [InlineData("M46.20-M46.59", "m4646", true)]
    [InlineData("M46.20-M46.59", "M46.1", false)]
    [InlineData("M46.20-M46.59", "M46.60", false)]
    [InlineData("S32", "S32.2XXA", true)]
    [InlineData("M54.5", "M54.50", true)]
    [InlineData("M54.5", "M54", false)]
    public void Contains_IcdCodes_MatchesByPrefixWithinBounds(string range, string code, bool expected) =>
        Assert.Equal(expected, CodeRange.Parse(range).Contains(code));

    [Theory]
    [InlineData("C96-C00")]
    [InlineData("C00-C9")]
    [InlineData("-")]
    public void Parse_InvalidRange_ThrowsFormatException(string text) =>
        Assert.Throws<FormatException>(() => CodeRange.Parse(text));
}
