using System.Globalization;
using System.Text.Json.Nodes;
using ImagingValue.Cli.Tests.Support;
using ImagingValue.Web.Tests.Support;
using Microsoft.Playwright;

namespace ImagingValue.Web.Tests.Browser;

/// <summary>
/// The dashboard against the report: <c>imaging-value demo</c> writes summary.json and leaves its workspace; served,
/// the dashboard opens on the same period and prints the same figures, with the report's chart.
/// </summary>
public sealed class DashboardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private ReviewTestHost _host = null!;
    private JsonNode _summary = null!;

    public async Task InitializeAsync()
    {
        var demo = CliRunner.Run(_dir.Path, "demo", "--out", "demo");
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        var added = CliRunner.RunWithInput(_dir.Path, ReviewTestHost.Password + "\n", "user", "add", "--workspace", "demo/workspace", "--name", "lead", "--role", "viewer");
        Assert.True(added.ExitCode == 0, added.Stderr);
        _summary = JsonNode.Parse(await File.ReadAllTextAsync(_dir.File("demo/summary.json")))!;
        _host = await ReviewTestHost.StartAsync(workspace: _dir.File("demo/workspace"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private static string Pct(double rate) => (100 * rate).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Money(double value) => "$" + value.ToString("#,0", CultureInfo.InvariantCulture);

    private static async Task<string> RowAsync(IPage page, string table, string label) =>
        (await page.Locator($"#{table} tr").Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = label, Exact = true }) }).Locator("td").InnerTextAsync()).Trim();

    [ChromiumFact]
    public async Task Dashboard_SamePeriodAndFiguresAsSummaryJson_WithTheReportsChart()
    {
        var page = await browser.NewPageAsync(_host);
        await page.SetViewportSizeAsync(1400, 900);
        await BrowserFixture.SignInAsync(page, "lead");
        await page.GotoAsync("dashboard");

        var period = _summary["period"]!;
        var cohort = _summary["cohort"]!;
        var review = _summary["review"]!;
        var ci = _summary["yield"]!["major_ci95"]!.AsArray();
        var cost = _summary["cost"]!;
        await Assertions.Expect(page.Locator("#from")).ToHaveValueAsync(period["from"]!.GetValue<string>());
        await Assertions.Expect(page.Locator("#to")).ToHaveValueAsync(period["to"]!.GetValue<string>());
        Assert.Equal(cohort["target_exams"]!.ToString(), await RowAsync(page, "cohort-table", "Target exams"));
        Assert.Equal(cohort["included"]!.ToString(), await RowAsync(page, "cohort-table", "Included"));
        Assert.Equal(cohort["excluded"]!.ToString(), await RowAsync(page, "cohort-table", "Excluded"));
        Assert.Equal(review["reviewed"]!.ToString(), await RowAsync(page, "findings-table", "Reviewed"));
        Assert.Equal(review["major_findings"]!.ToString(), await RowAsync(page, "findings-table", "Major findings"));
        Assert.Equal(review["management_minor"]!.ToString(), await RowAsync(page, "findings-table", "Management changed: minor"));
        Assert.Equal(
            $"{Pct(_summary["yield"]!["major_rate"]!.GetValue<double>())} ({Pct(ci[0]!.GetValue<double>())}–{Pct(ci[1]!.GetValue<double>())})",
            (await page.Locator("#yield").InnerTextAsync()).Trim());
        Assert.Equal(Money(cost["charge_per_exam"]!.GetValue<double>()), await RowAsync(page, "cost-table", "Charge per exam"));
        Assert.Equal(Money(cost["charges_per_major_finding"]!.GetValue<double>()), await RowAsync(page, "cost-table", "Charges per major finding"));
        Assert.Contains(Money(cost["total_charges"]!.GetValue<double>()), await page.Locator("#cost-table").InnerTextAsync(), StringComparison.Ordinal);

        // The report's chart, drawn (an image that loaded), with a text alternative naming every bar.
        var chart = page.Locator("#years-chart");
        await Assertions.Expect(chart).ToHaveAttributeAsync("alt", new System.Text.RegularExpressions.Regex("^Bar chart of included exams per year: 2013"));
        Assert.True(await chart.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the chart did not load");
        // The demo has an intervention: the report's monitoring chart too.
        Assert.True(await page.Locator("#monitor-chart").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the monitoring chart did not load");

        // The worklist opens on the same period.
        await page.GotoAsync("");
        await Assertions.Expect(page.Locator("#from")).ToHaveValueAsync(period["from"]!.GetValue<string>());
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GotoAsync("dashboard");
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "20-dashboard-demo");
    }
}
