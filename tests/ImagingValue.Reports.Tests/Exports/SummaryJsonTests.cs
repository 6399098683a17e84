using System.Text.Json;
using ImagingValue.Reports.Exports;
using ImagingValue.Reports.Tests.Support;

namespace ImagingValue.Reports.Tests.Exports;

public class SummaryJsonTests
{
    [Fact]
    public void Serialize_FollowUpAfterTheData_CoveredFalseAndObservedFiguresNull()
    {
        using var json = JsonDocument.Parse(SummaryJson.Serialize(Some.UncoveredAudit().Summary));

        var f = json.RootElement.GetProperty("follow_up");
        Assert.False(f.GetProperty("covered").GetBoolean());
        foreach (var key in new[] { "observed", "change_pct", "avoided_exams", "savings" })
        {
            Assert.Equal(JsonValueKind.Null, f.GetProperty(key).ValueKind);
        }

        Assert.Equal(6.13, f.GetProperty("expected").GetDouble());
        Assert.False(f.TryGetProperty("covered_through", out _));
        var bar = json.RootElement.GetProperty("exams_per_year").EnumerateArray().Last();
        Assert.True(bar.GetProperty("is_follow_up").GetBoolean());
        Assert.Equal(JsonValueKind.Null, bar.GetProperty("included").ValueKind);
    }

    [Fact]
    public void Serialize_CoveredFollowUp_TodaysFiguresAndCoveredTrue()
    {
        using var json = JsonDocument.Parse(SummaryJson.Serialize(Some.PaperAudit().Summary));

        var f = json.RootElement.GetProperty("follow_up");
        Assert.True(f.GetProperty("covered").GetBoolean());
        Assert.Equal(1, f.GetProperty("observed").GetInt32());
        Assert.Equal(-83.7, f.GetProperty("change_pct").GetDouble());
        Assert.Equal(5.13, f.GetProperty("avoided_exams").GetDouble());
        Assert.Equal(25112, f.GetProperty("savings").GetDouble());
        Assert.False(f.TryGetProperty("covered_through", out _));
        Assert.Equal(1, json.RootElement.GetProperty("exams_per_year").EnumerateArray().Last().GetProperty("included").GetInt32());
    }
}
