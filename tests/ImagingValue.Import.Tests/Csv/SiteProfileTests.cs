using System.Text;
using ImagingValue.Core.Data;
using ImagingValue.Import.Csv;
using ImagingValue.Import.Tests.Support;

namespace ImagingValue.Import.Tests.Csv;

public class SiteProfileTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "site-exports", name);

    private static Task<ImportReport> ImportAsync(TempWorkspace ws, string path, ColumnMap map, IImportStoreChoice? store = null) =>
        new CsvImporter(store?.Store ?? ws.Store.Imports).ImportAsync(CanonicalTable.Orders, path, map, strict: false, ws.Rejects, CancellationToken.None);

    /// <summary>Lets a test import into a <see cref="CheckStore"/> instead of the workspace.</summary>
    private sealed record IImportStoreChoice(Core.Storage.IImportStore Store);

    [Theory]
    [InlineData("excel.csv", "excel.yaml")]
    [InlineData("semicolon.csv", "semicolon.yaml")]
    [InlineData("sqlserver.txt", "sqlserver.yaml")]
    [InlineData("us.tsv", "us.yaml")]
    public async Task SiteExport_WithItsProfile_GivesTheCanonicalRows(string export, string profile)
    {
        using var canonical = new TempWorkspace();
        Assert.Equal(4, (await ImportAsync(canonical, Fixture("canonical.csv"), ColumnMap.None)).Counts!.Inserted);
        using var site = new TempWorkspace();

        var report = await ImportAsync(site, Fixture(export), ColumnMap.Load(Fixture(profile)));

        Assert.Empty(report.Errors);
        Assert.Equal(4, report.Counts!.Inserted);
        Assert.Empty(report.UnusedColumns!);
        Assert.Equal(canonical.Snapshot(), site.Snapshot());
        Assert.Contains("Müller, Jörg", site.Snapshot(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValueTheProfileDoesNotList_RowRejectedNamingFileLineFieldAndTheListedValues()
    {
        using var ws = new TempWorkspace();
        var map = ColumnMap.Load(ws.File("map.yaml", "orders:\n  columns:\n    status: {column: Status, values: {Final: completed, Canceled: cancelled}}\n"));
        var path = ws.File("export.csv", "order_id,patient_id,ordered_at,procedure_name,Status\nO1,P1,2016-03-07,MRI,final\nO2,P2,2016-03-07,MRI,completed\nO3,P3,2016-03-07,MRI,\n");

        var report = await ImportAsync(ws, path, map);

        // Even the canonical word is refused: a profile that lists values lists all of them, so nothing slips through unmapped.
        Assert.Equal($"{path}:3: Status: 'completed' is not one of the values the profile lists for status (Final, Canceled)", Assert.Single(report.Errors).ToString());
        Assert.Equal(2, report.Counts!.Inserted);
        var orders = await ws.Store.Data.GetOrdersAsync(CancellationToken.None);
        Assert.All(orders, o => Assert.Equal(OrderStatus.Completed, o.Status));
    }

    [Theory]
    [InlineData("orders:\n  delimeter: \";\"\n", ":2: orders.delimeter: not a canonical orders column")]
    [InlineData("orders:\n  columns:\n    ordered_at: {column: X, fromat: dd.MM.yyyy}\n", ":3: orders.ordered_at.fromat: not a column setting (column, format, values)")]
    [InlineData("orders:\n  columns:\n    ordred_at: X\n", ":3: orders.ordred_at: not a canonical orders column")]
    [InlineData("orders:\n  delimiter: \":\"\n", ":2: orders.delimiter: ':' is not a delimiter")]
    [InlineData("orders:\n  encoding: ebcdic\n", ":2: orders.encoding: 'ebcdic' is not an encoding")]
    [InlineData("orders:\n  time_zone: Mars/Olympus\n", ":2: orders.time_zone: 'Mars/Olympus' is not a time zone")]
    [InlineData("orders:\n  columns:\n    ordered_at: {column: X, format: HH:mm}\n", ":3: orders.ordered_at.format: 'HH:mm' is not a date format")]
    [InlineData("orders:\n  columns:\n    indication: {column: X, format: dd.MM.yyyy}\n", ":3: orders.indication.format: indication is not a date or date-time column")]
    [InlineData("orders:\n  columns:\n    status: {values: {Final: done}}\n", ":3: orders.status.values.Final: 'done' is not")]
    [InlineData("orders:\n  columns:\n    ordered_at: {column: X, format: \"yyyy-MM-ddTHH:mmzzz\"}\n", ":3: orders.ordered_at.format: 'yyyy-MM-ddTHH:mmzzz' reads a UTC offset: give the file a time_zone")]
    [InlineData("orders:\n  order_id: A\n  columns:\n    order_id: B\n", ":4: orders.order_id: given twice")]
    public void Profile_MisspeltOrWrongKey_FailsLoudlyWithFileAndLine(string yaml, string expected)
    {
        using var ws = new TempWorkspace();
        var path = ws.File("map.yaml", yaml);
        var ex = Assert.Throws<FormatException>(() => ColumnMap.Load(path));
        Assert.StartsWith(path + expected, ex.Message, StringComparison.Ordinal);
    }


    [Theory]
    [InlineData("orders:\n  delimeter: \";\"\n", "; did you mean delimiter?")]
    [InlineData("orders:\n  columns:\n    ordred_at: X\n", "; did you mean ordered_at?")]
    [InlineData("orders:\n  ordered_date: X\n", "; did you mean ordered_at?")]
    [InlineData("orders:\n  columns:\n    ordered_at: {column: X, fromat: dd.MM.yyyy}\n", "; did you mean format?")]
    [InlineData("order:\n  order_id: X\n", "; did you mean orders?")]
    public void Profile_Misspelt_NamesTheKeyItMostLikelyMeant(string yaml, string hint)
    {
        using var ws = new TempWorkspace();
        var path = ws.File("map.yaml", yaml);
        var ex = Assert.Throws<FormatException>(() => ColumnMap.Load(path));
        Assert.EndsWith(hint, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_KeyLikeNothingValid_NoGuess()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("map.yaml", "orders:\n  modality: X\n");
        var ex = Assert.Throws<FormatException>(() => ColumnMap.Load(path));
        Assert.DoesNotContain("did you mean", ex.Message, StringComparison.Ordinal);
    }
    [Fact]
    public async Task TimeZone_InstantsWithAnOffsetBecomeLocalTimesThere_LocalTimesStayAsWritten()
    {
        using var ws = new TempWorkspace();
        var map = ColumnMap.Load(ws.File("map.yaml", "orders:\n  time_zone: America/New_York\n  columns:\n    performed_at: {column: EXAM, format: \"yyyy-MM-dd HH:mm zzz\"}\n"));
        var path = ws.File("export.csv", "order_id,patient_id,ordered_at,procedure_name,EXAM\nO1,P1,2016-09-06T17:59:00Z,MRI,2016-09-07 09:00 +02:00\nO2,P2,2016-03-07T14:09,MRI,\n");

        var report = await ImportAsync(ws, path, map);

        Assert.Empty(report.Errors);
        var orders = (await ws.Store.Data.GetOrdersAsync(CancellationToken.None)).OrderBy(o => o.OrderId, StringComparer.Ordinal).ToList();
        Assert.Equal(new DateTime(2016, 9, 6, 13, 59, 0), orders[0].OrderedAt);
        Assert.Equal(new DateTime(2016, 9, 7, 3, 0, 0), orders[0].PerformedAt);
        Assert.Equal(new DateTime(2016, 3, 7, 14, 9, 0), orders[1].OrderedAt);
    }

    [Fact]
    public async Task WithoutATimeZone_AnInstantWithAnOffsetIsStillRefused()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("export.csv", "order_id,patient_id,ordered_at,procedure_name\nO1,P1,2016-09-06T17:59:00Z,MRI\n");

        var report = await ImportAsync(ws, path, ColumnMap.None);

        Assert.Contains("ordered_at: '2016-09-06T17:59:00Z' is not an ISO 8601", Assert.Single(report.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Format_CellNotMatchingIt_ErrorNamesTheFormat()
    {
        using var ws = new TempWorkspace();
        var map = ColumnMap.Load(ws.File("map.yaml", "orders:\n  columns:\n    ordered_at: {column: WHEN, format: dd.MM.yyyy}\n"));
        var path = ws.File("export.csv", "order_id;patient_id;WHEN;procedure_name\nO1;P1;31.02.2016;MRI\nO2;P2;2016-03-07;MRI\nO3;P3;07.03.2016;MRI\n");

        var report = await ImportAsync(ws, path, map);

        Assert.Equal(
            [$"{path}:2: WHEN: '31.02.2016' does not match the profile's format for ordered_at (dd.MM.yyyy)", $"{path}:3: WHEN: '2016-03-07' does not match the profile's format for ordered_at (dd.MM.yyyy)"],
            report.Errors.Select(e => e.ToString()));
        var error = Assert.Single(report.ErrorsByField);
        Assert.Equal(("WHEN", 2L, 2), (error.Field, error.Count, error.First.Line));
        Assert.Equal(1, report.Counts!.Inserted);
        Assert.Equal(';', report.Delimiter);
    }

    [Fact]
    public async Task Latin1File_ReadAsLatin1WhenTheProfileSaysSo_AsInvalidUtf8Otherwise()
    {
        using var ws = new TempWorkspace();
        var bytes = Encoding.Latin1.GetBytes("order_id,patient_id,ordered_at,procedure_name,indication\nO1,P1,2016-03-07,MRI,Kreuzbeinschmerz nach Stürz\n");
        var path = ws.File("export.csv", bytes);

        var asUtf8 = await ImportAsync(ws, path, ColumnMap.None);
        var asLatin1 = await ImportAsync(ws, path, ColumnMap.Load(ws.File("map.yaml", "orders:\n  encoding: latin-1\n")));

        Assert.Contains("indication: invalid UTF-8", Assert.Single(asUtf8.Errors).ToString(), StringComparison.Ordinal);
        Assert.Empty(asLatin1.Errors);
        Assert.Equal("Kreuzbeinschmerz nach Stürz", Assert.Single(await ws.Store.Data.GetOrdersAsync(CancellationToken.None)).Indication);
    }

    [Fact]
    public async Task CheckStore_KeepsTheFirstRowsAndCountsErrorsPerField_WorkspaceUntouched()
    {
        using var ws = new TempWorkspace();
        await ImportAsync(ws, Fixture("canonical.csv"), ColumnMap.None);
        var before = ws.Snapshot();
        var check = new CheckStore(2);

        var report = await ImportAsync(ws, Fixture("us.tsv"), ColumnMap.Load(Fixture("us.yaml")), new IImportStoreChoice(check));

        Assert.Equal(4, report.Counts!.Inserted);
        Assert.Equal([2, 3], check.Rows.Select(r => r.Line));
        Assert.Equal("2016-03-07T14:09:00", check.Rows[0].Values[CanonicalTable.Orders.IndexOf("ordered_at")]);
        Assert.Equal("cancelled", check.Rows[1].Values[CanonicalTable.Orders.IndexOf("status")]);
        Assert.Equal("Ordered", report.SourceColumns[CanonicalTable.Orders.IndexOf("ordered_at")]);
        Assert.Equal(before, ws.Snapshot());
    }
}
