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
