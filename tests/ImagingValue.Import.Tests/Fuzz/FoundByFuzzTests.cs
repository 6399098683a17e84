using ImagingValue.Import.Csv;
using ImagingValue.Import.Tests.Support;
using ImagingValue.Protocols;

namespace ImagingValue.Import.Tests.Fuzz;

/// <summary>Inputs the fuzz suite found that broke a loader, kept as plain regression tests.</summary>
public sealed class FoundByFuzzTests
{
    // A flow list left open before more lines: YamlDotNet threw InvalidOperationException, not a readable line.
    private const string OpenFlowList = "red_flags:\n  - id: osteoporotic_collapse\n    concepts: [ost\n    codes: [M80.0]\n    suspected_counts: true\n";

    [Fact]
    public void ProtocolLoaderParse_FlowListLeftOpen_FormatExceptionNamingTheSource()
    {
        var ex = Assert.Throws<FormatException>(() => ProtocolLoader.Parse(OpenFlowList, "site.yaml"));

        Assert.StartsWith("site.yaml: not readable as YAML", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ColumnMapLoad_FlowListLeftOpen_FormatExceptionNamingTheFile()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("map.yaml", "orders:\n  order_id: [ORD\n  ordered_at: ORDER_DTTM\n  status: X\n");

        var ex = Assert.Throws<FormatException>(() => ColumnMap.Load(path));

        Assert.StartsWith($"{path}: not readable as YAML", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvImporterImport_HeaderQuoteNeverClosed_RefusedNamingFileAndLine()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("orders.csv", "order_id,\"patient_id\nO1,P1\n");

        var report = await new CsvImporter(ws.Store.Imports).ImportAsync(Core.Data.CanonicalTable.Orders, path, ColumnMap.None, strict: false, ws.Rejects, CancellationToken.None);

        Assert.True(report.Refused);
        Assert.StartsWith($"{path}:1: a quoted field is not closed", Assert.Single(report.Errors).ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, ws.Snapshot());
    }
}
