using ImagingValue.Core.Screening;
using ImagingValue.Storage.Sqlite;
using ImagingValue.Storage.Tests.Contracts;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Storage.Tests.Sqlite;

public sealed class ScreeningEvidenceStorageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iv-evidence-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, SqliteWorkspace.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task SaveScreeningRun_TypedEvidence_ReadBackEqual()
    {
        var ct = CancellationToken.None;
        const string text = "Ölbild \"quoted\" | bar\nnew line, 腰痛 😀";
        ScreeningEvidence[] evidence =
        [
            new(EvidenceSource.Exam, EvidenceRole.Counted, For: "sacrum MRI", Text: "MRI \"SACRUM\" | WO"),
            new(EvidenceSource.Exam, EvidenceRole.Unmet, For: "sacrum MRI", Concept: "arthrogram", Text: "MR ARTHROGRAM", Qualifiers: EvidenceQualifiers.ExcludedTerm),
            new(EvidenceSource.OrderStatus, EvidenceRole.Unmet, Text: "in-progress"),
            new(EvidenceSource.ReasonCode, EvidenceRole.Counted, For: "tumor", Code: "C79.51"),
            new(EvidenceSource.ConditionCode, EvidenceRole.Ignored, For: "tumor", Code: "C61", KnownFrom: new DateOnly(2016, 2, 1)),
            new(EvidenceSource.ConditionCode, EvidenceRole.Ignored, For: "trauma", Code: "S32", Since: new DateOnly(2014, 1, 1), Qualifiers: EvidenceQualifiers.DaysBeforeOrder, DaysBeforeOrder: 441),
            new(EvidenceSource.ConditionText, EvidenceRole.Counted, For: "tumor", Concept: "tumor", Text: text, Mention: new TextSpan(1, 5), Sentence: new TextSpan(0, text.Length), Since: new DateOnly(2012, 4, 1)),
            new(EvidenceSource.Indication, EvidenceRole.Ignored, For: "recent_trauma", Concept: "fall", Text: text, Mention: new TextSpan(3, 2), Sentence: new TextSpan(2, 30), Qualifiers: EvidenceQualifiers.Suspected | EvidenceQualifiers.DaysBeforeOrder, DaysBeforeOrder: 61),
            new(EvidenceSource.Indication, EvidenceRole.Unmet, For: "low back pain", Text: "{not json"),
            new(EvidenceSource.Indication, EvidenceRole.Missing),
            new(EvidenceSource.Requirement, EvidenceRole.Unmet, For: "trauma_older", Concept: "age 70 or older", Text: "patient 45"),
            ScreeningEvidence.FromLegacyText("[starts like json"),
        ];
        using var store = SqliteWorkspace.Create(_dir, TimeProvider.System);
        var id = await Seed.SaveRunAsync(store.Screening, Seed.Stamp("p"),
        [
            new ScreeningDecision("O1", Decision.Excluded, true, "tumor", ["tumor"], evidence),
            new ScreeningDecision("O2", Decision.NotTarget, false, null, [], []),
            new ScreeningDecision("O3", Decision.Included, true, null, [], [evidence[^4]]),
        ]);
        var read = await store.Screening.GetScreeningDecisionsAsync(id, ct);

        Assert.Equal(evidence, read[0].Evidence);
        Assert.Empty(read[1].Evidence);
        Assert.Equal([evidence[^4]], read[2].Evidence);
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, SqliteWorkspace.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task SaveScreeningRun_NotTargetExamOnlyEvidence_StoredOncePerRunAndItem_OldInlineRowsStillRead()
    {
        // Issue 17: a not-target decision's exam match is one row of screening_evidence per run and item, not a copy
        // per order; rows written inline before migration 15 read as they did.
        var ct = CancellationToken.None;
        var chest = new ScreeningEvidence(EvidenceSource.Exam, EvidenceRole.Unmet, For: "sacrum MRI", Text: "MRI CHEST", Qualifiers: EvidenceQualifiers.NotBodyPart);
        var knee = new ScreeningEvidence(EvidenceSource.Exam, EvidenceRole.Unmet, For: "sacrum MRI", Text: "MRI KNEE", Qualifiers: EvidenceQualifiers.NotBodyPart);
        using var store = SqliteWorkspace.Create(_dir, TimeProvider.System);
        var id = await Seed.SaveRunAsync(store.Screening, Seed.Stamp("p"),
        [
            .. Enumerable.Range(1, 100).Select(i => new ScreeningDecision($"O{i:D3}", Decision.NotTarget, false, null, [], [i % 3 == 0 ? knee : chest])),
            new ScreeningDecision("O101", Decision.Excluded, true, "tumor", ["tumor"], [chest]),
        ]);
        Execute($"INSERT INTO screening_decisions (run_id, order_id, decision, is_target, reasons, evidence) VALUES ({id}, 'O102', 'not_target', 0, '', '[{{\"s\":\"e\",\"r\":\"u\",\"f\":\"sacrum MRI\",\"t\":\"MRI HAND\"}}]')");

        Assert.Equal(2, Scalar($"SELECT COUNT(*) FROM screening_evidence WHERE run_id = {id}"));
        Assert.Equal(100, Scalar($"SELECT COUNT(*) FROM screening_decisions WHERE run_id = {id} AND evidence IS NULL AND evidence_id IS NOT NULL"));
        var read = await store.Screening.GetScreeningDecisionsAsync(id, ct);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => i % 3 == 0 ? "MRI KNEE" : "MRI CHEST"), read.Take(100).Select(d => Assert.Single(d.Evidence).Text));
        Assert.Equal([chest], read[100].Evidence);
        Assert.Equal("MRI HAND", Assert.Single(read[101].Evidence).Text);
        Assert.Equal([knee], (await store.Screening.GetLatestDecisionAsync("p", "O003", ct))!.Evidence);
    }

    [Fact]
    public async Task SaveScreeningRun_InlineAndSharedEvidenceTakingTurnsInABatch_EachRowHoldsOneOfThem()
    {
        // Issue 17: decisions go 32 to a statement, each place of it keeping its last bindings; a place that held a
        // shared item's id and now takes inline evidence (or the other way round) must clear the other column, or a
        // row would name a shared item it does not have. 3 does not divide 32: every place sees both kinds.
        var chest = new ScreeningEvidence(EvidenceSource.Exam, EvidenceRole.Unmet, For: "sacrum MRI", Text: "MRI CHEST", Qualifiers: EvidenceQualifiers.NotBodyPart);
        var pain = new ScreeningEvidence(EvidenceSource.Indication, EvidenceRole.Counted, For: "low_back_pain", Concept: "low_back_pain", Text: "LBP", Mention: new TextSpan(0, 3), Sentence: new TextSpan(0, 3));
        using var store = SqliteWorkspace.Create(_dir, TimeProvider.System);
        var id = await Seed.SaveRunAsync(store.Screening, Seed.Stamp("p"),
        [
            .. Enumerable.Range(0, 200).Select(i => i % 3 == 0
                ? new ScreeningDecision($"O{i:D3}", Decision.Included, true, null, [], [pain])
                : new ScreeningDecision($"O{i:D3}", Decision.NotTarget, false, null, [], [chest])),
        ]);

        Assert.Equal(67, Scalar($"SELECT COUNT(*) FROM screening_decisions WHERE run_id = {id} AND evidence IS NOT NULL AND evidence_id IS NULL"));
        Assert.Equal(133, Scalar($"SELECT COUNT(*) FROM screening_decisions WHERE run_id = {id} AND evidence IS NULL AND evidence_id IS NOT NULL"));
        Assert.Equal(0, Scalar($"SELECT COUNT(*) FROM screening_decisions WHERE run_id = {id} AND decision = 'included' AND evidence_id IS NOT NULL"));
    }

    [Fact]
    public async Task GetScreeningDecisions_OldTextForm_LegacyItemsWithTheirText()
    {
        var ct = CancellationToken.None;
        using var store = SqliteWorkspace.Create(_dir, TimeProvider.System);
        var id = await Seed.SaveRunAsync(store.Screening, Seed.Stamp("p"), [new ScreeningDecision("O1", Decision.Included, true, null, [], [])]);
        Execute($"INSERT INTO screening_decisions (run_id, order_id, decision, is_target, evidence) VALUES ({id}, 'O2', 'included', 1, 'indication: \"LBP\" [low_back_pain] | ignored indication: \"no trauma\" [recent_trauma, negated]')");
        Execute($"INSERT INTO screening_decisions (run_id, order_id, decision, is_target, evidence) VALUES ({id}, 'O3', 'excluded', 1, '[\"indication: \\\"a | b\\\" [tumor]\"]')");

        var read = await store.Screening.GetScreeningDecisionsAsync(id, ct);

        Assert.Equal(
            [ScreeningEvidence.FromLegacyText("indication: \"LBP\" [low_back_pain]"), ScreeningEvidence.FromLegacyText("ignored indication: \"no trauma\" [recent_trauma, negated]")],
            read[1].Evidence);
        Assert.Equal("indication: \"LBP\" [low_back_pain] | ignored indication: \"no trauma\" [recent_trauma, negated]", ScreeningEvidenceFormatter.Join(read[1].Evidence));
        Assert.Equal([ScreeningEvidence.FromLegacyText("indication: \"a | b\" [tumor]")], read[2].Evidence);
    }

    [Fact]
    public async Task Open_RunStoredBeforeTypedEvidence_NoLongerCurrent()
    {
        var ct = CancellationToken.None;
        using (var store = SqliteWorkspace.Create(_dir, TimeProvider.System))
        {
            await Seed.SaveRunAsync(store.Screening, Seed.Stamp("p"), []);
        }

        // Back to version 5: what later migrations added is undone (0007's alert columns, 0008's user columns and
        // analyses table, 0009 and 0011 columns, 0012's feed tables, 0013's table, 0014's token table, 0015's shared evidence), so
        // reopening replays 0006 onwards cleanly.
        Execute("UPDATE screening_runs SET protocol_fingerprint = 'f', data_revision = 1; DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (5); "
            + "DROP INDEX cds_alerts_order; ALTER TABLE cds_alerts DROP COLUMN patient_id; ALTER TABLE cds_alerts DROP COLUMN encounter_id; ALTER TABLE cds_alerts DROP COLUMN order_identified; "
            + "ALTER TABLE users DROP COLUMN disabled; ALTER TABLE users DROP COLUMN security_stamp; DROP TABLE analyses; "
            + "ALTER TABLE local_evidence DROP COLUMN synthetic; ALTER TABLE imports DROP COLUMN rows_rejected; "
            + "DROP TABLE feed_messages; DROP TABLE workspace_settings; ALTER TABLE orders DROP COLUMN provisional; "
            + "DROP TABLE worklist_exams; DROP TABLE cds_token_uses; DROP TABLE screening_evidence; ALTER TABLE screening_decisions DROP COLUMN evidence_id");

        using (var store = SqliteWorkspace.Open(_dir, TimeProvider.System))
        {
            var run = await store.Screening.GetLatestScreeningRunAsync("p", ct);
            Assert.NotNull(run);
            Assert.False(run.IsCurrent("f", 1));
        }
    }

    [Fact]
    public async Task GetScreeningDecisions_FirstTypedFormWithWholeWords_StillRead()
    {
        var ct = CancellationToken.None;
        using var store = SqliteWorkspace.Create(_dir, TimeProvider.System);
        var id = await Seed.SaveRunAsync(store.Screening, Seed.Stamp("p"), [new ScreeningDecision("O1", Decision.Included, true, null, [], [])]);
        Execute($"INSERT INTO screening_decisions (run_id, order_id, decision, is_target, evidence) VALUES ({id}, 'O2', 'excluded', 1, " +
            "'{\"v\":1,\"e\":[{\"s\":\"indication\",\"r\":\"counted\",\"f\":\"tumor\",\"c\":\"tumor\",\"t\":\"hx breast ca\",\"m\":[3,9],\"n\":[0,12],\"q\":32}]}')");

        var read = await store.Screening.GetScreeningDecisionsAsync(id, ct);

        Assert.Equal(
            [new ScreeningEvidence(EvidenceSource.Indication, EvidenceRole.Counted, For: "tumor", Concept: "tumor", Text: "hx breast ca", Mention: new TextSpan(3, 9), Sentence: new TextSpan(0, 12), Qualifiers: EvidenceQualifiers.Historical)],
            read[1].Evidence);
    }
}
