namespace ImagingValue.ClinicalText.Tests;

/// <summary>Issue 14: a caller past its deadline (a CDS call) stops the text reading itself, not just its wait for it.</summary>
public sealed class CancellationTests
{
    // One 72 KB sentence of clauses, the shape that made the reader slow (issue 14 item 1).
    private static readonly string LongClauses =
        "low back pain, " + string.Concat(Enumerable.Repeat("no fever, no trauma, denies cancer, ", 2000));

    [Fact]
    public void Analyze_TokenAlreadyCancelled_ThrowsBeforeReadingAnySentence()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => TestText.Analyzer.Analyze(LongClauses, TestText.Reference, cancelled.Token));
    }
}
