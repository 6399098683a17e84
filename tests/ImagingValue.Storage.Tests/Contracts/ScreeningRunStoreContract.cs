using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;

namespace ImagingValue.Storage.Tests.Contracts;

/// <summary>What every provider's screening runs do: stored whole or not at all, the latest per protocol, decisions exactly as given.</summary>
public abstract class ScreeningRunStoreContract : WorkspaceContract
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Run_WrittenWhileReadingOrders_CommittedWithEveryDecision()
    {
        await Seed.ImportOrdersAsync(Workspace.Imports, 5_000);

        long runId;
        await using (var writer = await Workspace.Screening.BeginScreeningRunsAsync([Seed.Stamp()], Ct))
        {
            await foreach (var page in Workspace.Data.ReadOrderPagesAsync(Ct))
            {
                await writer.AddAsync(0, [.. page.Decode().Select(o => new ScreeningDecision(o.OrderId, Decision.NotTarget, false, null, [], []))], Ct);
            }

            runId = (await writer.CommitAsync(Ct))[0];
        }

        var decisions = await Workspace.Screening.GetScreeningDecisionsAsync(runId, Ct);
        Assert.Equal(Enumerable.Range(0, 5_000).Select(i => $"O{i:D6}"), decisions.Select(d => d.OrderId));
        Assert.Equal(runId, (await Workspace.Screening.GetLatestScreeningRunAsync("sacrum-mri-lbp", Ct))!.RunId);
    }

    [Fact]
    public async Task Runs_OfTwoProtocolsInOnePass_EachLatestOfItsProtocolWithItsOwnDecisions()
    {
        await Seed.ImportOrdersAsync(Workspace.Imports, 3);
        var orders = await Workspace.Data.ReadOrdersAsync(Ct);

        IReadOnlyList<long> runIds;
        await using (var writer = await Workspace.Screening.BeginScreeningRunsAsync([Seed.Stamp(), Seed.Stamp("lumbar-imaging-lbp")], Ct))
        {
            await writer.AddAsync(0, [.. orders.Select(o => new ScreeningDecision(o.OrderId, Decision.NotTarget, false, null, [], []))], Ct);
            await writer.AddAsync(1, [.. orders.Select(o => new ScreeningDecision(o.OrderId, Decision.Included, true, null, [], []))], Ct);
            runIds = await writer.CommitAsync(Ct);
        }

        Assert.Equal(2, runIds.Distinct().Count());
        Assert.Equal(runIds[0], (await Workspace.Screening.GetLatestScreeningRunAsync("sacrum-mri-lbp", Ct))!.RunId);
        Assert.Equal(runIds[1], (await Workspace.Screening.GetLatestScreeningRunAsync("lumbar-imaging-lbp", Ct))!.RunId);
        Assert.All(await Workspace.Screening.GetLatestDecisionsAsync("sacrum-mri-lbp", Ct), d => Assert.Equal(Decision.NotTarget, d.Decision));
        Assert.Equal(3, (await Workspace.Screening.GetLatestDecisionsAsync("lumbar-imaging-lbp", Ct)).Count(d => d.Decision == Decision.Included));
    }

    [Fact]
    public async Task Run_DisposedWithoutCommit_NothingStored()
    {
        await Seed.ImportOrdersAsync(Workspace.Imports, 10);

        await using (var writer = await Workspace.Screening.BeginScreeningRunsAsync([Seed.Stamp(), Seed.Stamp("lumbar-imaging-lbp")], Ct))
        {
            await writer.AddAsync(0, [new ScreeningDecision("O000001", Decision.NotTarget, false, null, [], [])], Ct);
            await writer.AddAsync(1, [new ScreeningDecision("O000001", Decision.NotTarget, false, null, [], [])], Ct);
        }

        Assert.Null(await Workspace.Screening.GetLatestScreeningRunAsync("sacrum-mri-lbp", Ct));
        Assert.Null(await Workspace.Screening.GetLatestScreeningRunAsync("lumbar-imaging-lbp", Ct));
        Assert.Empty(await Workspace.Screening.GetLatestDecisionsAsync("sacrum-mri-lbp", Ct));
        Assert.Equal(0, (await Workspace.CountRowsAsync(Ct))["screening_runs"]);
        Assert.Equal(10, (await Workspace.Data.ReadOrdersAsync(Ct)).Count);
    }

    private static readonly ScreeningEvidence Pain = new ScreeningEvidence(EvidenceSource.Indication, EvidenceRole.Counted, For: "low_back_pain", Concept: "low_back_pain", Text: "low back pain", Mention: new TextSpan(0, 13), Sentence: new TextSpan(0, 13));

    [Fact]
    public async Task Decisions_ReadBackExactlyAsStored()
    {
        var decisions = new[]
        {
            new ScreeningDecision("O1", Decision.Excluded, true, "tumor", ["tumor", "recent_trauma"], [new ScreeningEvidence(EvidenceSource.Indication, EvidenceRole.Counted, For: "tumor", Concept: "tumor", Text: "hx breast ca", Mention: new TextSpan(3, 9), Sentence: new TextSpan(0, 12), Qualifiers: EvidenceQualifiers.Historical)]),
            new ScreeningDecision("O2", Decision.Included, true, null, [], [new ScreeningEvidence(EvidenceSource.Indication, EvidenceRole.Counted, For: "low_back_pain", Concept: "low_back_pain", Text: "LBP", Mention: new TextSpan(0, 3), Sentence: new TextSpan(0, 3)), ScreeningEvidence.FromLegacyText("indication: \"LBP | x\" [low_back_pain]")]),
            new ScreeningDecision("O3", Decision.NotTarget, false, null, [], []),
        };

        var runId = await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp(), decisions);

        var stored = await Workspace.Screening.GetScreeningDecisionsAsync(runId, Ct);
        Assert.Equal(decisions.Length, stored.Count);
        for (var i = 0; i < decisions.Length; i++)
        {
            Assert.Equal((decisions[i].OrderId, decisions[i].Decision, decisions[i].IsTargetExam, decisions[i].Reason), (stored[i].OrderId, stored[i].Decision, stored[i].IsTargetExam, stored[i].Reason));
            Assert.Equal(decisions[i].Reasons, stored[i].Reasons);
            Assert.Equal(decisions[i].Evidence, stored[i].Evidence);
        }
    }

    [Fact]
    public async Task NotTargetDecisions_SharingOneExamItem_EachReadBackWithItsOwnProcedure()
    {
        // Issue 17: the writer encodes a shared exam item once; equal items that are not the same object, and other
        // procedures' items, must still come back as each decision had them.
        static ScreeningEvidence Exam(string procedure) => new(EvidenceSource.Exam, EvidenceRole.Unmet, For: "sacrum MRI", Text: procedure, Qualifiers: EvidenceQualifiers.NotBodyPart);
        var chest = Exam("MRI CHEST");
        var knee = Exam("MRI KNEE");
        var decisions = new[]
        {
            new ScreeningDecision("O1", Decision.NotTarget, false, null, [], [chest]),
            new ScreeningDecision("O2", Decision.NotTarget, false, null, [], [knee]),
            new ScreeningDecision("O3", Decision.NotTarget, false, null, [], [chest]),
            new ScreeningDecision("O4", Decision.NotTarget, false, null, [], [Exam("MRI CHEST")]),
            new ScreeningDecision("O5", Decision.NotTarget, true, null, [], [chest, new ScreeningEvidence(EvidenceSource.OrderStatus, EvidenceRole.Unmet, Text: "cancelled")]),
            new ScreeningDecision("O6", Decision.NotTarget, false, null, [], [knee]),
        };

        var runId = await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp(), decisions);

        var stored = await Workspace.Screening.GetScreeningDecisionsAsync(runId, Ct);
        Assert.Equal(decisions.Select(d => (d.OrderId, d.IsTargetExam)), stored.Select(d => (d.OrderId, d.IsTargetExam)));
        Assert.Equal(decisions.Select(d => d.Evidence), stored.Select(d => d.Evidence));
        Assert.Equal(["MRI CHEST", "MRI KNEE", "MRI CHEST", "MRI CHEST", "MRI CHEST", "MRI KNEE"], stored.Select(d => d.Evidence[0].Text));
    }

    [Fact]
    public async Task LatestRun_PerProtocol_WithItsReuseStamp()
    {
        Assert.Null(await Workspace.Screening.GetLatestScreeningRunAsync("sacrum-mri-lbp", Ct));
        await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp(fingerprint: "old"), []);
        var newest = await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp(fingerprint: "new", revision: 7), [new ScreeningDecision("O1", Decision.Included, true, null, [], [])]);
        await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp(protocol: "other"), []);

        var latest = await Workspace.Screening.GetLatestScreeningRunAsync("sacrum-mri-lbp", Ct);

        Assert.Equal((newest, "sacrum-mri-lbp", "new", (long?)7, Seed.At), (latest!.RunId, latest.ProtocolId, latest.ProtocolFingerprint, latest.DataRevision, latest.CreatedAt));
        Assert.True(latest.IsCurrent("new", 7));
        Assert.False(latest.IsCurrent("new", 8));
        Assert.False(latest.IsCurrent("old", 7));
        Assert.Equal(["O1"], (await Workspace.Screening.GetLatestDecisionsAsync("sacrum-mri-lbp", Ct)).Select(d => d.OrderId));
    }

    [Fact]
    public async Task IncludedExams_AndLatestDecision_FromTheLatestRun()
    {
        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, [("A1", Seed.OrderValues("A1")), ("A2", Seed.OrderValues("A2")), ("A3", Seed.OrderValues("A3"))]);
        await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp(), [new ScreeningDecision("A2", Decision.Included, true, null, [], [])]);
        await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp(), [
            new ScreeningDecision("A1", Decision.Included, true, null, [], [Pain]),
            new ScreeningDecision("A2", Decision.Excluded, true, "tumor", ["tumor"], []),
            new ScreeningDecision("A3", Decision.NotTarget, false, null, [], []),
        ]);

        var exam = Assert.Single(await Workspace.Screening.GetIncludedExamsAsync("sacrum-mri-lbp", Ct));

        Assert.Equal("A1", exam.Order.OrderId);
        Assert.Equal([Pain], exam.Evidence);
        Assert.Equal("indication: \"low back pain\" [low_back_pain]", ScreeningEvidenceFormatter.Format(exam.Evidence[0]));
        Assert.Empty(await Workspace.Screening.GetIncludedExamsAsync("other-protocol", Ct));
        var excluded = await Workspace.Screening.GetLatestDecisionAsync("sacrum-mri-lbp", "A2", Ct);
        Assert.Equal((Decision.Excluded, "tumor"), (excluded!.Decision, excluded.Reason));
        Assert.Null(await Workspace.Screening.GetLatestDecisionAsync("sacrum-mri-lbp", "NOPE", Ct));
        Assert.Equal(3, (await Workspace.Screening.GetLatestDecisionsAsync("sacrum-mri-lbp", Ct)).Count);
    }

    [Fact]
    public async Task InputsRevision_OnlyOrdersAndConditionsCount()
    {
        Assert.Equal(0, await Workspace.Screening.GetScreeningInputsRevisionAsync(Ct));
        await Seed.ImportOrdersAsync(Workspace.Imports, 3);
        var revision = await Workspace.Screening.GetScreeningInputsRevisionAsync(Ct);

        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Reports, [("O000001", ["O000001", null, "IMPRESSION: Normal.", null])]);

        Assert.True(revision > 0);
        Assert.Equal(revision, await Workspace.Screening.GetScreeningInputsRevisionAsync(Ct));
    }

    [Fact]
    public async Task Analyses_LatestPerProtocol_RepeatWritesNothing()
    {
        var first = new Core.Analytics.AuditOptions(Core.Analytics.DateRange.Parse("2013-07-01..2017-06-30"), new DateOnly(2018, 6, 30), Core.Analytics.DateRange.Parse("2018-07-01..2018-09-30"), 4900.5m);
        var second = new Core.Analytics.AuditOptions(Core.Analytics.DateRange.Parse("2014-01-01..2014-12-31"));

        Assert.Null(await Workspace.Screening.GetLatestAnalysisAsync("sacrum-mri-lbp", Ct));
        await Workspace.Screening.RecordAnalysisAsync("sacrum-mri-lbp", first, Seed.At, Ct);
        Assert.Equal(first, await Workspace.Screening.GetLatestAnalysisAsync("sacrum-mri-lbp", Ct));
        await Workspace.Screening.RecordAnalysisAsync("sacrum-mri-lbp", second, Seed.At, Ct);
        await Workspace.Screening.RecordAnalysisAsync("other", first, Seed.At, Ct);
        var rows = (await Workspace.CountRowsAsync(Ct)).GetValueOrDefault("analyses");
        await Workspace.Screening.RecordAnalysisAsync("sacrum-mri-lbp", second, Seed.At, Ct);

        Assert.Equal(second, await Workspace.Screening.GetLatestAnalysisAsync("sacrum-mri-lbp", Ct));
        Assert.Equal(first, await Workspace.Screening.GetLatestAnalysisAsync("other", Ct));
        Assert.Equal(rows, (await Workspace.CountRowsAsync(Ct)).GetValueOrDefault("analyses"));
    }
}
