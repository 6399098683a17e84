using System.Diagnostics;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary>The QI report as a person sees it: rendered by headless Chromium (installed by ./test), with a screenshot kept.</summary>
public class ReportRenderingTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public void Demo_Report_RendersInChromiumWithEverySection()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is required for this test: ./test installs it (apt-get install chromium)");
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "demo", "--out", "demo").ExitCode);
        var report = new Uri(dir.File("demo/report.html")).AbsoluteUri;
        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        var png = Path.Combine(screenshots, "qi-report.png");

        var dom = Browser(dir.Path, "--dump-dom", report);
        Browser(dir.Path, $"--screenshot={png}", "--window-size=1100,5200", report);

        foreach (var section in new[] { "Question and methods", "Cohort", "Findings and management", "Cost", "Patients", "Exams per year", "After the intervention", "Monitoring", "Who orders them", "Report suggestions and reviews", "Appendix: the included exams" })
        {
            Assert.Contains($"<h2>{section}</h2>", dom, StringComparison.Ordinal);
        }

        // Every chart of the full report (exams per year and monitoring) has a text alternative; every table a header.
        var html = File.ReadAllText(dir.File("demo/report.html"));
        var svgs = System.Text.RegularExpressions.Regex.Matches(html, "<svg[^>]*>");
        Assert.Equal(2, svgs.Count);
        Assert.All(svgs, m => Assert.Matches("role=\"img\" aria-label=\"[^\"]{20,}\"", m.Value));
        Assert.All(html.Split("<table").Skip(1), t => Assert.Contains("<th", t[..t.IndexOf("</table>", StringComparison.Ordinal)], StringComparison.Ordinal));

        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 50_000, $"screenshot {png} is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
    }

    private static string Browser(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", $"--user-data-dir={Path.Combine(workingDirectory, "chromium-profile")}" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(90)), "chromium did not finish");
        return output.Result;
    }
}
