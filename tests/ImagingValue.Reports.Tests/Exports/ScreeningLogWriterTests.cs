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

    [Fact]
    public async Task WriteAsync_TwoStoredRunsStreamed_SameBytesAsTheWholeLogSorted()
    {
        // A run of one protocol lacks an order the other has (so the merge cannot zip them), and windows are given for
        // some target exams of each: the streamed log must be the in-memory log, byte for byte.
        ScreeningDecision Decision(string id, Core.Screening.Decision decision) => new(id, decision, decision != Core.Screening.Decision.NotTarget, decision == Core.Screening.Decision.Excluded ? "tumor" : null, decision == Core.Screening.Decision.Excluded ? ["tumor"] : [], []);
        var sacrum = new[] { Decision("A1", Core.Screening.Decision.Included), Decision("A10", Core.Screening.Decision.NotTarget), Decision("A2", Core.Screening.Decision.Excluded), Decision("B", Core.Screening.Decision.NotTarget) };
        var lumbar = new[] { Decision("A1", Core.Screening.Decision.NotTarget), Decision("A2", Core.Screening.Decision.Included), Decision("A3", Core.Screening.Decision.Included), Decision("B", Core.Screening.Decision.Excluded) };
        var sacrumWindows = new Dictionary<string, string> { ["A1"] = "period", ["A2"] = "outside" };
        var lumbarWindows = new Dictionary<string, string> { ["A2"] = "follow_up", ["A3"] = "period", ["B"] = "period" };
        var dir = Directory.CreateTempSubdirectory("iv-log-").FullName;
        try
        {
            var whole = Path.Combine(dir, "whole.csv");
            var streamed = Path.Combine(dir, "streamed.csv");
            ScreeningLogWriter.Write(whole, [new ProtocolDecisions("sacrum-mri-lbp", sacrum, sacrumWindows), new ProtocolDecisions("lumbar-imaging-lbp", lumbar, lumbarWindows)]);

            await ScreeningLogWriter.WriteAsync(
                streamed,
                [new ProtocolDecisionStream("sacrum-mri-lbp", sacrum.OrderBy(d => d.OrderId, StringComparer.Ordinal).ToAsyncEnumerable(), sacrumWindows), new ProtocolDecisionStream("lumbar-imaging-lbp", lumbar.ToAsyncEnumerable(), lumbarWindows)],
                CancellationToken.None);

            Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(streamed));
            Assert.Equal(9, File.ReadAllLines(streamed).Length);
            Assert.StartsWith("A1,included,", File.ReadAllLines(streamed)[1], StringComparison.Ordinal);
            Assert.EndsWith(",period,sacrum-mri-lbp", File.ReadAllLines(streamed)[1], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ScreeningLog_OneExamItemUnderTwoProtocolsAndDecisions_EachRowAsWrittenFieldByField()
    {
        // Issue 17: a row with the exam match as its only evidence is its order id and a tail encoded once; the tail
        // must follow the protocol, the decision, a reason or a window, and be escaped as every field is.
        var exam = new ScreeningEvidence(EvidenceSource.Exam, EvidenceRole.Unmet, For: "lumbar, \"spine\"", Text: "=MRI CHEST, WO", Qualifiers: EvidenceQualifiers.NotBodyPart);
        var rows = new (ScreeningDecision Decision, string Protocol, string Window)[]
        {
            (new ScreeningDecision("O1", Decision.NotTarget, false, null, [], [exam]), "sacrum-mri-lbp", ""),
            (new ScreeningDecision("O2", Decision.NotTarget, false, null, [], [exam]), "lumbar-imaging-lbp", ""),
            (new ScreeningDecision("O3", Decision.Excluded, true, null, [], [exam]), "lumbar-imaging-lbp", ""),
            (new ScreeningDecision("O4", Decision.Excluded, true, "tumor", ["tumor"], [exam]), "lumbar-imaging-lbp", ""),
            (new ScreeningDecision("O5", Decision.NotTarget, false, null, [], [exam]), "lumbar-imaging-lbp", "period"),
            (new ScreeningDecision("=O6", Decision.NotTarget, false, null, [], [exam]), "sacrum-mri-lbp", ""),
        };
        using var text = new StringWriter();
        using (var log = new ScreeningLogWriter(text))
        {
            foreach (var (decision, protocol, window) in rows)
            {
                log.Add(decision, protocol, window);
            }
        }

        using var expected = new StringWriter();
        using (var csv = new CsvWriter(expected))
        {
            csv.WriteRow(ScreeningLogWriter.Columns);
            foreach (var (d, protocol, window) in rows)
            {
                csv.WriteRow([d.OrderId, d.DecisionText, d.Reason ?? "", string.Join(';', d.Reasons), ScreeningEvidenceFormatter.Join(d.Evidence), window, protocol]);
            }
        }

        Assert.Equal(expected.ToString(), text.ToString());
        Assert.StartsWith("'=O6,not_target,", text.ToString().Split('\n')[6], StringComparison.Ordinal);
    }
}
