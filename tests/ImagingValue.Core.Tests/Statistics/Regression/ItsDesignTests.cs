using ImagingValue.Core.Statistics.Regression;

namespace ImagingValue.Core.Tests.Statistics.Regression;

public class ItsDesignTests
{
    private static IReadOnlyList<double> Column(IReadOnlyList<DesignColumn> design, string name) => design.Single(c => c.Name == name).Values;

    [Fact]
    public void Design_CentredSlope_CountsFromOneAtFirstPostPoint()
    {
        var design = InterruptedTimeSeries.Design(6, 4, new ItsOptions { SlopeChange = SlopeChangeTerm.CentredAtInterruption });

        Assert.Equal([1.0, 2, 3, 4, 5, 6], Column(design, InterruptedTimeSeries.TimeName));
        Assert.Equal([0.0, 0, 0, 1, 1, 1], Column(design, InterruptedTimeSeries.LevelName));
        Assert.Equal([0.0, 0, 0, 1, 2, 3], Column(design, InterruptedTimeSeries.SlopeName));
    }

    [Fact]
    public void Design_UncentredSlope_IsTimeTimesStep()
    {
        var design = InterruptedTimeSeries.Design(6, 4, new ItsOptions { SlopeChange = SlopeChangeTerm.Uncentred });

        Assert.Equal([0.0, 0, 0, 4, 5, 6], Column(design, InterruptedTimeSeries.SlopeName));
    }

    [Fact]
    public void Design_Harmonics_FollowTsModelHarmonicOfCalendarMonth()
    {
        var design = InterruptedTimeSeries.Design(24, 13, new ItsOptions { Harmonics = 2, Period = 12 });

        Assert.Equal(["time", "level", "sin1", "sin2", "cos1", "cos2"], design.Select(c => c.Name));
        Assert.Equal(0.5, Column(design, "sin1")[0], 1e-12);          // January: sin(2π·1/12)
        Assert.Equal(Math.Sqrt(3) / 2, Column(design, "cos1")[0], 1e-12);
        Assert.Equal(Math.Sqrt(3) / 2, Column(design, "sin2")[0], 1e-12);
        Assert.Equal(1.0, Column(design, "cos1")[11], 1e-12);          // December: cos(2π)
        Assert.Equal(Column(design, "sin1")[0], Column(design, "sin1")[12], 1e-12);
    }

    [Fact]
    public void Design_FirstSeasonPosition_ShiftsTheCalendar()
    {
        var april = InterruptedTimeSeries.Design(12, 6, new ItsOptions { Harmonics = 1, FirstSeasonPosition = 4 });
        var explicitMonths = InterruptedTimeSeries.Design(12, 6, new ItsOptions { Harmonics = 1, SeasonPositions = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3] });

        Assert.Equal(Math.Sqrt(3) / 2, Column(april, "sin1")[0], 1e-12); // April: sin(2π·4/12)
        Assert.Equal(-0.5, Column(april, "cos1")[0], 1e-12);
        Assert.Equal(Column(explicitMonths, "sin1"), Column(april, "sin1"));
        Assert.Equal(Column(explicitMonths, "cos1"), Column(april, "cos1"));
    }

    [Fact]
    public void Design_HalfPeriodHarmonic_OmitsTheZeroSine()
    {
        var design = InterruptedTimeSeries.Design(24, 13, new ItsOptions { Harmonics = 6, Period = 12 });

        Assert.DoesNotContain(design, c => c.Name == "sin6");
        Assert.Contains(design, c => c.Name == "cos6");
    }

    [Fact]
    public void Design_InvalidSettings_Throw()
    {
        Assert.Throws<ArgumentException>(() => InterruptedTimeSeries.Design(10, 1, new ItsOptions()));
        Assert.Throws<ArgumentException>(() => InterruptedTimeSeries.Design(10, 11, new ItsOptions()));
        Assert.Throws<ArgumentException>(() => InterruptedTimeSeries.Design(10, 5, new ItsOptions { Harmonics = 7, Period = 12 }));
        Assert.Throws<ArgumentException>(() => InterruptedTimeSeries.Design(10, 5, new ItsOptions { Harmonics = 1, FirstSeasonPosition = 13 }));
        Assert.Throws<ArgumentException>(() => InterruptedTimeSeries.Fit(SicilyData.Aces, 37, new ItsOptions { Exposure = [1, 2] }));
    }
}
