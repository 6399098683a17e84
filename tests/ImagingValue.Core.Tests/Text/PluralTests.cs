using ImagingValue.Core.Text;

namespace ImagingValue.Core.Tests.Text;

public class PluralTests
{
    [Theory]
    [InlineData(0, "exam", "0 exams")]
    [InlineData(1, "exam", "1 exam")]
    [InlineData(2, "exam", "2 exams")]
    [InlineData(1, "included exam", "1 included exam")]
    [InlineData(12, "cancelled target order", "12 cancelled target orders")]
    public void Count_Integer_NounAgreesWithTheCount(long count, string noun, string expected) =>
        Assert.Equal(expected, Plural.Count(count, noun));

    [Theory]
    [InlineData(1.0, "1 month")]
    [InlineData(1.004, "1 month")]
    [InlineData(1.5, "1.5 months")]
    [InlineData(0.33, "0.33 months")]
    [InlineData(3.0, "3 months")]
    public void Count_Fraction_OnlyWhatPrintsAsOneIsSingular(double count, string expected) =>
        Assert.Equal(expected, Plural.Count(count, "month"));

    [Fact]
    public void Count_IrregularPlural_UsesTheGivenPlural()
    {
        Assert.Equal("1 analysis", Plural.Count(1, "analysis", "analyses"));
        Assert.Equal("2 analyses", Plural.Count(2, "analysis", "analyses"));
    }

    [Fact]
    public void Noun_VerbsAgreeToo()
    {
        Assert.Equal("was", Plural.Noun(1, "was", "were"));
        Assert.Equal("were", Plural.Noun(2, "was", "were"));
    }
}
