using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;

namespace ImagingValue.Storage.Tests.Contracts;

/// <summary>Test data written through the store interfaces only, so every provider's contract tests start alike.</summary>
internal static class Seed
{
    public static readonly DateTimeOffset At = new(2026, 11, 27, 13, 5, 9, 250, TimeSpan.Zero);

    public static string?[] OrderValues(string id, string? indication = "LBP", string patient = "", string orderedAt = "2015-03-17T14:18:00", string procedure = "MRI SACRUM WO")
    {
        var values = new string?[CanonicalTable.Orders.Columns.Count];
        values[CanonicalTable.Orders.IndexOf("order_id")] = id;
        values[CanonicalTable.Orders.IndexOf("patient_id")] = patient.Length == 0 ? "P-" + id : patient;
        values[CanonicalTable.Orders.IndexOf("ordered_at")] = orderedAt;
        values[CanonicalTable.Orders.IndexOf("procedure_name")] = procedure;
        values[CanonicalTable.Orders.IndexOf("indication")] = indication;
        values[CanonicalTable.Orders.IndexOf("status")] = "completed";
        return values;
    }

    /// <summary>An order as a value that compares by content (its code list compares by reference otherwise).</summary>
    public static (ImagingOrder Order, string Codes) Comparable(ImagingOrder order) => (order with { ReasonCodes = [] }, string.Join('|', order.ReasonCodes));

    /// <summary>Imports rows (key, values) into <paramref name="table"/> as one file; returns the counts.</summary>
    public static async Task<ImportCounts> ImportAsync(IImportStore imports, CanonicalTable table, IEnumerable<(string Key, string?[] Values)> rows, string source = "rows.csv")
    {
        await using var session = await imports.BeginImportAsync(table, source, CancellationToken.None);
        var line = 1;
        foreach (var (key, values) in rows)
        {
            await session.StageAsync(++line, key, values, null, CancellationToken.None);
        }

        return await session.CommitAsync(new HashSet<string>(), 0, CancellationToken.None);
    }

    /// <summary>Imports orders O000000, O000001, ... (more than one page for a few thousand).</summary>
    public static Task<ImportCounts> ImportOrdersAsync(IImportStore imports, int count) =>
        ImportAsync(imports, CanonicalTable.Orders, Enumerable.Range(0, count).Select(i => $"O{i:D6}").Select(id => (id, OrderValues(id))), "many.csv");

    /// <summary>Stores a whole run made up by a test, as the screening pipeline would.</summary>
    public static async Task<long> SaveRunAsync(IScreeningRunStore runs, ScreeningRunStamp stamp, IReadOnlyList<ScreeningDecision> decisions)
    {
        await using var writer = await runs.BeginScreeningRunsAsync([stamp], CancellationToken.None);
        await writer.AddAsync(0, decisions, CancellationToken.None);
        return (await writer.CommitAsync(CancellationToken.None))[0];
    }

    public static ScreeningRunStamp Stamp(string protocol = "sacrum-mri-lbp", string fingerprint = "fingerprint", long revision = 1) =>
        new(protocol, fingerprint, revision, At);
}
