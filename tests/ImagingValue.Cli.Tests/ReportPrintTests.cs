using System.Text.Json;
using ImagingValue.Cli.Tests.Support;
using Microsoft.Playwright;

namespace ImagingValue.Cli.Tests;

/// <summary>
/// The demo report printed from headless Chromium (Debian's, through Playwright) on A4 and Letter: every chart is a
/// scalable SVG that lies whole inside the printable page, its title is not covered, the follow-up bar is hatched with
/// an SVG pattern, and each month outside the control limits carries a ring. The PDFs and print-media screenshots are
/// kept under the test output (screenshots/).
/// </summary>
public class ReportPrintTests
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Paper sizes in CSS pixels (96 per inch).</summary>
    public static TheoryData<string, double, double> Papers => new()
    {
        { "A4", 210 / 25.4 * 96, 297 / 25.4 * 96 },
        { "Letter", 8.5 * 96, 11 * 96 },
    };

    [Theory]
    [MemberData(nameof(Papers))]
    public async Task Demo_Report_PrintsEveryChartWholeInsideThePage(string paper, double pageWidth, double pageHeight)
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is required for this test: ./test installs it (apt-get install chromium)");
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "demo", "--out", "demo").ExitCode);
        var outsideMonths = OutsideMonths(dir.File("demo/monitor.json"));
        Assert.NotEmpty(outsideMonths);
        var output = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(output);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(dir.File("demo/report.html")).AbsoluteUri);
        await page.EmulateMediaAsync(new() { Media = Media.Print });

        // The printable box is the paper less the report's own @page margins (read from its stylesheet); laying the
        // page out at that width is what Chromium does when it prints.
        var margins = await page.EvaluateAsync<double[]>(MarginsScript);
        var printable = (Width: pageWidth - margins[1] - margins[3], Height: pageHeight - margins[0] - margins[2]);
        Assert.InRange(printable.Width, 500, pageWidth);
        await page.SetViewportSizeAsync((int)Math.Floor(printable.Width), (int)Math.Floor(printable.Height));

        var charts = await page.EvaluateAsync<JsonElement>(ChartsScript);
        Assert.Equal(2, charts.GetArrayLength());
        foreach (var chart in charts.EnumerateArray())
        {
            var title = chart.GetProperty("title").GetString();
            var box = Box(chart.GetProperty("box"));
            var drawing = Box(chart.GetProperty("drawing"));
            Assert.True(box.Left >= -0.5 && box.Right <= printable.Width + 0.5, $"{paper} {title}: the chart spans x {box.Left:0}..{box.Right:0}, the printable width is {printable.Width:0}");
            Assert.True(box.Bottom - box.Top <= printable.Height, $"{paper} {title}: the chart is {box.Bottom - box.Top:0} high, the printable height is {printable.Height:0}");
            Assert.True(Inside(drawing, box), $"{paper} {title}: the drawing {drawing} reaches outside the chart's box {box}");
            Assert.True(chart.GetProperty("scalable").GetBoolean(), $"{title}: the SVG has no viewBox or a fixed pixel width");
            Assert.False(string.IsNullOrEmpty(title), "a chart has no title (class chart-title)");
            var titleBox = Box(chart.GetProperty("titleBox"));
            Assert.True(Inside(titleBox, box), $"{paper} {title}: the title {titleBox} is outside the chart's box {box}");
            Assert.Equal(0, chart.GetProperty("textsOverTitle").GetInt32());
            // Tick labels, axis labels, bar counts and legend entries: no two texts of a chart overlap.
            Assert.Empty(chart.GetProperty("overlappingTexts").EnumerateArray().Select(t => t.GetString()));
            Assert.True(chart.GetProperty("titleOnTop").GetBoolean(), $"{paper} {title}: something in the page covers the title");
        }

        var perYear = charts.EnumerateArray().Single(c => c.GetProperty("title").GetString()!.StartsWith("Included exams per year", StringComparison.Ordinal));
        // The follow-up bar and its legend swatch, each filled with a striped pattern (two colours).
        Assert.True(perYear.GetProperty("patternFilled").GetInt32() >= 2, $"hatched shapes: {perYear.GetProperty("patternFilled").GetInt32()}");
        var monthly = charts.EnumerateArray().Single(c => c.GetProperty("title").GetString()!.StartsWith("Included exams per month", StringComparison.Ordinal));
        Assert.Equal(outsideMonths.Count, monthly.GetProperty("outsideMarks").GetInt32());
        var caption = monthly.GetProperty("caption").GetString()!;
        Assert.Contains($"{outsideMonths.Count} months outside the control limits, ringed in red", caption, StringComparison.Ordinal);

        var pdf = Path.Combine(output, $"qi-report-{paper}.pdf");
        var bytes = await page.PdfAsync(new() { Path = pdf, Format = paper, PrintBackground = true });
        Assert.Equal("%PDF"u8.ToArray(), bytes[..4]);
        Assert.True(bytes.Length > 100_000, $"{pdf} is only {bytes.Length} bytes");
        await page.ScreenshotAsync(new() { Path = Path.Combine(output, $"qi-report-print-{paper}.png"), FullPage = true });
        var figures = page.Locator("figure");
        for (var i = 0; i < await figures.CountAsync(); i++)
        {
            await figures.Nth(i).ScreenshotAsync(new() { Path = Path.Combine(output, $"qi-report-chart-{i + 1}-{paper}.png") });
        }
    }

    /// <summary>The months (1-based) the monthly C chart has outside its limits, from monitor.json.</summary>
    private static List<int> OutsideMonths(string monitorJson)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(monitorJson));
        return [.. json.RootElement.GetProperty("monthly_chart").GetProperty("parts").EnumerateArray()
            .SelectMany(p => p.GetProperty("outside").EnumerateArray().Select(i => i.GetInt32()))];
    }

    private readonly record struct Rect(double Left, double Top, double Right, double Bottom)
    {
        public override string ToString() => $"({Left:0.#},{Top:0.#})-({Right:0.#},{Bottom:0.#})";
    }

    private static Rect Box(JsonElement e) =>
        new(e.GetProperty("left").GetDouble(), e.GetProperty("top").GetDouble(), e.GetProperty("right").GetDouble(), e.GetProperty("bottom").GetDouble());

    /// <summary>Inside, allowing one pixel for strokes and rounding.</summary>
    private static bool Inside(Rect inner, Rect outer) =>
        inner.Left >= outer.Left - 1 && inner.Top >= outer.Top - 1 && inner.Right <= outer.Right + 1 && inner.Bottom <= outer.Bottom + 1;

    /// <summary>The report's @page margins (top, right, bottom, left) in CSS pixels, read from its stylesheet.</summary>
    private const string MarginsScript = """
        () => {
          const rules = [...document.styleSheets].flatMap(s => [...s.cssRules]).flatMap(r => r instanceof CSSMediaRule ? [...r.cssRules] : [r]);
          const pages = rules.filter(r => r instanceof CSSPageRule);
          const px = length => { if (!length) return 0; const probe = document.createElement('div'); probe.style.width = length; document.body.append(probe); const w = probe.getBoundingClientRect().width; probe.remove(); return w; };
          // Each side from the last @page rule that sets it, as the cascade does; 0 when none does.
          return ['marginTop', 'marginRight', 'marginBottom', 'marginLeft'].map(side => px(pages.map(r => r.style[side]).filter(v => v).pop()));
        }
        """;

    /// <summary>
    /// Per chart: its box, the box of everything it draws, its title's box, how many other texts overlap the title,
    /// whether the chart itself (nothing laid over it) is topmost across the title's width, hatched shapes and rings around out-of-limit months.
    /// </summary>
    private const string ChartsScript = """
        () => [...document.querySelectorAll('figure svg')].map(svg => {
          const title = svg.querySelector('.chart-title');
          (title ?? svg).scrollIntoView({ block: 'center' });
          const box = r => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
          const union = rects => rects.reduce((u, r) => ({ left: Math.min(u.left, r.left), top: Math.min(u.top, r.top), right: Math.max(u.right, r.right), bottom: Math.max(u.bottom, r.bottom) }));
          const drawn = [...svg.querySelectorAll('text, path, rect, ellipse, circle, line, polyline, polygon')]
            .filter(e => !e.closest('defs, clipPath, pattern'))
            .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 || r.height > 0);
          const t = title ? title.getBoundingClientRect() : null;
          const overlap = r => r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom;
          const onTop = f => { const e = document.elementFromPoint(t.left + f * t.width, t.top + t.height / 2); return e !== null && (e === svg || svg.contains(e)); };
          const patterned = [...svg.querySelectorAll('[fill^="url(#"]')].filter(e => {
            const pattern = svg.querySelector('pattern#' + CSS.escape(e.getAttribute('fill').slice(5, -1)));
            const fills = pattern ? new Set([...pattern.querySelectorAll('rect')].map(r => r.getAttribute('fill'))) : new Set();
            return fills.size >= 2 && e.getBoundingClientRect().height > 0;
          });
          return {
            title: title ? title.textContent.trim() : '',
            scalable: svg.hasAttribute('viewBox') && !/^\d+(px)?$/.test(svg.getAttribute('width') ?? ''),
            box: box(svg.getBoundingClientRect()),
            drawing: box(union(drawn)),
            titleBox: t ? box(t) : box(svg.getBoundingClientRect()),
            textsOverTitle: t ? [...svg.querySelectorAll('text')].filter(x => x !== title).map(x => x.getBoundingClientRect()).filter(overlap).length : -1,
            overlappingTexts: (() => {
              const texts = [...svg.querySelectorAll('text')].filter(x => x.textContent.trim() !== '').map(x => ({ text: x.textContent.trim(), r: x.getBoundingClientRect() }));
              const clash = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
              return texts.flatMap((a, i) => texts.slice(i + 1).filter(b => clash(a.r, b.r)).map(b => a.text + ' / ' + b.text));
            })(),
            titleOnTop: t ? [0.05, 0.5, 0.95].every(onTop) : false,
            patternFilled: patterned.length,
            outsideMarks: svg.querySelectorAll('.outside-limit').length,
            caption: svg.closest('figure').querySelector('figcaption')?.textContent ?? '',
          };
        })
        """;
}
