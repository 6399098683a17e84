using ImagingValue.Core.Screening;

namespace ImagingValue.Core.Tests.Screening;

/// <summary>The decision words of screening.csv and protocol examples: written and read by one pair of members.</summary>
public sealed class DecisionWordTests
{
    [Theory]
    [InlineData(Decision.Included, "included")]
    [InlineData(Decision.Excluded, "excluded")]
    [InlineData(Decision.NotTarget, "not_target")]
    public void TextThenTryParse_GivesTheDecisionBack(Decision decision, string word)
    {
        Assert.Equal(word, ScreeningDecision.Text(decision));
        Assert.True(ScreeningDecision.TryParse(word, out var read));
        Assert.Equal(decision, read);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Included")]
    [InlineData("not target")]
    [InlineData("included ")]
    public void TryParse_AnyOtherWord_IsRefused(string? word) => Assert.False(ScreeningDecision.TryParse(word, out _));
}
