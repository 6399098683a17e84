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
    public async Task ReadScreeningDecisions_MorePagesThanOne_EveryDecisionOnceByOrderIdAsStored()
    {
        // 25,000 decisions: two full pages of the keyset read and a partial one. Written out of order; read by order id.
        var decisions = Enumerable.Range(0, 25_000)
            .Select(i => new ScreeningDecision($"O{(i * 7919) % 25_000:D6}", i % 3 == 0 ? Decision.Included : Decision.NotTarget, i % 3 == 0, null, [], i % 3 == 0 ? [Pain] : []))
            .ToList();
        var runId = await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp(), decisions);
        await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp("other"), [new ScreeningDecision("O000001", Decision.Excluded, true, "tumor", ["tumor"], [])]);

        var read = new List<ScreeningDecision>();
        await foreach (var d in Workspace.Screening.ReadScreeningDecisionsAsync(runId, Ct))
        {
            read.Add(d);
        }

        Assert.Equal(Enumerable.Range(0, 25_000).Select(i => $"O{i:D6}"), read.Select(d => d.OrderId));
        var stored = await Workspace.Screening.GetScreeningDecisionsAsync(runId, Ct);
        Assert.Equal(stored.Select(d => (d.OrderId, d.Decision, d.IsTargetExam, d.Reason)), read.Select(d => (d.OrderId, d.Decision, d.IsTargetExam, d.Reason)));
        Assert.Equal(stored.Select(d => d.Evidence), read.Select(d => d.Evidence));
    }

    [Fact]
    public async Task ReadScreeningDecisions_UnknownRun_Nothing()
    {
        await foreach (var d in Workspace.Screening.ReadScreeningDecisionsAsync(12345, Ct))
        {
            Assert.Fail($"a decision of no run: {d.OrderId}");
        }
    }

    [Fact]
    public async Task TargetOrders_IncludedExcludedAndCancelledTargets_WithTheirOrdersByOrderId()
    {
        await Seed.ImportOrdersAsync(Workspace.Imports, 6);
        var orders = (await Workspace.Data.ReadOrdersAsync(Ct)).ToDictionary(o => o.OrderId);
        var decisions = new[]
        {
            new ScreeningDecision("O000000", Decision.NotTarget, false, null, [], []),
            new ScreeningDecision("O000001", Decision.Excluded, true, "tumor", ["tumor", "recent_trauma"], [Pain]),
            new ScreeningDecision("O000002", Decision.NotTarget, true, null, [], []), // a cancelled target exam
            new ScreeningDecision("O000003", Decision.Included, true, null, [], [Pain]),
            new ScreeningDecision("O000004", Decision.NotTarget, false, null, [], []),
            new ScreeningDecision("O000005", Decision.Included, true, null, [], []),
        };
        var runId = await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp(), decisions);
        await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp("other"), [.. decisions.Select(d => d with { Decision = Decision.Included, IsTargetExam = true })]);

        var targets = await Workspace.Screening.GetTargetOrdersAsync(runId, Ct);

        Assert.Equal(["O000001", "O000002", "O000003", "O000005"], targets.Select(t => t.Order.OrderId));
        Assert.All(targets, t => Assert.Equal(t.Order.OrderId, t.Decision.OrderId));
        Assert.Equal(targets.Select(t => Seed.Comparable(orders[t.Order.OrderId])), targets.Select(t => Seed.Comparable(t.Order)));
        var expected = decisions.Where(d => d.IsTargetExam).ToList();
        Assert.Equal(expected.Select(d => (d.Decision, d.IsTargetExam, d.Reason)), targets.Select(t => (t.Decision.Decision, t.Decision.IsTargetExam, t.Decision.Reason)));
        Assert.Equal(expected.Select(d => d.Reasons), targets.Select(t => t.Decision.Reasons));
        // Without their evidence (the audit never cites it).
        Assert.All(targets, t => Assert.Empty(t.Decision.Evidence));
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
    public async Task Decisions_ManyKindsInPagesLongerThanABatch_EachReadBackExactlyAsStored()
    {
        // Issue 17: the SQLite writer inserts decisions 32 to a statement and the rest of a page one by one, and binds
        // only what differs from the last row in the same place. Kinds cycle with a period (7) that 32 does not divide,
        // so every place of a batch sees every kind after every other: reason or none, reasons, inline or shared
        // evidence, none at all; pages of 70 and 45, two runs in turn.
        static ScreeningEvidence Exam(string label, string procedure) => new(EvidenceSource.Exam, EvidenceRole.Unmet, For: label, Text: procedure, Qualifiers: EvidenceQualifiers.NotBodyPart);
        ScreeningEvidence[][] exams = [[Exam("sacrum MRI", "MRI CHEST"), Exam("sacrum MRI", "CT HEAD")], [Exam("lumbar imaging", "MRI CHEST"), Exam("lumbar imaging", "XR KNEE")]];
        var trauma = new ScreeningEvidence(EvidenceSource.ReasonCode, EvidenceRole.Counted, For: "recent_trauma", Code: "S32.1");
        ScreeningDecision Kind(int run, int i, string id) => (((i * (run + 1)) + run) % 7) switch
        {
            0 => new ScreeningDecision(id, Decision.Included, true, null, [], [Pain]),
            1 => new ScreeningDecision(id, Decision.NotTarget, false, null, [], [exams[run][0]]),
            2 => new ScreeningDecision(id, Decision.Excluded, true, "tumor", ["tumor", "recent_trauma"], [trauma, Pain]),
            3 => new ScreeningDecision(id, Decision.NotTarget, false, null, [], [exams[run][1]]),
            4 => new ScreeningDecision(id, Decision.NotTarget, false, null, [], []),
            5 => new ScreeningDecision(id, Decision.Excluded, true, "recent_trauma", ["recent_trauma"], [trauma]),
            _ => new ScreeningDecision(id, Decision.NotTarget, true, null, [], [exams[run][0], new ScreeningEvidence(EvidenceSource.OrderStatus, EvidenceRole.Unmet, Text: "cancelled")]),
        };

        var expected = new[] { new List<ScreeningDecision>(), new List<ScreeningDecision>() };
        IReadOnlyList<long> runIds;
        await using (var writer = await Workspace.Screening.BeginScreeningRunsAsync([Seed.Stamp(), Seed.Stamp("lumbar-imaging-lbp")], Ct))
        {
            var first = 0;
            foreach (var size in new[] { 70, 45 })
            {
                for (var run = 0; run < 2; run++)
                {
                    ScreeningDecision[] page = [.. Enumerable.Range(first, size).Select(i => Kind(run, i, $"O{i:D4}"))];
                    await writer.AddAsync(run, page, Ct);
                    expected[run].AddRange(page);
                }

                first += size;
            }

            runIds = await writer.CommitAsync(Ct);
        }

        for (var run = 0; run < 2; run++)
        {
            var stored = await Workspace.Screening.GetScreeningDecisionsAsync(runIds[run], Ct);
            Assert.Equal(expected[run].Select(d => (d.OrderId, d.Decision, d.IsTargetExam, d.Reason, string.Join(';', d.Reasons))), stored.Select(d => (d.OrderId, d.Decision, d.IsTargetExam, d.Reason, string.Join(';', d.Reasons))));
            Assert.Equal(expected[run].Select(d => d.Evidence), stored.Select(d => d.Evidence));
        }
    }

    [Fact]
    public async Task NotTargetDecisions_TwoRunsInOnePassPageByPage_EachRunReadsItsOwnExamItems()
    {
        // Issue 17: each run stores a shared exam item once (its own ids); the pass adds the runs' pages in turn, as
        // screening does, and items of one run must never show in the other.
        static ScreeningEvidence Exam(string label, string procedure) => new(EvidenceSource.Exam, EvidenceRole.Unmet, For: label, Text: procedure, Qualifiers: EvidenceQualifiers.NotBodyPart);
        ScreeningEvidence[] sacrum = [Exam("sacrum MRI", "MRI CHEST"), Exam("sacrum MRI", "CT HEAD")];
        ScreeningEvidence[] lumbar = [Exam("lumbar imaging", "MRI CHEST"), Exam("lumbar imaging", "CT HEAD"), Exam("lumbar imaging", "XR KNEE")];
        var expected = new[] { new List<ScreeningDecision>(), new List<ScreeningDecision>() };
        IReadOnlyList<long> runIds;
        await using (var writer = await Workspace.Screening.BeginScreeningRunsAsync([Seed.Stamp(), Seed.Stamp("lumbar-imaging-lbp")], Ct))
        {
            for (var page = 0; page < 3; page++)
            {
                var ids = Enumerable.Range(page * 10, 10).Select(i => $"O{i:D3}").ToList();
                ScreeningDecision[] first = [.. ids.Select((id, i) => new ScreeningDecision(id, Decision.NotTarget, false, null, [], [sacrum[(i + page) % 2]]))];
                ScreeningDecision[] second = [.. ids.Select((id, i) => i == 4
                    ? new ScreeningDecision(id, Decision.Included, true, null, [], [Pain])
                    : new ScreeningDecision(id, Decision.NotTarget, false, null, [], [lumbar[(i + page) % 3]]))];
                await writer.AddAsync(0, first, Ct);
                await writer.AddAsync(1, second, Ct);
                expected[0].AddRange(first);
                expected[1].AddRange(second);
            }

            runIds = await writer.CommitAsync(Ct);
        }

        for (var run = 0; run < 2; run++)
        {
            var stored = await Workspace.Screening.GetScreeningDecisionsAsync(runIds[run], Ct);
            Assert.Equal(expected[run].Select(d => (d.OrderId, d.Decision, d.IsTargetExam)), stored.Select(d => (d.OrderId, d.Decision, d.IsTargetExam)));
            Assert.Equal(expected[run].Select(d => d.Evidence), stored.Select(d => d.Evidence));
            // The streamed read (screening.csv of a reused run) joins the shared items back too.
            var streamed = new List<ScreeningDecision>();
            await foreach (var decision in Workspace.Screening.ReadScreeningDecisionsAsync(runIds[run], Ct))
            {
                streamed.Add(decision);
            }

            Assert.Equal(expected[run].Select(d => (d.OrderId, d.Evidence)), streamed.Select(d => (d.OrderId, d.Evidence)));
        }

        Assert.Equal(expected[1].Select(d => d.Evidence), (await Workspace.Screening.GetLatestDecisionsAsync("lumbar-imaging-lbp", Ct)).Select(d => d.Evidence));
        Assert.Equal(expected[0][17].Evidence, (await Workspace.Screening.GetLatestDecisionAsync("sacrum-mri-lbp", "O017", Ct))!.Evidence);
        Assert.Equal(expected[1][17].Evidence, (await Workspace.Screening.GetLatestDecisionAsync("lumbar-imaging-lbp", "O017", Ct))!.Evidence);
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
    public async Task IncludedExamPage_FilteredCountedAndPagedInWorklistOrder()
    {
        static (string, string?[]) Order(string id, string orderedAt, string? performedAt, string? department, string? provider)
        {
            var values = Seed.OrderValues(id, orderedAt: orderedAt);
            values[CanonicalTable.Orders.IndexOf("performed_at")] = performedAt;
            values[CanonicalTable.Orders.IndexOf("ordering_department")] = department;
            values[CanonicalTable.Orders.IndexOf("ordering_provider")] = provider;
            return (id, values);
        }

        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, [
            Order("B1", "2015-03-17T09:00:00", null, "Orthopedics", "Dr A"),
            Order("B2", "2014-01-01T09:00:00", "2016-02-01T10:00:00", "Orthopedics", null),
            Order("B3", "2015-03-17T08:00:00", null, null, "Dr B"),
            Order("B4", "2015-03-17T09:00:00", null, "Orthopedics", "Dr A"),
            Order("B5", "2015-03-17T07:00:00", null, "Emergency", "Dr A"),
        ]);
        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Reviews, [("B3|ana", ["B3", "ana", "no", "no", "no", null, "none", "primary", "2016-01-05T10:00:00"])], "reviews.csv");
        await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp(), [new ScreeningDecision("B4", Decision.Included, true, null, [], [])]);
        await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp(), [
            new ScreeningDecision("B1", Decision.Included, true, null, [], [Pain]),
            new ScreeningDecision("B2", Decision.Included, true, null, [], []),
            new ScreeningDecision("B3", Decision.Included, true, null, [], []),
            new ScreeningDecision("B4", Decision.Excluded, true, "tumor", ["tumor"], []),
            new ScreeningDecision("B5", Decision.Included, true, null, [], []),
        ]);

        async Task<(string Ids, int Total)> Page(IncludedExamFilter filter, int offset = 0, int limit = 10, string protocol = "sacrum-mri-lbp")
        {
            var page = await Workspace.Screening.GetIncludedExamPageAsync(protocol, filter, offset, limit, Ct);
            return (string.Join(' ', page.Exams.Select(e => e.Order.OrderId)), page.Total);
        }

        // By exam date (performed, else ordered), then order id; B4 is included only in the older run.
        Assert.Equal(("B1 B3 B5 B2", 4), await Page(new IncludedExamFilter()));
        Assert.Equal(("B3 B5", 4), await Page(new IncludedExamFilter(), offset: 1, limit: 2));
        Assert.Equal(("", 4), await Page(new IncludedExamFilter(), limit: 0));
        Assert.Equal(("", 4), await Page(new IncludedExamFilter(), offset: 4));
        Assert.Equal(("B1 B3 B5", 3), await Page(new IncludedExamFilter(Core.Analytics.DateRange.Parse("2015-01-01..2015-12-31"))));
        Assert.Equal(("B2", 1), await Page(new IncludedExamFilter(Core.Analytics.DateRange.Parse("2016-02-01..2016-02-01"))));
        Assert.Equal(("B1 B2", 2), await Page(new IncludedExamFilter(Department: "Orthopedics")));
        Assert.Equal(("B3", 1), await Page(new IncludedExamFilter(Department: Core.Analytics.OrderingPareto.NotRecorded)));
        Assert.Equal(("B1 B5", 2), await Page(new IncludedExamFilter(Provider: "Dr A")));
        Assert.Equal(("B2", 1), await Page(new IncludedExamFilter(Provider: Core.Analytics.OrderingPareto.NotRecorded)));
        Assert.Equal(("B1", 1), await Page(new IncludedExamFilter(Department: "Orthopedics", Provider: "Dr A")));
        Assert.Equal(("B3", 1), await Page(new IncludedExamFilter(Reviewed: true)));
        Assert.Equal(("B1 B5 B2", 3), await Page(new IncludedExamFilter(Reviewed: false)));
        Assert.Equal(("", 0), await Page(new IncludedExamFilter(), protocol: "other-protocol"));
        Assert.Equal(("B3 B2", 2), await Page(new IncludedExamFilter(OrderIds: ["B2", "B3", "B4", "NOPE"])));
        Assert.Equal(("B2", 1), await Page(new IncludedExamFilter(Department: "Orthopedics", OrderIds: ["B2", "B3"])));
        Assert.Equal(["B1", "B5", "B2"], await Workspace.Screening.GetIncludedOrderIdsAsync("sacrum-mri-lbp", new IncludedExamFilter(Reviewed: false), Ct));
        Assert.Equal(["B3", "B5"], await Workspace.Screening.GetIncludedOrderIdsAsync("sacrum-mri-lbp", new IncludedExamFilter(Core.Analytics.DateRange.Parse("2015-03-17..2015-03-17"), OrderIds: ["B3", "B5", "B2"]), Ct));
        Assert.Empty(await Workspace.Screening.GetIncludedOrderIdsAsync("other-protocol", new IncludedExamFilter(), Ct));
        var first = (await Workspace.Screening.GetIncludedExamPageAsync("sacrum-mri-lbp", new IncludedExamFilter(), 0, 1, Ct)).Exams[0];
        Assert.Equal([Pain], first.Evidence);
        Assert.Equal("Orthopedics", first.Order.OrderingDepartment);

        // The same page's rows without the count.
        async Task<string> Rows(IncludedExamFilter filter, int offset = 0, int limit = 10) =>
            string.Join(' ', (await Workspace.Screening.GetIncludedExamRowsAsync("sacrum-mri-lbp", filter, offset, limit, Ct)).Select(e => e.Order.OrderId));
        Assert.Equal("B1 B3 B5 B2", await Rows(new IncludedExamFilter()));
        Assert.Equal("B3 B5", await Rows(new IncludedExamFilter(), offset: 1, limit: 2));
        Assert.Equal(string.Empty, await Rows(new IncludedExamFilter(), limit: 0));
        Assert.Equal(string.Empty, await Rows(new IncludedExamFilter(), offset: 4));
        Assert.Equal("B5 B2", await Rows(new IncludedExamFilter(Reviewed: false), offset: 1));
        Assert.Equal("B1 B2", await Rows(new IncludedExamFilter(Department: "Orthopedics")));
        Assert.Equal([Pain], (await Workspace.Screening.GetIncludedExamRowsAsync("sacrum-mri-lbp", new IncludedExamFilter(), 0, 1, Ct))[0].Evidence);
    }

    [Fact]
    public async Task Worklist_PagedInTheStore_SameRowsAndCountsAsBuiltFromEveryExam()
    {
        // 150 orders over three years, departments and providers (some missing), reviews of every kind; 120 included.
        var random = new Random(16);
        string? Pick(params string?[] names) => names[random.Next(names.Length)];
        var orders = Enumerable.Range(0, 150).Select(i =>
        {
            var id = $"W{i:D3}";
            var values = Seed.OrderValues(id, orderedAt: new DateTime(2014, 1, 1, 9, 0, 0).AddDays(random.Next(3 * 365)).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            values[CanonicalTable.Orders.IndexOf("ordering_department")] = Pick("Orthopedics", "Emergency", null);
            values[CanonicalTable.Orders.IndexOf("ordering_provider")] = Pick("Dr A", "Dr B", "Dr C", null);
            return (id, values);
        }).ToList();
        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, orders);
        var reviews = new List<(string, string?[])>();
        foreach (var (id, _) in orders.Where((_, i) => i % 2 == 0))
        {
            string?[] Review(string reviewer, string major, string management, string role) => [id, reviewer, major, Pick("yes", "no"), Pick("yes", "no"), null, management, role, "2017-01-02T10:00:00"];
            var first = Pick("ana", "ben")!;
            reviews.Add(($"{id}|{first}", Review(first, Pick("yes", "no", "no")!, Pick("none", "minor", "major")!, "primary")));
            switch (random.Next(4))
            {
                case 0:
                    reviews.Add(($"{id}|cy", Review("cy", Pick("yes", "no")!, "none", "second")));
                    break;
                case 1:
                    reviews.Add(($"{id}|cy", Review("cy", "yes", "none", "second")));
                    reviews.Add(($"{id}|dee", Review("dee", "no", "none", "adjudicator")));
                    break;
            }
        }

        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Reviews, reviews, "reviews.csv");
        await Seed.SaveRunAsync(Workspace.Screening, Seed.Stamp(), [.. orders.Select((o, i) => new ScreeningDecision(o.id, i % 5 == 4 ? Decision.Excluded : Decision.Included, true, null, [], []))]);
        var exams = await Workspace.Screening.GetIncludedExamsAsync("sacrum-mri-lbp", Ct);
        var stored = await Workspace.Reviews.GetAllReviewsAsync(Ct);
        var policy = new Core.Review.SecondReviewPolicy(0.5, 3);
        static string Shown(Core.Review.WorklistPage page) =>
            $"{page.Page}/{page.PageCount} {string.Join(',', page.Counts.OrderBy(c => c.Key).Select(c => c.Value))}: "
            + string.Join(' ', page.Rows.Select(r => $"{r.Order.OrderId}:{r.Stage}:{r.Final?.Reviewer}:{r.Reviews}:{r.Mine}"));

        foreach (var (period, department, provider) in new (Core.Analytics.DateRange?, string?, string?)[]
        {
            (null, null, null), (Core.Analytics.DateRange.Parse("2015-01-01..2015-12-31"), null, null), (null, "Orthopedics", null),
            (null, Core.Analytics.OrderingPareto.NotRecorded, "Dr B"), (Core.Analytics.DateRange.Parse("2014-06-01..2016-05-31"), null, Core.Analytics.OrderingPareto.NotRecorded),
        })
        {
            var scoped = exams.Where(e => (department is null || Core.Analytics.OrderingPareto.NameOf(e.Order.OrderingDepartment) == department)
                && (provider is null || Core.Analytics.OrderingPareto.NameOf(e.Order.OrderingProvider) == provider)).ToList();
            foreach (var filter in Enum.GetValues<Core.Review.WorklistFilter>())
            {
                foreach (var page in new[] { 0, 1, 2, 3, 99 })
                {
                    var built = Core.Review.Worklist.Build(scoped, stored, period, "ANA", policy, filter, page, 7);
                    var read = await Core.Review.Worklist.ReadAsync(Workspace.Screening, "sacrum-mri-lbp", new IncludedExamFilter(period, department, provider), stored, "ANA", policy, filter, page, 7, Ct);
                    Assert.Equal(Shown(built), Shown(read));
                }
            }
        }

        Assert.Equal(120, (await Core.Review.Worklist.ReadAsync(Workspace.Screening, "sacrum-mri-lbp", new IncludedExamFilter(), stored, "ana", policy, Core.Review.WorklistFilter.All, 1, 7, Ct)).Counts[Core.Review.WorklistFilter.All]);
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
