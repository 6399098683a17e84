using ImagingValue.Core.Review;
using ImagingValue.Core.Screening;
using ImagingValue.Reports.Exports;

namespace ImagingValue.Reports.Tests.Exports;

/// <summary>Issue 14: an identifier or text imported with a formula start is written neutralised by each report CSV.</summary>
public sealed class CsvExportNeutralisationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("iv-csv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ScreeningLog_OrderIdStartingWithEquals_Neutralised()
    {
        using var text = new StringWriter();
        using (var log = new ScreeningLogWriter(text))
        {
            log.Add(new ScreeningDecision("=2+5", Decision.NotTarget, false, null, [], []), "sacrum-mri-lbp");
        }

        Assert.StartsWith("'=2+5,", text.ToString().Split('\n')[1], StringComparison.Ordinal);
    }

    [Fact]
    public void FindingsLog_OrderIdStartingWithAt_Neutralised()
    {
        var path = Path.Combine(_folder, "findings.csv");

        FindingsLogWriter.Write(path, [new FindingSuggestion("@SUM(A1)", false, false, false, [])]);

        Assert.StartsWith("'@SUM(A1),", File.ReadAllLines(path)[1], StringComparison.Ordinal);
    }
}
