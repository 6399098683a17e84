using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;

namespace ImagingValue.Storage.Tests.Contracts;

/// <summary>What every provider's imports do: all or nothing, idempotent, conflicting keys left as they were.</summary>
public abstract class ImportStoreContract : WorkspaceContract
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Import_DisposedWithoutCommit_NothingWritten()
    {
        await using (var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "a.csv", Ct))
        {
            await session.StageAsync(2, "O1", Seed.OrderValues("O1"), null, Ct);
        }

        var counts = await Workspace.CountRowsAsync(Ct);
        Assert.Equal(0, counts["orders"]);
        Assert.Equal(0, counts["imports"]);
        Assert.Empty(await Workspace.Data.GetOrdersAsync(Ct));
    }

    [Fact]
    public async Task Import_SameKeyTwice_ConflictOnlyWhenDataDiffers()
    {
        await using var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "a.csv", Ct);
        await session.StageAsync(2, "O1", Seed.OrderValues("O1"), null, Ct);
        await session.StageAsync(3, "O2", Seed.OrderValues("O2"), null, Ct);
        await session.StageAsync(4, "O1", Seed.OrderValues("O1"), null, Ct);
        await session.StageAsync(5, "O2", Seed.OrderValues("O2", "other"), null, Ct);
        await session.StageAsync(6, "O2", Seed.OrderValues("O2"), "{\"x\":\"1\"}", Ct);

        var conflict = Assert.Single(await session.FindConflictsAsync(Ct));
        Assert.Equal("O2", conflict.Key);
        Assert.Equal([3, 5, 6], conflict.Lines);

        var counts = await session.CommitAsync(new HashSet<string> { "O2" }, 2, Ct);
        Assert.Equal(new ImportCounts(1, 0, 0), counts);
        Assert.Equal(["O1"], (await Workspace.Data.GetOrdersAsync(Ct)).Select(o => o.OrderId));
        Assert.Equal(2, await Workspace.Data.GetRejectedImportRowsAsync(Ct));
    }

    [Fact]
    public async Task Import_UnsortedFileWithRepeatsChangesAndUnchangedRows_CountedByKey()
    {
        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, [("O1", Seed.OrderValues("O1")), ("O2", Seed.OrderValues("O2")), ("O3", Seed.OrderValues("O3"))]);

        await using var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "b.csv", Ct);
        await session.StageAsync(2, "O5", Seed.OrderValues("O5"), null, Ct);
        await session.StageAsync(3, "O2", Seed.OrderValues("O2", "changed"), null, Ct);
        await session.StageAsync(4, "O1", Seed.OrderValues("O1"), null, Ct);
        await session.StageAsync(5, "O5", Seed.OrderValues("O5"), null, Ct);
        await session.StageAsync(6, "O4", Seed.OrderValues("O4"), null, Ct);
        await session.StageAsync(7, "O3", Seed.OrderValues("O3"), null, Ct);
        await session.StageAsync(8, "O2", Seed.OrderValues("O2", "changed"), null, Ct);

        Assert.Empty(await session.FindConflictsAsync(Ct));
        Assert.Equal(new ImportCounts(2, 1, 2), await session.CommitAsync(new HashSet<string>(), 0, Ct));
        var orders = await Workspace.Data.GetOrdersAsync(Ct);
        Assert.Equal([("O1", "LBP"), ("O2", "changed"), ("O3", "LBP"), ("O4", "LBP"), ("O5", "LBP")],
            orders.OrderBy(o => o.OrderId, StringComparer.Ordinal).Select(o => (o.OrderId, o.Indication)));
    }

    [Fact]
    public async Task Import_UnsortedKeysIntoAnEmptyTable_EveryRowInsertedOnce()
    {
        await using (var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "a.csv", Ct))
        {
            await session.StageAsync(2, "O3", Seed.OrderValues("O3", "third"), null, Ct);
            await session.StageAsync(3, "O1", Seed.OrderValues("O1", "first"), null, Ct);
            await session.StageAsync(4, "O2", Seed.OrderValues("O2", "second"), null, Ct);
            Assert.Empty(await session.FindConflictsAsync(Ct));
            Assert.Equal(new ImportCounts(3, 0, 0), await session.CommitAsync(new HashSet<string>(), 0, Ct));
        }

        var orders = await Workspace.Data.GetOrdersAsync(Ct);
        Assert.Equal([("O1", "first"), ("O2", "second"), ("O3", "third")], orders.OrderBy(o => o.OrderId, StringComparer.Ordinal).Select(o => (o.OrderId, o.Indication)));
        Assert.Equal(new ImportCounts(0, 0, 3), await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, orders.Select(o => (o.OrderId, Seed.OrderValues(o.OrderId, o.Indication)))));
    }

    [Fact]
    public async Task Import_SameKeyTwiceCommittedWithoutAskingForConflicts_LastRowWins()
    {
        await using (var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "a.csv", Ct))
        {
            await session.StageAsync(2, "O1", Seed.OrderValues("O1", "earlier"), null, Ct);
            await session.StageAsync(3, "O2", Seed.OrderValues("O2"), null, Ct);
            await session.StageAsync(4, "O1", Seed.OrderValues("O1", "later"), null, Ct);
            Assert.Equal(new ImportCounts(2, 0, 0), await session.CommitAsync(new HashSet<string>(), 0, Ct));
        }

        var orders = await Workspace.Data.GetOrdersAsync(Ct);
        Assert.Equal([("O1", "later"), ("O2", "LBP")], orders.OrderBy(o => o.OrderId, StringComparer.Ordinal).Select(o => (o.OrderId, o.Indication)));
    }

    [Fact]
    public async Task Import_ManyChunksInDescendingOrderWithAConflictAtTheEnd_CountsAndLines()
    {
        await using (var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "big.csv", Ct))
        {
            // More rows than one chunk of any engine's staging, keys descending; the first key comes back changed last.
            for (var i = 20_000; i > 0; i--)
            {
                await session.StageAsync(20_002 - i, $"O{i:D6}", Seed.OrderValues($"O{i:D6}"), null, Ct);
            }

            await session.StageAsync(20_002, "O020000", Seed.OrderValues("O020000", "changed"), null, Ct);
            var conflict = Assert.Single(await session.FindConflictsAsync(Ct));
            Assert.Equal("O020000", conflict.Key);
            Assert.Equal([2, 20_002], conflict.Lines);
            Assert.Equal(new ImportCounts(19_999, 0, 0), await session.CommitAsync(new HashSet<string> { "O020000" }, 2, Ct));
        }

        var orders = await Workspace.Data.GetOrdersAsync(Ct);
        Assert.Equal(19_999, orders.Count);
        Assert.DoesNotContain(orders, o => o.OrderId == "O020000");
    }

    [Fact]
    public async Task Import_AscendingKeysIntoAnEmptyTableThenEarlierKeysAgain_ConflictNamesTheFirstLine()
    {
        // PostgreSQL copies ascending keys straight into an empty table and moves them to staging at the first key out
        // of order: the lines (with gaps, as multi-line records and rejected rows leave) must come along.
        static int LineOf(int i) => 2 + i + (i / 1000 * 3);
        await using (var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "big.csv", Ct))
        {
            for (var i = 0; i < 20_000; i++)
            {
                await session.StageAsync(LineOf(i), $"O{i:D6}", Seed.OrderValues($"O{i:D6}"), null, Ct);
            }

            await session.StageAsync(LineOf(20_000), "O007000", Seed.OrderValues("O007000"), null, Ct);
            await session.StageAsync(LineOf(20_001), "O005000", Seed.OrderValues("O005000", "changed"), null, Ct);
            var conflict = Assert.Single(await session.FindConflictsAsync(Ct));
            Assert.Equal("O005000", conflict.Key);
            Assert.Equal([LineOf(5_000), LineOf(20_001)], conflict.Lines);
            Assert.Equal(new ImportCounts(19_999, 0, 0), await session.CommitAsync(new HashSet<string> { "O005000" }, 2, Ct));
        }

        var orders = await Workspace.Data.GetOrdersAsync(Ct);
        Assert.Equal(19_999, orders.Count);
        Assert.DoesNotContain(orders, o => o.OrderId == "O005000");
        Assert.Equal(new ImportCounts(0, 0, 19_999), await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, orders.Select(o => (o.OrderId, Seed.OrderValues(o.OrderId)))));
    }

    [Fact]
    public async Task Import_KeysAscendingInUtf16ButNotInCodePoints_ConflictNamesTheRightLines()
    {
        // U+1F600 is a surrogate pair (D83D DE00), before U+E000 in UTF-16 units but after it in code points, which is
        // the order of PostgreSQL's "C" collation (UTF-8 bytes): the rows' lines must not be swapped.
        await using var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "a.csv", Ct);
        await session.StageAsync(2, "K\U0001F600", Seed.OrderValues("K\U0001F600"), null, Ct);
        await session.StageAsync(3, "K\uE000", Seed.OrderValues("K\uE000"), null, Ct);
        await session.StageAsync(4, "K\U0001F600", Seed.OrderValues("K\U0001F600", "changed"), null, Ct);

        var conflict = Assert.Single(await session.FindConflictsAsync(Ct));
        Assert.Equal("K\U0001F600", conflict.Key);
        Assert.Equal([2, 4], conflict.Lines);
    }

    [Fact]
    public async Task Import_AscendingKeysIntoAnEmptyTableWithAKeySkipped_TheOthersInserted()
    {
        await using (var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "a.csv", Ct))
        {
            await session.StageAsync(2, "O1", Seed.OrderValues("O1"), null, Ct);
            await session.StageAsync(3, "O2", Seed.OrderValues("O2"), null, Ct);
            await session.StageAsync(4, "O3", Seed.OrderValues("O3"), "{\"x\":\"1\"}", Ct);
            Assert.Empty(await session.FindConflictsAsync(Ct));
            Assert.Equal(new ImportCounts(2, 0, 0), await session.CommitAsync(new HashSet<string> { "O2" }, 0, Ct));
        }

        var orders = await Workspace.Data.GetOrdersAsync(Ct);
        Assert.Equal(["O1", "O3"], orders.Select(o => o.OrderId).Order(StringComparer.Ordinal));
        Assert.Equal(1, (await Workspace.CountRowsAsync(Ct))["imports"]);
    }

    private static string?[] ConditionValues(string id, string patient) =>
        [id, patient, "M54.5", "ICD-10-CM", null, "2016-01-02", null, "active", null];

    [Fact]
    public async Task Batch_SeveralTablesCommitTogether_EachWithItsCounts()
    {
        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, [("O1", Seed.OrderValues("O1"))]);
        await using (var batch = await Workspace.Imports.BeginBatchImportAsync([CanonicalTable.Orders, CanonicalTable.Conditions], "export", Ct))
        {
            await batch[CanonicalTable.Orders].StageAsync(1, "O1", Seed.OrderValues("O1", "changed"), null, Ct);
            await batch[CanonicalTable.Orders].StageAsync(2, "O2", Seed.OrderValues("O2"), null, Ct);
            await batch[CanonicalTable.Conditions].StageAsync(3, "C1", ConditionValues("C1", "P-O2"), null, Ct);
            Assert.Empty(await batch[CanonicalTable.Orders].FindConflictsAsync(Ct));
            Assert.Empty(await batch[CanonicalTable.Conditions].FindConflictsAsync(Ct));
            Assert.Equal(new ImportCounts(1, 1, 0), await batch[CanonicalTable.Orders].CommitAsync(new HashSet<string>(), 0, Ct));
            Assert.Equal(new ImportCounts(1, 0, 0), await batch[CanonicalTable.Conditions].CommitAsync(new HashSet<string>(), 0, Ct));
            await batch.CommitAsync(Ct);
        }

        var orders = await Workspace.Data.GetOrdersAsync(Ct);
        Assert.Equal([("O1", "changed"), ("O2", "LBP")], orders.OrderBy(o => o.OrderId, StringComparer.Ordinal).Select(o => (o.OrderId, o.Indication)));
        Assert.Equal(["P-O2"], (await Workspace.Data.GetConditionsAsync(Ct)).Select(c => c.PatientId));
    }

    [Fact]
    public async Task Batch_DisposedAfterTheSessionsCommittedButNotTheBatch_NothingWritten()
    {
        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, [("O1", Seed.OrderValues("O1"))]);
        var before = await Workspace.CountRowsAsync(Ct);
        await using (var batch = await Workspace.Imports.BeginBatchImportAsync([CanonicalTable.Orders, CanonicalTable.Conditions], "export", Ct))
        {
            await batch[CanonicalTable.Orders].StageAsync(1, "O1", Seed.OrderValues("O1", "changed"), null, Ct);
            await batch[CanonicalTable.Conditions].StageAsync(2, "C1", ConditionValues("C1", "P-O1"), null, Ct);
            await batch[CanonicalTable.Orders].CommitAsync(new HashSet<string>(), 0, Ct);
            await batch[CanonicalTable.Conditions].CommitAsync(new HashSet<string>(), 0, Ct);
        }

        Assert.Equal(before, await Workspace.CountRowsAsync(Ct));
        Assert.Equal(["LBP"], (await Workspace.Data.GetOrdersAsync(Ct)).Select(o => o.Indication));
        Assert.Empty(await Workspace.Data.GetConditionsAsync(Ct));
    }

    [Fact]
    public async Task Scratch_LastValueWinsInTheFirstPlace_KindsApart_NoLockOnTheWorkspace()
    {
        using var scratch = await Workspace.Imports.BeginScratchAsync(Ct);
        using var another = await Workspace.Imports.BeginScratchAsync(Ct);
        Assert.Null(scratch.Get(1, "a"));
        Assert.Empty(scratch.Read(1));
        scratch.Put(1, "a", "first"u8);
        scratch.Put(1, "b", "b"u8);
        scratch.Put(2, "a", "other kind"u8);
        scratch.Put(1, "a", "last"u8);
        scratch.Put(1, "c", []);
        another.Put(1, "z", "z"u8);

        // An import can begin and commit while a scratch holds values: reading an export does not lock the workspace.
        Assert.Equal(new ImportCounts(1, 0, 0), await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, [("O1", Seed.OrderValues("O1"))]));

        Assert.Equal("last"u8.ToArray(), scratch.Get(1, "a"));
        Assert.Equal("other kind"u8.ToArray(), scratch.Get(2, "a"));
        Assert.Null(scratch.Get(2, "b"));
        Assert.Equal([("a", "last"), ("b", "b"), ("c", "")], scratch.Read(1).Select(e => (e.Key, System.Text.Encoding.UTF8.GetString(e.Value))));
        Assert.Equal(["z"], another.Read(1).Select(e => e.Key));
    }

    [Fact]
    public async Task RejectedRows_SummedOverCommittedImportsOnly()
    {
        Assert.Equal(0, await Workspace.Data.GetRejectedImportRowsAsync(Ct));
        foreach (var rejected in new[] { 3L, 4L })
        {
            await using var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "a.csv", Ct);
            await session.StageAsync(2, "O" + rejected, Seed.OrderValues("O" + rejected), null, Ct);
            await session.CommitAsync(new HashSet<string>(), rejected, Ct);
        }

        await using (var abandoned = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "b.csv", Ct))
        {
            await abandoned.StageAsync(2, "O9", Seed.OrderValues("O9"), null, Ct);
        }

        Assert.Equal(7, await Workspace.Data.GetRejectedImportRowsAsync(Ct));
    }

    [Fact]
    public async Task Import_SameFileAgain_NothingChangesAndTheInputsRevisionStays()
    {
        var rows = new[] { ("O1", Seed.OrderValues("O1")), ("O2", Seed.OrderValues("O2")) };
        Assert.Equal(new ImportCounts(2, 0, 0), await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, rows));
        var revision = await Workspace.Screening.GetScreeningInputsRevisionAsync(Ct);
        var orders = await Workspace.Data.GetOrdersAsync(Ct);

        Assert.Equal(new ImportCounts(0, 0, 2), await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, rows));

        Assert.Equal(revision, await Workspace.Screening.GetScreeningInputsRevisionAsync(Ct));
        Assert.Equal(orders.Select(Seed.Comparable), (await Workspace.Data.GetOrdersAsync(Ct)).Select(Seed.Comparable));
        Assert.True(revision > 0);
    }

    [Fact]
    public async Task Import_ChangedRow_UpdatedByKeyAndTheInputsRevisionMoves()
    {
        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, [("O1", Seed.OrderValues("O1")), ("O2", Seed.OrderValues("O2"))]);
        var revision = await Workspace.Screening.GetScreeningInputsRevisionAsync(Ct);

        var counts = await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, [("O1", Seed.OrderValues("O1", "LBP x 3 months")), ("O3", Seed.OrderValues("O3"))]);

        Assert.Equal(new ImportCounts(1, 1, 0), counts);
        Assert.True(await Workspace.Screening.GetScreeningInputsRevisionAsync(Ct) > revision);
        var orders = await Workspace.Data.GetOrdersAsync(Ct);
        Assert.Equal(["O1", "O2", "O3"], orders.Select(o => o.OrderId));
        Assert.Equal("LBP x 3 months", orders[0].Indication);
    }

    [Fact]
    public async Task Import_ConflictingKeyAlreadyStored_KeptExactlyAsBefore()
    {
        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, [("O1", Seed.OrderValues("O1", "before"))]);
        var before = await Workspace.Data.GetOrdersAsync(Ct);

        await using (var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "b.csv", Ct))
        {
            await session.StageAsync(2, "O1", Seed.OrderValues("O1", "after"), null, Ct);
            await session.StageAsync(3, "O1", Seed.OrderValues("O1", "other"), null, Ct);
            await session.StageAsync(4, "O2", Seed.OrderValues("O2"), null, Ct);
            var conflicts = await session.FindConflictsAsync(Ct);
            Assert.Equal(new ImportCounts(1, 0, 0), await session.CommitAsync(conflicts.Select(c => c.Key).ToHashSet(), 0, Ct));
        }

        var after = await Workspace.Data.GetOrdersAsync(Ct);
        Assert.Equal(Seed.Comparable(before[0]), Seed.Comparable(after[0]));
        Assert.Equal(["O1", "O2"], after.Select(o => o.OrderId));
    }

    [Fact]
    public async Task Import_CancelledWhileStaging_StopsAndNothingWritten()
    {
        using var cancel = new CancellationTokenSource();
        await using (var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "a.csv", Ct))
        {
            await session.StageAsync(2, "O1", Seed.OrderValues("O1"), null, cancel.Token);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.StageAsync(3, "O2", Seed.OrderValues("O2"), null, cancel.Token).AsTask());
        }

        Assert.Equal(0, (await Workspace.CountRowsAsync(Ct))["orders"]);
        Assert.Equal(0, (await Workspace.CountRowsAsync(Ct))["imports"]);
    }

    [Fact]
    public async Task Import_Cancelled_NothingWritten()
    {
        using var cancel = new CancellationTokenSource();
        await using (var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "a.csv", Ct))
        {
            await session.StageAsync(2, "O1", Seed.OrderValues("O1"), null, Ct);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.CommitAsync(new HashSet<string>(), 0, cancel.Token));
        }

        Assert.Equal(0, (await Workspace.CountRowsAsync(Ct))["orders"]);
    }
}
