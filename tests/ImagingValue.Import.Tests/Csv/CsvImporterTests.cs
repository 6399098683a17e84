using ImagingValue.Core.Data;
using ImagingValue.Import.Csv;
using ImagingValue.Import.Tests.Support;

namespace ImagingValue.Import.Tests.Csv;

public class CsvImporterTests
{
    private const string Header = "order_id,patient_id,ordered_at,procedure_name,indication,status";

    private static string Orders(params string[] rows) => Header + "\n" + string.Join("\n", rows) + "\n";

    private static Task<ImportReport> ImportAsync(TempWorkspace ws, string path, bool strict = false, ColumnMap? map = null, CanonicalTable? table = null) =>
        new CsvImporter(ws.Store.Imports).ImportAsync(table ?? CanonicalTable.Orders, path, map ?? ColumnMap.None, strict, ws.Rejects, CancellationToken.None);

    [Fact]
    public async Task Import_ValidRows_StoredNormalised()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("orders.csv", Orders("O1,P1,2015-03-17T14:18,MRI SACRUM WO,LBP,", "O2,P2,2015-03-18,MRI SACRUM WO,\"LBP, no trauma\",Canceled"));

        var report = await ImportAsync(ws, path);

        Assert.False(report.Refused);
        Assert.Equal(2, report.Counts!.Inserted);
        var orders = await ws.Store.Data.GetOrdersAsync(CancellationToken.None);
        Assert.Equal(new DateTime(2015, 3, 17, 14, 18, 0), orders[0].OrderedAt);
        Assert.Equal(OrderStatus.Completed, orders[0].Status);
        Assert.Equal(OrderStatus.Cancelled, orders[1].Status);
        Assert.Equal("LBP, no trauma", orders[1].Indication);
    }

    [Fact]
    public async Task Import_SameFileTwice_SecondChangesNothing()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("orders.csv", Orders("O1,P1,2015-03-17,MRI SACRUM WO,LBP,", "O2,P2,2015-03-18,MRI SACRUM WO,LBP,"));
        await ImportAsync(ws, path);
        var before = ws.Snapshot();

        var again = await ImportAsync(ws, path);

        Assert.Equal(new Core.Storage.ImportCounts(0, 0, 2), again.Counts);
        Assert.Equal(before, ws.Snapshot());
    }

    [Fact]
    public async Task Import_ChangedRow_UpdatesByKey()
    {
        using var ws = new TempWorkspace();
        await ImportAsync(ws, ws.File("a.csv", Orders("O1,P1,2015-03-17,MRI SACRUM WO,LBP,", "O2,P2,2015-03-18,MRI SACRUM WO,LBP,")));

        var report = await ImportAsync(ws, ws.File("b.csv", Orders("O1,P1,2015-03-17,MRI SACRUM WO,LBP x 3 months,", "O3,P3,2015-03-19,MRI SACRUM WO,LBP,")));

        Assert.Equal(new Core.Storage.ImportCounts(1, 1, 0), report.Counts);
        var orders = await ws.Store.Data.GetOrdersAsync(CancellationToken.None);
        Assert.Equal(["O1", "O2", "O3"], orders.Select(o => o.OrderId));
        Assert.Equal("LBP x 3 months", orders[0].Indication);
    }

    [Fact]
    public async Task Import_MissingRequiredColumn_RefusedNamingTheColumnAndNothingWritten()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("orders.csv", "order_id,patient_id,procedure_name\nO1,P1,MRI SACRUM\n");

        var report = await ImportAsync(ws, path);

        Assert.True(report.Refused);
        var error = Assert.Single(report.Errors);
        Assert.Equal($"{path}:1: ordered_at: required column missing from the header (add it, or map it with --map)", error.ToString());
        Assert.Equal(string.Empty, ws.Snapshot());
    }

    [Fact]
    public async Task Import_BadDateAndUnknownStatus_RowRejectedWithFileLineField()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("orders.csv", Orders("O1,P1,2015-03-17,MRI SACRUM WO,LBP,", "O2,P2,03/18/2015,MRI SACRUM WO,LBP,done"));

        var report = await ImportAsync(ws, path);

        Assert.False(report.Refused);
        Assert.Equal(1, report.Counts!.Inserted);
        Assert.Equal(1, report.RejectedRows);
        Assert.Equal(
            [
                $"{path}:3: ordered_at: '03/18/2015' is not an ISO 8601 local date or date-time (yyyy-MM-dd or yyyy-MM-ddTHH:mm)",
                $"{path}:3: status: 'done' is not one of completed, cancelled, scheduled, in-progress, ordered, on-hold, discontinued, entered-in-error",
            ],
            report.Errors.Select(e => e.ToString()));
        var rejects = File.ReadAllLines(report.RejectsFile!);
        Assert.Equal("_line,_errors," + Header, rejects[0]);
        Assert.StartsWith("3,\"ordered_at: '03/18/2015' is not", rejects[1], StringComparison.Ordinal);
        Assert.EndsWith(",O2,P2,03/18/2015,MRI SACRUM WO,LBP,done", rejects[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_RejectedRowCarryingAFormula_RejectsFileNeutralisesIt()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("orders.csv", Orders("O2,P2,03/18/2015,MRI SACRUM WO,\"=HYPERLINK(\"\"http://x.example\"\")\",completed"));

        var report = await ImportAsync(ws, path);

        var rejects = File.ReadAllLines(report.RejectsFile!);
        Assert.EndsWith(",O2,P2,03/18/2015,MRI SACRUM WO,\"'=HYPERLINK(\"\"http://x.example\"\")\",completed", rejects[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_CellLongerThanTheFieldLimit_RowRejectedOthersStored()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("orders.csv", Orders("O1,P1,2015-03-17,MRI SACRUM WO," + new string('z', 5000) + ",", "O2,P2,2015-03-18,MRI SACRUM WO,LBP,"));

        var report = await new CsvImporter(ws.Store.Imports, maxFieldChars: 4096).ImportAsync(CanonicalTable.Orders, path, ColumnMap.None, false, ws.Rejects, CancellationToken.None);

        Assert.Equal(1, report.Counts!.Inserted);
        Assert.Equal(1, report.RejectedRows);
        Assert.Equal($"{path}:2: indication: 5,000 characters, more than the 4,096 a field may hold: the row is not imported (the rejects file keeps the first 4,096)", Assert.Single(report.Errors).ToString());
        Assert.DoesNotContain("O1|", ws.Snapshot(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_LongBadValue_ErrorGivesItsLengthNotItsText()
    {
        using var ws = new TempWorkspace();
        var text = "Pt reports severe pain since fall at home, " + new string('w', 3000);
        var path = ws.File("orders.csv", Orders($"O1,P1,\"{text}\",MRI SACRUM WO,LBP,"));

        var report = await ImportAsync(ws, path);

        var error = Assert.Single(report.Errors).ToString();
        Assert.Equal($"{path}:2: ordered_at: a value of 3,043 characters is not an ISO 8601 local date or date-time (yyyy-MM-dd or yyyy-MM-ddTHH:mm)", error);
        Assert.DoesNotContain("fall at home", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_AnyBadRowUnderStrict_WorkspaceExactlyAsBefore()
    {
        using var ws = new TempWorkspace();
        await ImportAsync(ws, ws.File("first.csv", Orders("O1,P1,2015-03-17,MRI SACRUM WO,LBP,")));
        var before = ws.Snapshot();

        var report = await ImportAsync(ws, ws.File("second.csv", Orders("O1,P1,2015-03-17,MRI SACRUM WO,changed,", "O2,P2,2015-03-18,MRI SACRUM WO,LBP,", "O3,P3,not-a-date,MRI SACRUM WO,LBP,")), strict: true);

        Assert.True(report.Refused);
        Assert.Null(report.Counts);
        Assert.Equal(before, ws.Snapshot());
    }

    [Theory]
    [InlineData("")]
    [InlineData("order_id,patient_id,procedure_name\nO9,P9,MRI SACRUM\n")]
    [InlineData("order_id,patient_id,ordered_at,procedure_name,ORDER_ID\nO9,P9,2015-01-01,MRI SACRUM,O9\n")]
    public async Task Import_FileLevelErrorOnAWorkspaceWithData_WorkspaceExactlyAsBefore(string content)
    {
        using var ws = new TempWorkspace();
        await ImportAsync(ws, ws.File("first.csv", Orders("O1,P1,2015-03-17,MRI SACRUM WO,LBP,", "O2,P2,2015-03-18,MRI SACRUM WO,LBP,")));
        var before = ws.Snapshot();

        var report = await ImportAsync(ws, ws.File("second.csv", content));

        Assert.True(report.Refused);
        Assert.NotEmpty(report.Errors);
        Assert.Equal(before, ws.Snapshot());
    }

    [Fact]
    public async Task Import_DuplicateKeyWithConflictingData_NeitherImportedBothLinesNamed()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("orders.csv", Orders("O1,P1,2015-03-17,MRI SACRUM WO,LBP,", "O2,P2,2015-03-18,MRI SACRUM WO,LBP,", "O1,P1,2015-03-17,MRI SACRUM WO,tailbone pain,", "O2,P2,2015-03-18,MRI SACRUM WO,LBP,"));

        var report = await ImportAsync(ws, path);

        Assert.Equal(1, report.Counts!.Inserted);
        Assert.Equal(
            [
                $"{path}:2: order_id: key 'O1' appears on lines 2, 4 with different data: none of them imported",
                $"{path}:4: order_id: key 'O1' appears on lines 2, 4 with different data: none of them imported",
            ],
            report.Errors.Select(e => e.ToString()));
        Assert.DoesNotContain("O1|", ws.Snapshot(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_DuplicateKeyWithConflictingDataUnderStrict_Refused()
    {
        using var ws = new TempWorkspace();
        var report = await ImportAsync(ws, ws.File("orders.csv", Orders("O1,P1,2015-03-17,MRI SACRUM WO,LBP,", "O1,P1,2015-03-17,MRI SACRUM WO,other,")), strict: true);

        Assert.True(report.Refused);
        Assert.Equal(string.Empty, ws.Snapshot());
    }

    [Fact]
    public async Task Import_InvalidUtf8_RowRejectedNamingTheField()
    {
        using var ws = new TempWorkspace();
        var bytes = System.Text.Encoding.UTF8.GetBytes(Orders("O1,P1,2015-03-17,MRI SACRUM WO,LBP,", "O2,P2,2015-03-18,MRI SACRUM WO,coccyx pain,")).ToList();
        var at = bytes.LastIndexOf((byte)'x');
        bytes.Insert(at + 1, 0xFF);
        var path = ws.File("orders.csv", [.. bytes]);

        var report = await ImportAsync(ws, path);

        var error = Assert.Single(report.Errors);
        Assert.Equal($"{path}:3: indication: invalid UTF-8 (the file is not UTF-8 encoded here)", error.ToString());
        Assert.Equal(1, report.Counts!.Inserted);
    }

    [Fact]
    public async Task Import_EmptyFile_RefusedAsFileLevelError()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("orders.csv", string.Empty);

        var report = await ImportAsync(ws, path);

        Assert.True(report.Refused);
        Assert.Equal($"{path}: the file is empty: a header row is required", Assert.Single(report.Errors).ToString());
    }

    [Fact]
    public async Task Import_TruncatedLastLine_LastRowRejectedRestImported()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("orders.csv", Header + "\nO1,P1,2015-03-17,MRI SACRUM WO,LBP,\nO2,P2,2015-03-1");

        var report = await ImportAsync(ws, path);

        Assert.Equal(1, report.Counts!.Inserted);
        Assert.Equal($"{path}:3: procedure_name: row has 3 fields, the header has 6 (truncated last line?)", Assert.Single(report.Errors).ToString());
    }

    [Fact]
    public async Task Import_TruncatedInsideQuotedField_ErrorAtTheLineItOpened()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("orders.csv", Header + "\nO1,P1,2015-03-17,MRI SACRUM WO,LBP,\nO2,P2,2015-03-18,MRI SACRUM WO,\"LBP since");

        var report = await ImportAsync(ws, path);

        Assert.Equal(1, report.Counts!.Inserted);
        Assert.Equal($"{path}:3: a quoted field is not closed before the end of the file (truncated file?)", Assert.Single(report.Errors).ToString());
    }

    [Fact]
    public async Task Import_MissingFile_RefusedFileNotFound()
    {
        using var ws = new TempWorkspace();
        var report = await ImportAsync(ws, Path.Combine(ws.Directory, "nope.csv"));
        Assert.True(report.Refused);
        Assert.EndsWith("nope.csv: file not found", Assert.Single(report.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ColumnMapAndExtraColumns_RenamedAndKept()
    {
        using var ws = new TempWorkspace();
        var map = ColumnMap.Load(ws.File("map.yaml", "orders:\n  order_id: ORDER_NUM\n  ordered_at: ORDER_DTTM\n  procedure_name: EXAM\n  patient_id: MRN\n"));
        var path = ws.File("export.csv", "ORDER_NUM,MRN,ORDER_DTTM,EXAM,Site\nX1,M1,2016-01-02T08:00,MRI SACRUM,North\n");

        var report = await ImportAsync(ws, path, map: map);

        Assert.Equal(1, report.Counts!.Inserted);
        Assert.Contains("X1|X1|M1|", ws.Snapshot(), StringComparison.Ordinal);
        Assert.Contains("{\"Site\":\"North\"}", ws.Snapshot(), StringComparison.Ordinal);
    }

    [Fact]
    public void ColumnMap_UnknownCanonicalColumn_ErrorNamesFileAndKey()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("map.yaml", "orders:\n  order_number: ORDER_NUM\n");
        var ex = Assert.Throws<FormatException>(() => ColumnMap.Load(path));
        Assert.StartsWith($"{path}:2: orders.order_number: not a canonical orders column", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("orders:\n  order_id:\n  patient_id: MRN\n", ":2: orders.order_id: names no source column")]
    [InlineData("orders:\n  order_id: ~\n", ":2: orders.order_id: names no source column")]
    [InlineData("orders:\n  order_id: \"\"\n", ":2: orders.order_id: names no source column")]
    [InlineData("orders:\n  order_id: [A, B]\n", ":2: orders.order_id: names no source column")]
    [InlineData("orders:\n  order_id: MRN\n  patient_id: mrn\n", ":3: orders.patient_id: source column 'mrn' is already mapped to orders.order_id")]
    [InlineData("orders:\n", ":1: orders: expected a mapping of canonical names")]
    [InlineData("orders: [order_id]\n", ":1: orders: expected a mapping of canonical names")]
    [InlineData("- orders\n", ":1: the map: expected a mapping")]
    [InlineData("imaging:\n  order_id: X\n", ":1: imaging: not an input kind")]
    public void ColumnMap_EntryThatWouldLeaveAColumnUnmapped_ErrorNamesFileLineAndKey(string yaml, string expected)
    {
        using var ws = new TempWorkspace();
        var path = ws.File("map.yaml", yaml);
        var ex = Assert.Throws<FormatException>(() => ColumnMap.Load(path));
        Assert.StartsWith(path + expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_HeaderNamesAColumnTwice_Refused()
    {
        using var ws = new TempWorkspace();
        var report = await ImportAsync(ws, ws.File("orders.csv", "order_id,patient_id,ordered_at,procedure_name,Order_ID\nO1,P1,2015-01-01,MRI SACRUM,O1\n"));
        Assert.True(report.Refused);
        Assert.Contains("column name appears twice", Assert.Single(report.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ReportsByAccessionAndReviews_Stored()
    {
        using var ws = new TempWorkspace();
        await ImportAsync(ws, ws.File("reports.csv", "accession,report_text,finalized_at\nA1,\"FINDINGS: Tarlov cyst.\nIMPRESSION: No acute finding.\",2015-03-20T10:00\n"), table: CanonicalTable.Reports);
        await ImportAsync(ws, ws.File("reviews.csv", "order_id,reviewer,major_finding,minor_finding,incidental_finding,management_change\nO1,res1,no,yes,no,minor\n"), table: CanonicalTable.Reviews);

        var report = Assert.Single(await ws.Store.Data.GetReportsAsync(CancellationToken.None));
        Assert.Equal("A1", report.Accession);
        Assert.Contains("\nIMPRESSION", report.ReportText, StringComparison.Ordinal);
        var review = Assert.Single(await ws.Store.Data.GetReviewsAsync(CancellationToken.None));
        Assert.Equal((false, true, ManagementChange.Minor), (review.MajorFinding, review.MinorFinding, review.ManagementChange));
    }
    [Fact]
    public async Task Import_MapNamesAColumnTheFileDoesNotHave_RefusedNamingTheColumnAndFile()
    {
        using var ws = new TempWorkspace();
        var map = ColumnMap.Load(ws.File("map.yaml", "orders:\n  order_id: ORDER_NUM\n  ordered_at: ORDER_DTTM\n  procedure_name: EXAM\n  patient_id: MRN\n  status: ORDER_STATUS\n"));
        var path = ws.File("export.csv", "ORDER_NUM,MRN,ORDER_DTTM,EXAM,STATUS_CD\nX1,M1,2016-01-02T08:00,MRI SACRUM,CANCELLED\n");

        var report = await ImportAsync(ws, path, map: map);

        Assert.True(report.Refused);
        Assert.Equal($"{path}:1: ORDER_STATUS: the column map names this column for status, but the file has no such column", Assert.Single(report.Errors).ToString());
        Assert.Equal(string.Empty, ws.Snapshot());
    }

    [Fact]
    public async Task Import_UnusedSourceColumnsAndEmptyOptionalColumns_Listed()
    {
        using var ws = new TempWorkspace();
        var map = ColumnMap.Load(ws.File("map.yaml", "orders:\n  order_id: ORDER_NUM\n  ordered_at: ORDER_DTTM\n  procedure_name: EXAM\n  patient_id: MRN\n"));
        var path = ws.File("export.csv", "ORDER_NUM,MRN,ORDER_DTTM,EXAM,STATUS_CD,indication,accession\nX1,M1,2016-01-02T08:00,MRI SACRUM,CANCELLED,LBP,\nX2,M2,2016-01-03T08:00,MRI SACRUM,,,\n");

        var report = await ImportAsync(ws, path, map: map);

        Assert.False(report.Refused);
        Assert.Equal(["STATUS_CD"], report.UnusedColumns);
        Assert.Equal(
            ["accession", "performed_at", "procedure_code", "reason_codes", "ordering_provider", "ordering_department", "patient_sex", "patient_birth_date", "status"],
            report.EmptyColumns);
    }

    [Fact]
    public async Task Import_DuplicateKeys_WrittenWholeToRejectsUnderTheSitesHeaders()
    {
        using var ws = new TempWorkspace();
        var map = ColumnMap.Load(ws.File("map.yaml", "orders:\n  order_id: ORDER_NUM\n  ordered_at: ORDER_DTTM\n  procedure_name: EXAM\n  patient_id: MRN\n"));
        var path = ws.File("export.csv", "ORDER_NUM,MRN,ORDER_DTTM,EXAM,Site\nX1,M1,2016-01-02T08:00,MRI SACRUM,North\nX2,M2,2016-01-02T09:00,MRI SACRUM,North\nX1,M1,2016-01-02T08:00,MRI SACRUM,South\n");

        var report = await ImportAsync(ws, path, map: map);

        Assert.Equal(2, report.RejectedRows);
        var rejects = File.ReadAllLines(report.RejectsFile!);
        Assert.Equal("_line,_errors,ORDER_NUM,MRN,ORDER_DTTM,EXAM,Site", rejects[0]);
        Assert.Equal(3, rejects.Length);
        Assert.EndsWith(",X1,M1,2016-01-02T08:00,MRI SACRUM,North", rejects[1], StringComparison.Ordinal);
        Assert.StartsWith("2,", rejects[1], StringComparison.Ordinal);
        Assert.EndsWith(",X1,M1,2016-01-02T08:00,MRI SACRUM,South", rejects[2], StringComparison.Ordinal);
        Assert.StartsWith("4,", rejects[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ReviewOfAnUnknownOrder_RowRejectedWhenOrdersAreGiven()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("reviews.csv", "order_id,reviewer,major_finding\nO1,res1,no\nO9,res1,yes\n");

        var report = await new CsvImporter(ws.Store.Imports).ImportAsync(
            CanonicalTable.Reviews, path, ColumnMap.None, strict: false, ws.Rejects, CancellationToken.None, knownOrders: new HashSet<string>(["O1"], StringComparer.Ordinal));

        Assert.Equal(1, report.Counts!.Inserted);
        Assert.Equal(1, report.RejectedRows);
        Assert.Equal($"{path}:3: order_id: order 'O9' is not in the workspace", Assert.Single(report.Errors).ToString());
    }

    [Fact]
    public async Task Import_DisplayName_ErrorsNameItNotThePath()
    {
        using var ws = new TempWorkspace();
        var path = ws.File("upload-1234.csv", "order_id,reviewer,major_finding\nO1,res1,perhaps\n");

        var report = await new CsvImporter(ws.Store.Imports).ImportAsync(
            CanonicalTable.Reviews, path, ColumnMap.None, strict: false, ws.Rejects, CancellationToken.None, displayName: "my reviews.csv");

        Assert.StartsWith("my reviews.csv:2: major_finding: ", Assert.Single(report.Errors).ToString(), StringComparison.Ordinal);
        Assert.Equal("my reviews.csv", report.File);
    }
}
