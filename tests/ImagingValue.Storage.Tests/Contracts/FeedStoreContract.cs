using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;

namespace ImagingValue.Storage.Tests.Contracts;

/// <summary>What every provider's feed store does: one transaction per message, merge, duplicates, refusals kept.</summary>
public abstract class FeedStoreContract : WorkspaceContract
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset At = new(2016, 3, 8, 12, 0, 0, TimeSpan.Zero);

    private static OrderUpdate Update(string orderId, IReadOnlyDictionary<string, string> values, params string[] provisional) =>
        new(orderId, new Dictionary<string, string>(values) { ["order_id"] = orderId }, new HashSet<string>(provisional));

    private static readonly Dictionary<string, string> Ordered = new()
    {
        ["patient_id"] = "P1", ["ordered_at"] = "2016-03-07T14:09:00", ["procedure_code"] = "72195", ["procedure_name"] = "MRI SACRUM WO",
        ["indication"] = "tailbone pain", ["status"] = "scheduled", ["reason_codes"] = "M53.3",
    };

    private static FeedMessage Message(string controlId, params OrderUpdate[] orders) =>
        new("RIS|HOSP", controlId, "ORM^O01", At, "MSH|raw"u8.ToArray(), orders, []);

    [Fact]
    public async Task AResultBeforeItsOrder_ThenTheOrder_FillsInWhatWasMissing()
    {
        var result = new FeedMessage(
            "RIS|HOSP", "R1", "ORU^R01", At, "MSH|r"u8.ToArray(),
            [Update("O1", new Dictionary<string, string> { ["patient_id"] = "P1", ["ordered_at"] = "2016-03-08T12:00:00", ["procedure_name"] = "MRI SACRUM WO", ["status"] = "completed", ["performed_at"] = "2016-03-08T10:15:00" }, "ordered_at")],
            [["O1", "A1", "Normal sacrum.", "2016-03-08T11:30:00"]]);

        Assert.Equal(FeedOutcome.Stored, await Workspace.Feeds.ApplyAsync(result, Ct));
        Assert.Equal(FeedOutcome.Stored, await Workspace.Feeds.ApplyAsync(Message("M1", Update("O1", Ordered)), Ct));

        var order = (await Workspace.Data.GetOrderAsync("O1", Ct))!;
        Assert.Equal(new DateTime(2016, 3, 7, 14, 9, 0), order.OrderedAt);
        Assert.Equal(new DateTime(2016, 3, 8, 10, 15, 0), order.PerformedAt);
        Assert.Equal(OrderStatus.Completed, order.Status);
        Assert.Equal("tailbone pain", order.Indication);
        Assert.Equal(["M53.3"], order.ReasonCodes);
        Assert.Equal("Normal sacrum.", await Workspace.Data.GetReportTextAsync("O1", null, Ct));
    }

    [Fact]
    public async Task TheSameControlIdFromTheSameSender_IsStoredOnce()
    {
        Assert.Equal(FeedOutcome.Stored, await Workspace.Feeds.ApplyAsync(Message("M1", Update("O1", Ordered)), Ct));
        var changed = new Dictionary<string, string>(Ordered) { ["indication"] = "changed" };

        Assert.Equal(FeedOutcome.Duplicate, await Workspace.Feeds.ApplyAsync(Message("M1", Update("O1", changed)), Ct));
        Assert.Equal(FeedOutcome.Stored, await Workspace.Feeds.ApplyAsync(Message("M1", Update("O1", changed)) with { Sender = "OTHER|HOSP" }, Ct));
        Assert.Equal(2, await Workspace.Feeds.CountStoredAsync(Ct));
        Assert.Equal("changed", (await Workspace.Data.GetOrderAsync("O1", Ct))!.Indication);
    }

    [Fact]
    public async Task AMessageMakesEarlierScreeningRunsOutOfDate()
    {
        var before = await Workspace.Screening.GetScreeningInputsRevisionAsync(Ct);

        await Workspace.Feeds.ApplyAsync(Message("M1", Update("O1", Ordered)), Ct);
        var after = await Workspace.Screening.GetScreeningInputsRevisionAsync(Ct);
        await Workspace.Feeds.ApplyAsync(Message("M2", Update("O1", Ordered)), Ct);

        Assert.True(after > before);
        Assert.Equal(after, await Workspace.Screening.GetScreeningInputsRevisionAsync(Ct));
    }

    [Fact]
    public async Task RefusedMessages_AreKeptOnce_AndLeaveWhenStored()
    {
        await Workspace.Feeds.RecordRefusedAsync("RIS|HOSP", "M9", "ORM^O01", At, "OBR-4: no procedure", "MSH|first"u8.ToArray(), Ct);
        await Workspace.Feeds.RecordRefusedAsync("RIS|HOSP", "M9", "ORM^O01", At.AddMinutes(1), "OBR-4: no procedure", "MSH|second"u8.ToArray(), Ct);
        await Workspace.Feeds.RecordRefusedAsync("RIS|HOSP", "M10", "ORU^R01", At, "PID-3: no patient identifier", "MSH|x"u8.ToArray(), Ct);

        var refused = await Workspace.Feeds.GetRefusedAsync(null, Ct);
        Assert.Equal(["M10", "M9"], refused.Select(r => r.ControlId));
        Assert.Equal("MSH|second"u8.ToArray(), refused[1].Raw.ToArray());
        Assert.Equal("PID-3: no patient identifier", Assert.Single(await Workspace.Feeds.GetRefusedAsync("M10", Ct)).Reason);

        await Workspace.Feeds.ApplyAsync(Message("M9", Update("O9", Ordered)), Ct);

        Assert.Equal(["M10"], (await Workspace.Feeds.GetRefusedAsync(null, Ct)).Select(r => r.ControlId));
        Assert.Equal(["O9"], (await Workspace.Data.GetOrdersAsync(Ct)).Select(o => o.OrderId));
    }

    [Fact]
    public async Task AMessageThatFails_ChangesNothing()
    {
        await Workspace.Feeds.ApplyAsync(Message("M1", Update("O1", Ordered)), Ct);
        var broken = new FeedMessage("RIS|HOSP", "M2", "ORU^R01", At, "MSH|b"u8.ToArray(), [Update("O1", new Dictionary<string, string>(Ordered) { ["status"] = "completed" })], [[null, null, "no key", null]]);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Workspace.Feeds.ApplyAsync(broken, Ct));

        Assert.Equal(OrderStatus.Scheduled, (await Workspace.Data.GetOrderAsync("O1", Ct))!.Status);
        Assert.Equal(1, await Workspace.Feeds.CountStoredAsync(Ct));
    }
}
