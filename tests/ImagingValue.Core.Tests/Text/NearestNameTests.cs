using ImagingValue.Core.Text;

namespace ImagingValue.Core.Tests.Text;

public class NearestNameTests
{
    private static readonly string[] _keys = ["id", "label", "concepts", "codes", "snomed_codes", "max_days_before_order", "min_age", "max_age"];

    [Theory]
    [InlineData("concept", "concepts")]          // a letter left out
    [InlineData("cocnepts", "concepts")]         // two neighbours swapped: one edit
    [InlineData("Concepts", "concepts")]         // case only
    [InlineData("max_day_before_order", "max_days_before_order")]
    [InlineData("lable", "label")]
    public void Of_ATypo_TheNameItMeant(string given, string expected) =>
        Assert.Equal(expected, NearestName.Of(given, _keys));

    [Theory]
    [InlineData("modality")]      // nothing like it
    [InlineData("ix")]            // one edit from "id", but half of a two-letter name is not a typo
    [InlineData("max_agee_x")]    // three edits from max_age
    [InlineData("m_age")]         // as near to min_age as to max_age: no guess
    public void Of_NothingClearlyMeant_Null(string given) =>
        Assert.Null(NearestName.Of(given, _keys));

    [Fact]
    public void Hint_WordsForAnErrorMessage()
    {
        Assert.Equal("; did you mean concepts?", NearestName.Hint("concept", _keys));
        Assert.Equal(string.Empty, NearestName.Hint("modality", _keys));
    }
}
