using ImagingValue.Core.Analytics;

namespace ImagingValue.Core.Tests.Analytics;

public class DateRangeTests
{
    [Theory]
    [InlineData("2013-07-01..2017-06-30", 48)]
    [InlineData("2018-07-01..2018-09-30", 3)]
    [InlineData("2016-02-01..2016-02-29", 1)]
    [InlineData("2015-01-01..2015-01-16", 0.5161)]
    public void Months_CalendarMonths_CountsDaysFractionPerMonth(string range, double months) =>
        Assert.Equal((decimal)months, DateRange.Parse(range).Months);

    [Theory]
    [InlineData("2017-06-30..2013-07-01")]
    [InlineData("2013-07-01")]
    [InlineData("2013-07-01..2017-13-01")]
    [InlineData("07/01/2013..06/30/2017")]
    [InlineData("0001-01-01..9999-12-31")] // every month count would overflow
    [InlineData("2019-01-01..9999-12-31")]
    public void Parse_NotARange_Throws(string text) =>
        Assert.Throws<FormatException>(() => DateRange.Parse(text));

    [Fact]
    public void Contains_InclusiveEnds()
    {
        var range = DateRange.Parse("2013-07-01..2017-06-30");
        Assert.True(range.Contains(new DateOnly(2013, 7, 1)));
        Assert.True(range.Contains(new DateOnly(2017, 6, 30)));
        Assert.False(range.Contains(new DateOnly(2017, 7, 1)));
        Assert.False(range.Contains(new DateOnly(2013, 6, 30)));
    }
}
