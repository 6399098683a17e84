using ImagingValue.Core.Data;

namespace ImagingValue.Core.Tests.Data;

public class OrderUpdateTests
{
    private static OrderUpdate Update(params (string Column, string Value, bool Provisional)[] values) =>
        new("O1", values.ToDictionary(v => v.Column, v => v.Value), values.Where(v => v.Provisional).Select(v => v.Column).ToHashSet());

    [Fact]
    public void NewOrder_TakesEveryGivenColumn_AndRemembersStandIns()
    {
        var (values, provisional) = Update(("status", "ordered", false), ("ordered_at", "2016-03-07T14:10:00", true)).ApplyTo(null, null);

        Assert.Equal("ordered", values["status"]);
        Assert.Equal(["ordered_at"], provisional);
    }

    [Fact]
    public void ARealValue_ReplacesAStandIn_AndAStandInNeverReplacesARealValue()
    {
        var stored = new Dictionary<string, string> { ["ordered_at"] = "2016-03-07T14:10:00" };

        var (real, realProvisional) = Update(("ordered_at", "2016-03-07T09:00:00", false)).ApplyTo(stored, new HashSet<string> { "ordered_at" });
        var (kept, keptProvisional) = Update(("ordered_at", "2016-03-01T00:00:00", true)).ApplyTo(real, realProvisional);

        Assert.Equal("2016-03-07T09:00:00", kept["ordered_at"]);
        Assert.Empty(keptProvisional);
    }

    [Fact]
    public void OfTwoStandIns_TheEarlierStays()
    {
        var stored = new Dictionary<string, string> { ["ordered_at"] = "2016-03-07T14:10:00" };
        var standIn = new HashSet<string> { "ordered_at" };

        Assert.Equal("2016-03-07T14:10:00", Update(("ordered_at", "2016-03-08T12:00:00", true)).ApplyTo(stored, standIn).Values["ordered_at"]);
        Assert.Equal("2016-03-06T08:00:00", Update(("ordered_at", "2016-03-06T08:00:00", true)).ApplyTo(stored, standIn).Values["ordered_at"]);
    }

    [Theory]
    [InlineData("completed", "ordered", "completed")]
    [InlineData("completed", "scheduled", "completed")]
    [InlineData("completed", "in-progress", "completed")]
    [InlineData("completed", "cancelled", "cancelled")]
    [InlineData("scheduled", "completed", "completed")]
    [InlineData("cancelled", "ordered", "ordered")]
    public void ALateOrderMessage_DoesNotUndoAResult(string stored, string given, string expected)
    {
        var (values, _) = Update(("status", given, false)).ApplyTo(new Dictionary<string, string> { ["status"] = stored }, null);

        Assert.Equal(expected, values["status"]);
    }

    [Fact]
    public void ColumnsNotGiven_StayAsStored()
    {
        var stored = new Dictionary<string, string> { ["indication"] = "tailbone pain", ["status"] = "scheduled" };

        var (values, _) = Update(("status", "completed", false)).ApplyTo(stored, null);

        Assert.Equal("tailbone pain", values["indication"]);
    }
}
