using ImagingValue.Core.Protocols;

namespace ImagingValue.Core.Tests.Protocols;

public sealed class ExamMatcherTests
{
    private static readonly ExamDefinition SacrumMri = new("sacrum MRI", ["mri", "mr"], ["sacrum", "coccyx"], ["arthrogram"], ["72195"]);

    [Fact]
    public void Explain_SameProcedureTwice_OneSharedEvidenceItem()
    {
        // Issue 17: the store and screening.csv write a not-target decision's evidence once per procedure, recognising
        // it by the item itself, so every order of a procedure must get the same item.
        var matcher = new ExamMatcher(SacrumMri);

        var first = matcher.Explain(null, "CT CHEST");
        var second = matcher.Explain(null, "CT CHEST");
        var other = matcher.Explain(null, "MRI KNEE");

        Assert.Same(first.Evidence, second.Evidence);
        Assert.NotSame(first.Evidence, other.Evidence);
        Assert.Equal((false, ExamMatchReason.NotModality, "CT CHEST"), (first.Matched, first.Reason, first.Evidence.Text));
        Assert.Equal((false, ExamMatchReason.NotBodyPart, "MRI KNEE"), (other.Matched, other.Reason, other.Evidence.Text));
        Assert.True(matcher.Matches("72195", "anything"));
        Assert.True(matcher.Matches(null, "MR SACRUM/COCCYX W/O"));
    }
}
