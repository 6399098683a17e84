using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ImagingValue.Web.Tests.Support;

/// <summary>
/// Playwright's bundled node driver with Debian's chromium (no browser download, ever). When chromium is missing
/// outside CI the browser tests are reported as skipped (<see cref="ChromiumFactAttribute"/>); under CI (CI=true) a
/// missing chromium fails them, because ./test installs it.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    public static bool Available => File.Exists(Chromium);

    /// <summary>Under CI the browser tests must run: a missing chromium fails them instead of skipping them.</summary>
    public static bool UnderCi { get; } = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!Available)
        {
            if (UnderCi)
            {
                throw new InvalidOperationException($"{Chromium} is missing under CI: ./test installs it (apt-get install chromium)");
            }

            return;
        }

        Directory.CreateDirectory(ScreenshotFolder);
        // Two other engineers share this machine's two cores: give the pages time before calling them broken.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh browser context (its own cookies) at the host's address.</summary>
    public async Task<IPage> NewPageAsync(ReviewTestHost host)
    {
        var context = await Browser!.NewContextAsync(new() { BaseURL = host.Address.ToString() });
        return await context.NewPageAsync();
    }

    public static async Task SignInAsync(IPage page, string name, string password = ReviewTestHost.Password)
    {
        await page.GotoAsync("signin");
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Wait for what only a signed-in page shows (waiting for the URL raced with the redirect's load event on a busy machine).
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    /// <summary>Runs axe-core in the page; fails on serious or critical violations, naming them.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
        Assert.True(bad.Count == 0, $"{page.Url}: {string.Join("; ", bad)}");
    }
}

/// <summary>
/// A browser test: skipped, and reported as skipped, when chromium is missing outside CI (xunit 2 cannot skip from
/// inside a running test, so the decision is made here); under CI it runs, and the fixture fails without chromium.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!BrowserFixture.Available && !BrowserFixture.UnderCi)
        {
            Skip = $"{BrowserFixture.Chromium} is not installed (./test installs it)";
        }
    }
}
