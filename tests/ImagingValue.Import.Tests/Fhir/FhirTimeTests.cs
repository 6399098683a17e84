using ImagingValue.Import.Fhir;

namespace ImagingValue.Import.Tests.Fhir;

public class FhirTimeTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    [InlineData("2016-09-06T13:59:00-04:00", "2016-09-06T13:59:00")] // the site's own offset: the local time stays
    [InlineData("2016-09-06T17:59:00Z", "2016-09-06T13:59:00")]
    [InlineData("2016-01-06T17:59:00.123+00:00", "2016-01-06T12:59:00")] // winter: -05:00
    [InlineData("2016-09-06T13:59:00", "2016-09-06T13:59:00")] // no offset: already local
    [InlineData("2016-09-06", "2016-09-06")]
    public void Instants_BecomeLocalTimesOfTheSite(string fhir, string canonical)
    {
        Assert.True(FhirTime.TryParseDateTime(fhir, NewYork, out var value, out var error), error);
        Assert.Equal(canonical, value);
    }

    [Theory]
    [InlineData("2016", "'2016' is not precise to the day")]
    [InlineData("2016-09", "'2016-09' is not precise to the day")]
    [InlineData("2016-02-30", "'2016-02-30' is not a FHIR date (YYYY-MM-DD)")]
    [InlineData("yesterday at noon", "'yesterday at noon' is not a FHIR dateTime (YYYY-MM-DDThh:mm:ss+zz:zz)")]
    public void NotATime_IsAnErrorSayingWhy(string fhir, string expected)
    {
        Assert.False(FhirTime.TryParseDateTime(fhir, NewYork, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void ADate_OfAnInstant_IsTheSitesLocalDay()
    {
        Assert.True(FhirTime.TryParseDate("2016-08-02T02:30:00Z", NewYork, out var day, out _));
        Assert.Equal("2016-08-01", day);
    }
}
