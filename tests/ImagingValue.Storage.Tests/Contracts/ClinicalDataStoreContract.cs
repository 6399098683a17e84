using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;

namespace ImagingValue.Storage.Tests.Contracts;

/// <summary>What every provider's reads of the imported tables give back.</summary>
public abstract class ClinicalDataStoreContract : WorkspaceContract
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task ReadOrders_MorePagesThanOne_EveryOrderOnceInOrderIdOrder()
    {
        await Seed.ImportOrdersAsync(Workspace.Imports, 10_000);

        var ids = (await Workspace.Data.ReadOrdersAsync(Ct)).Select(o => o.OrderId).ToList();

        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => $"O{i:D6}"), ids);
        Assert.Equal(ids.ToHashSet(), await Workspace.Data.GetOrderIdsAsync(Ct));
    }

    [Fact]
    public async Task HasSyntheticOrders_OnlyWhenAnOrderCarriesTheGeneratorsMark()
    {
        Assert.False(await Workspace.Data.HasSyntheticOrdersAsync(Ct));
        await using (var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "site.csv", Ct))
        {
            // A site's own extra columns, even one named like the mark with another value, do not mark it.
            await session.StageAsync(2, "R1", Seed.OrderValues("R1"), "{\"site_flag\":\"true\"}", Ct);
            await session.StageAsync(3, "R2", Seed.OrderValues("R2"), $"{{\"{SyntheticData.OrderColumn}\":\"no\"}}", Ct);
            await session.CommitAsync(new HashSet<string>(), 0, Ct);
        }

        Assert.False(await Workspace.Data.HasSyntheticOrdersAsync(Ct));
        await using (var session = await Workspace.Imports.BeginImportAsync(CanonicalTable.Orders, "synth.csv", Ct))
        {
            await session.StageAsync(2, "S1", Seed.OrderValues("S1"), $"{{\"{SyntheticData.OrderColumn}\":\"{SyntheticData.Value}\"}}", Ct);
            await session.CommitAsync(new HashSet<string>(), 0, Ct);
        }

        Assert.True(await Workspace.Data.HasSyntheticOrdersAsync(Ct));
    }

    [Fact]
    public async Task ReadOrderPages_NoOrders_NoPage()
    {
        var pages = 0;
        await foreach (var page in Workspace.Data.ReadOrderPagesAsync(Ct))
        {
            pages++;
        }

        Assert.Equal(0, pages);
    }

    [Fact]
    public async Task ReadOrderPages_DecodedOnAnyThread_SameOrdersAsGetOrders()
    {
        await Seed.ImportAsync(
            Workspace.Imports,
            CanonicalTable.Orders,
            Enumerable.Range(0, 5_000).Select(i => $"O{i:D6}").Select((id, i) => (id, Seed.OrderValues(id, i % 3 == 0 ? null : $"LBP x {i % 9} wks, \"tailbone\" \\ 脊椎 😀"))));
        var pages = new List<OrderPage>();
        await foreach (var page in Workspace.Data.ReadOrderPagesAsync(Ct))
        {
            pages.Add(page);
        }

        var decoded = pages.AsParallel().AsOrdered().SelectMany(page => page.Decode()).ToList();

        Assert.Equal((await Workspace.Data.GetOrdersAsync(Ct)).Select(Seed.Comparable), decoded.Select(Seed.Comparable));
        Assert.Equal(decoded.Count, pages.Sum(p => p.Count));
    }

    [Fact]
    public async Task GetOrder_AndSameDayOrders_ByIdAndPatientDay()
    {
        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Orders, [
            ("A1", Seed.OrderValues("A1", patient: "P1", orderedAt: "2015-03-17T09:00:00")),
            ("A2", Seed.OrderValues("A2", patient: "P1", orderedAt: "2015-03-17T23:00:00")),
            ("A3", Seed.OrderValues("A3", patient: "P1", orderedAt: "2015-03-18T09:00:00")),
            ("B1", Seed.OrderValues("B1", patient: "P2", orderedAt: "2015-03-17T09:00:00")),
        ]);

        Assert.Equal("P1", (await Workspace.Data.GetOrderAsync("A1", Ct))!.PatientId);
        Assert.Null(await Workspace.Data.GetOrderAsync("NOPE", Ct));
        Assert.Equal(["A2"], (await Workspace.Data.GetSameDayOrdersAsync("P1", new DateOnly(2015, 3, 17), "A1", Ct)).Select(o => o.OrderId));
    }

    [Fact]
    public async Task Reports_ReadWholeAndByOrderOrAccession()
    {
        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Reports, [
            ("O1", ["O1", null, "FINDINGS: Tarlov cyst.\nIMPRESSION: No acute finding.", "2015-03-20T10:00:00"]),
            ("accession:A9", [null, "A9", "IMPRESSION: Normal.", null]),
        ]);

        var reports = await Workspace.Data.GetReportsAsync(Ct);

        Assert.Equal(2, reports.Count);
        Assert.Equal("FINDINGS: Tarlov cyst.\nIMPRESSION: No acute finding.", await Workspace.Data.GetReportTextAsync("O1", null, Ct));
        Assert.Equal("IMPRESSION: Normal.", await Workspace.Data.GetReportTextAsync("O2", "A9", Ct));
        Assert.Null(await Workspace.Data.GetReportTextAsync("O3", "A3", Ct));
    }

    [Fact]
    public async Task ConditionsAndReviews_ReadBackAsImported()
    {
        var condition = new string?[CanonicalTable.Conditions.Columns.Count];
        condition[CanonicalTable.Conditions.IndexOf("patient_id")] = "P1";
        condition[CanonicalTable.Conditions.IndexOf("code")] = "C50.9";
        condition[CanonicalTable.Conditions.IndexOf("code_system")] = "icd10";
        condition[CanonicalTable.Conditions.IndexOf("onset_date")] = "2010-01-02";
        condition[CanonicalTable.Conditions.IndexOf("clinical_status")] = "active";
        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Conditions, [(CanonicalTable.Conditions.KeyOf(condition)!, condition)]);
        await Seed.ImportAsync(Workspace.Imports, CanonicalTable.Reviews, [("O1|res1", ["O1", "res1", "no", "yes", "no", null, "minor", "primary", "2016-01-05T10:00:00"])]);

        var stored = Assert.Single(await Workspace.Data.GetConditionsAsync(Ct));
        Assert.Equal(("P1", "C50.9", new DateOnly(2010, 1, 2)), (stored.PatientId, stored.Code, stored.OnsetDate));
        var review = Assert.Single(await Workspace.Data.GetReviewsAsync(Ct));
        Assert.Equal(("O1", "res1", false, true, ManagementChange.Minor), (review.OrderId, review.Reviewer, review.MajorFinding, review.MinorFinding, review.ManagementChange));
    }
}
