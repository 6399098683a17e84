using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using ImagingValue.Protocols;

namespace ImagingValue.Import.Tests.Protocols;

/// <summary>Issue 14: the screener stops reading text when its caller's token is cancelled, and keeps nothing half-read.</summary>
public sealed class ScreeningCancellationTests
{
    private static readonly DateTime OrderedAt = new(2015, 6, 15, 10, 30, 0);

    private static ImagingOrder Order(string? indication) => new(
        "O1", "P1", "A1", OrderedAt, OrderedAt.AddDays(4), "72195", "MRI SACRUM WO CONTRAST", indication, [],
        "Dr. Test", "Family Medicine", PatientSex.Female, new DateOnly(1970, 1, 1), OrderStatus.Completed);

    [Fact]
    public void Screen_TokenCancelled_StopsAtTheIndicationText()
    {
        var screener = ProtocolLoader.Load("sacrum-mri-lbp").Screener;
        var indication = "low back pain, " + string.Concat(Enumerable.Repeat("no fever, no trauma, denies cancer, ", 2000));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => screener.Screen(Order(indication), [], cancelled.Token));
    }

    [Fact]
    public void Screen_CancelledWhileReadingAConditionText_TheNextScreeningStillReadsIt()
    {
        // A SNOMED CT code no red flag lists: the condition is read by its text, and the reading is cached per text.
        // A cancelled reading must not leave an empty reading in that cache.
        var screener = ProtocolLoader.Load("sacrum-mri-lbp").Screener;
        var metastases = new PatientCondition("P1", "1234567001", "SNOMED CT", "Metastatic breast cancer", new DateOnly(2014, 1, 1), null, "active", null);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => screener.Screen(Order(null), [metastases], cancelled.Token));
        var decision = screener.Screen(Order(null), [metastases]);

        Assert.Equal(Decision.Excluded, decision.Decision);
        Assert.Equal("tumor", decision.Reason);
        Assert.Contains(decision.Evidence, e => e.Source == EvidenceSource.ConditionText && e.Role == EvidenceRole.Counted);
    }
}
