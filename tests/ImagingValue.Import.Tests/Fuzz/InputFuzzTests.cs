using System.Text;
using CsCheck;
using ImagingValue.Core.Data;
using ImagingValue.Import.Csv;
using ImagingValue.Import.Tests.Support;
using ImagingValue.Protocols;
using ImagingValue.Tests.Shared;

namespace ImagingValue.Import.Tests.Fuzz;

/// <summary>
/// Hostile and mangled inputs for the CSV reader and importer, the column map and the protocol loader: each gives
/// one of its expected outcomes (a report naming file:line, CsvFormatException, FormatException naming the source),
/// never another exception, within the per-case bounds of <see cref="PropertyFuzz"/>.
/// </summary>
public sealed class InputFuzzTests
{
    private const int SmallFieldLimit = 64;

    private const string ValidOrders =
        "order_id,patient_id,ordered_at,procedure_name,indication,status\n"
        + "O1,P1,2015-03-17T14:18,MRI SACRUM WO,LBP,\n"
        + "O2,P2,2015-03-18,MRI SACRUM WO,\"LBP, no trauma\",Canceled\n"
        + "O3,P3,2015-03-19,MRI SACRUM WO,\"two\nlines, \"\"quoted\"\"\",Completed\n";

    private static readonly Gen<string> CsvSnippet = PropertyFuzz.Snippet(",\"\r\n ab1-:\uFEFF");

    private static readonly Gen<byte[]> CsvBytes = Gen.OneOf(
        Gen.Byte.Array[0, 4000],
        Gen.String[Gen.Char[",\"\r\nab1 \u00e9"], 0, 4000].Select(Encoding.UTF8.GetBytes),
        PropertyFuzz.Mutated(ValidOrders, CsvSnippet).Select(Encoding.UTF8.GetBytes));

    [Fact]
    public void CsvRecordReader_AnyBytes_RecordsOrUnclosedQuoteAndNoKeptFieldOverTheLimit()
    {
        PropertyFuzz.Check("csv-reader", CsvBytes, bytes =>
        {
            using var reader = new CsvRecordReader(new MemoryStream(bytes), SmallFieldLimit);
            var fields = new List<string>();
            var lastLine = 0;
            try
            {
                while (reader.Read(fields))
                {
                    Assert.All(fields, f => Assert.True(f.Length <= SmallFieldLimit, $"kept {f.Length} characters of a field"));
                    Assert.All(reader.OversizedFields, o => Assert.True(o.Length > SmallFieldLimit));
                    Assert.True(reader.RecordLine > lastLine, "record lines go forward");
                    lastLine = reader.RecordLine;
                }
            }
            catch (CsvFormatException ex)
            {
                Assert.True(ex.Line >= 1 && ex.Line > lastLine - 1, $"unclosed quote reported on line {ex.Line}");
            }
        });
    }

    [Fact]
    public async Task CsvImporter_AnyFile_ReportNamesFileAndLineAndRefusalLeavesWorkspaceAsItWas()
    {
        using var ws = new TempWorkspace();
        var importer = new CsvImporter(ws.Store.Imports, maxFieldChars: SmallFieldLimit);
        await importer.ImportAsync(CanonicalTable.Orders, ws.File("base.csv", ValidOrders), ColumnMap.None, strict: true, ws.Rejects, CancellationToken.None);
        var snapshot = ws.Snapshot();
        await PropertyFuzz.CheckAsync("csv-importer", Gen.Select(CsvBytes, Gen.Bool), async input =>
        {
            var (bytes, strict) = input;
            var path = ws.File("fuzz.csv", bytes);
            var report = await importer.ImportAsync(CanonicalTable.Orders, path, ColumnMap.None, strict, ws.Rejects, CancellationToken.None, displayName: "fuzz.csv");

            var physicalLines = bytes.Count(b => b == (byte)'\n' || b == (byte)'\r') + 1;
            Assert.All(report.Errors, e =>
            {
                Assert.Equal("fuzz.csv", e.File);
                Assert.InRange(e.Line, report.RowsRead == 0 && e.Line == 0 ? 0 : 1, physicalLines);
            });
            Assert.Equal(report.Refused || report.RejectedRows > 0, report.ErrorCount > 0 && (report.Refused || report.RejectedRows > 0));
            var after = ws.Snapshot();
            if (report.Refused)
            {
                Assert.Equal(snapshot, after);
            }

            snapshot = after;
        }, defaultCount: 60);
    }

    private const string ValidMap = "orders:\n  order_id: ORDER_NUM\n  ordered_at: ORDER_DTTM\nreports:\n  report_text: NARRATIVE\n";

    private static readonly Gen<string> YamlSnippet = Gen.OneOf(
        PropertyFuzz.Snippet(":-[]{}&*!|>#'\"? \n\t,%@`~"),
        Gen.Const("~"), Gen.Const("[]"), Gen.Const("{}"), Gen.Const("null"), Gen.Const("\t"),
        Gen.Int[1, 5000].Select(depth => new string('[', depth) + new string(']', depth)),
        Gen.Int[1, 1000].Select(depth => string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth)),
        Gen.Int[1, 2000].Select(depth => "\n" + string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', i) + "- \n"))),
        Gen.Const(BillionLaughs));

    private const string BillionLaughs =
        "\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "l1: &l1 [*l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0]\n"
        + "l2: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]\n"
        + "l3: &l3 [*l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2]\n"
        + "l4: &l4 [*l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3]\n"
        + "l5: &l5 [*l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4]\n"
        + "l6: &l6 [*l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5]\n"
        + "red_flags: [*l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6]\n";

    [Fact]
    public void ColumnMapLoad_AnyYaml_MapOrFormatExceptionNamingTheFile()
    {
        using var ws = new TempWorkspace();
        PropertyFuzz.Check("column-map", Gen.OneOf(PropertyFuzz.Mutated(ValidMap, YamlSnippet), Gen.String[0, 400]), yaml =>
        {
            var path = ws.File("map.yaml", yaml);
            try
            {
                ColumnMap.Load(path);
            }
            catch (FormatException ex)
            {
                Assert.StartsWith(path, ex.Message, StringComparison.Ordinal);
            }
        });
    }

    [Fact]
    public void ProtocolLoaderParse_MutatedBuiltInProtocol_RuntimeOrFormatExceptionNamingTheSource()
    {
        var builtIn = ProtocolLoader.BuiltInYaml(ProtocolLoader.BuiltInIds[0]);
        PropertyFuzz.Check("protocol-loader", Gen.OneOf(PropertyFuzz.Mutated(builtIn, YamlSnippet), Gen.String[0, 400]), yaml =>
        {
            try
            {
                ProtocolLoader.Parse(yaml, "fuzz.yaml");
            }
            catch (FormatException ex)
            {
                Assert.StartsWith("fuzz.yaml", ex.Message, StringComparison.Ordinal);
            }
        });
    }
}
