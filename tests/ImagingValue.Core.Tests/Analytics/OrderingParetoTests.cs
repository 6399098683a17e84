using ImagingValue.Core.Analytics;

namespace ImagingValue.Core.Tests.Analytics;

public sealed class OrderingParetoTests
{
    [Fact]
    public void Of_Departments_MostFirstTiesByNameWithRunningShare()
    {
        var rows = OrderingPareto.Of(["ED", "Ortho", "ED", "PCP", "Ortho", "ED", "Neuro"]);

        Assert.Equal(["ED", "Ortho", "Neuro", "PCP"], rows.Select(r => r.Name));
        Assert.Equal([3, 2, 1, 1], rows.Select(r => r.Exams));
        Assert.Equal(3 / 7.0, rows[0].Share, 12);
        Assert.Equal(6 / 7.0, rows[2].CumulativeShare, 12);
        Assert.Equal(1.0, rows[^1].CumulativeShare, 12);
    }

    [Fact]
    public void Of_MissingOrBlankNames_CountedTogetherAsNotRecorded()
    {
        var rows = OrderingPareto.Of([null, " ", "ED ", "ED", ""]);

        Assert.Equal([(OrderingPareto.NotRecorded, 3), ("ED", 2)], rows.Select(r => (r.Name, r.Exams)));
    }
}
