using ImagingValue.Core.Screening;
using ImagingValue.Import.Csv;
using ImagingValue.Reports.Exports;

namespace ImagingValue.Reports.Tests.Exports;

public sealed class ScreeningLogWriterTests
{
    [Fact]
    public void ScreeningLog_NotTargetRowsSharingAnExamItem_EachWithItsOwnEvidence()
    {
        // Issue 17: the log writes a shared exam item's text once; every row must still carry its own procedure's.
        static ScreeningEvidence Exam(string procedure) => new(EvidenceSource.Exam, EvidenceRole.Unmet, For: "sacrum MRI", Text: procedure, Qualifiers: EvidenceQualifiers.NotModality);
        var chest = Exam("CT CHEST");
        var head = Exam("CT HEAD");
        var decisions = new[] { chest, head, chest, Exam("CT CHEST"), Exam("XR KNEE"), head }
            .Select((item, i) => new ScreeningDecision($"O{i}", Decision.NotTarget, false, null, [], [item]))
            .ToList();
        using var text = new StringWriter();
        using (var log = new ScreeningLogWriter(text))
        {
            foreach (var decision in decisions)
            {
                log.Add(decision, "sacrum-mri-lbp");
            }
        }

        var rows = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.Equal(decisions.Count, rows.Length);
        Assert.Equal(
            decisions.Select(d => $"{d.OrderId},not_target,,,{CsvWriter.Escape(ScreeningEvidenceFormatter.Join(d.Evidence))},,sacrum-mri-lbp"),
            rows.Select(r => r.TrimEnd('\r')));
        Assert.Contains("CT CHEST", rows[3], StringComparison.Ordinal);
        Assert.Contains("XR KNEE", rows[4], StringComparison.Ordinal);
    }
}
