using ImagingValue.Core.Alerts;

namespace ImagingValue.Core.Tests.Alerts;

public sealed class InMemoryAlertLogTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 14, 0, 0, TimeSpan.Zero);

    private static PointOfOrderAlert Alert(int i) =>
        new($"c-{i}", At, "s-select", "s", "order-select", $"h-{i}", null, $"ServiceRequest/{i}", "not-appropriate", $"card-{i}", null, null);

    private static AlertFeedback Feedback(int i) =>
        new("s-select", $"card-{i}", AlertFeedback.Overridden, At, [], null, "other", null, At);

    [Fact]
    public async Task RecordAsync_PastCapacity_KeepsTheNewest()
    {
        var log = new InMemoryAlertLog(capacity: 3);

        await log.RecordAsync([.. Enumerable.Range(1, 5).Select(Alert)], CancellationToken.None);

        Assert.Equal(["c-3", "c-4", "c-5"], (await log.ListAlertsAsync(CancellationToken.None)).Select(a => a.ConsultId));
    }

    [Fact]
    public async Task AddFeedbackAsync_RepeatWithinCapacity_StoredOnce_DroppedOnesForgotten()
    {
        var log = new InMemoryAlertLog(capacity: 2);

        Assert.True(await log.AddFeedbackAsync(Feedback(1), CancellationToken.None));
        Assert.False(await log.AddFeedbackAsync(Feedback(1), CancellationToken.None));
        Assert.True(await log.AddFeedbackAsync(Feedback(2), CancellationToken.None));
        Assert.True(await log.AddFeedbackAsync(Feedback(3), CancellationToken.None));

        Assert.Equal(["card-2", "card-3"], (await log.ListFeedbackAsync(CancellationToken.None)).Select(f => f.CardUuid));
        Assert.False(await log.AddFeedbackAsync(Feedback(3), CancellationToken.None));
    }
}
