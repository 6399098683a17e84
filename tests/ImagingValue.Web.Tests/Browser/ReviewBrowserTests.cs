using ImagingValue.Core.Data;
using ImagingValue.Core.Review;
using ImagingValue.Web.Tests.Support;
using Microsoft.Playwright;

namespace ImagingValue.Web.Tests.Browser;

/// <summary>The review workspace as people use it, in headless Debian chromium driven by Playwright.</summary>
public sealed class ReviewBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private ReviewTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<string> FilterCountAsync(IPage page, string label) =>
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Filters" }).GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^" + label + " \\(") }).InnerTextAsync();

    private static async Task<string> DashboardMajorAsync(IPage page)
    {
        await page.GotoAsync("dashboard");
        return await page.Locator("#major-link").InnerTextAsync();
    }

    private async Task<ExamReview?> FinalReviewAsync(string orderId)
    {
        using var workspace = _host.OpenStores();
        return FinalReview.Select((await workspace.Data.GetReviewsAsync(CancellationToken.None)).Where(r => r.OrderId == orderId));
    }

    [ChromiumFact]
    public async Task Review_SecondReviewerDisagrees_AdjudicatorDecides()
    {
        // A reviewer signs in, opens the worklist and reviews E1: a major finding (sacroiliitis), minor management impact.
        var ana = await browser.NewPageAsync(_host);
        await BrowserFixture.SignInAsync(ana, "ana");
        await Assertions.Expect(ana.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Worklist");
        Assert.Equal("Unreviewed (3)", await FilterCountAsync(ana, "Unreviewed"));
        Assert.Equal("Major findings (0)", await FilterCountAsync(ana, "Major findings"));
        await BrowserFixture.AssertAccessibleAsync(ana);
        await BrowserFixture.ScreenshotAsync(ana, "01-worklist");
        Assert.Equal("0", await DashboardMajorAsync(ana));
        await Assertions.Expect(ana.Locator("#included-link")).ToHaveTextAsync("3");
        await ana.GotoAsync("");
        await ana.GetByRole(AriaRole.Link, new() { Name = "E1", Exact = true }).ClickAsync();
        await Assertions.Expect(ana.Locator("#indication-text mark")).ToHaveTextAsync("low back pain");
        await Assertions.Expect(ana.Locator("#report-text mark.major").First).ToContainTextAsync("sacroiliitis");
        await Assertions.Expect(ana.Locator("body")).ToContainTextAsync("L1: MRI LUMBAR SPINE WO");
        await BrowserFixture.AssertAccessibleAsync(ana);
        await ana.GetByLabel("sacroiliitis").CheckAsync();
        await ana.GetByLabel("tarlov cyst").CheckAsync();
        await ana.GetByLabel("minor", new() { Exact = true }).CheckAsync();
        await ana.GetByLabel("Finding notes").FillAsync("SI joint edema on STIR");
        await ana.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(ana.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await Assertions.Expect(ana.Locator("#stage")).ToHaveTextAsync("awaiting second review");
        await BrowserFixture.ScreenshotAsync(ana, "02-primary-review-saved");
        await ana.GotoAsync("");
        Assert.Equal("Major findings (1)", await FilterCountAsync(ana, "Major findings"));
        Assert.True((await FinalReviewAsync("E1"))!.MajorFinding);
        Assert.Equal("1", await DashboardMajorAsync(ana));
        await Assertions.Expect(ana.Locator("#yield")).ToContainTextAsync("100.0%");

        // The second reviewer finds the exam under "Awaiting second review", does not see the first review, and disagrees.
        var ben = await browser.NewPageAsync(_host);
        await BrowserFixture.SignInAsync(ben, "ben");
        await ben.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Awaiting second review") }).ClickAsync();
        await ben.GetByRole(AriaRole.Link, new() { Name = "E1", Exact = true }).ClickAsync();
        await Assertions.Expect(ben.GetByRole(AriaRole.Heading, new() { Name = "Your second review" })).ToBeVisibleAsync();
        await Assertions.Expect(ben.Locator("#reviews-table")).ToHaveCountAsync(0);
        await ben.GetByLabel("none", new() { Exact = true }).CheckAsync();
        await ben.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(ben.Locator("#stage")).ToHaveTextAsync("disagreement");
        await BrowserFixture.ScreenshotAsync(ben, "03-second-review-disagrees");
        Assert.Equal("0", await DashboardMajorAsync(ben));

        // The adjudicator sees the disagreement with both reviews and decides: major finding, minor management impact.
        var cy = await browser.NewPageAsync(_host);
        await BrowserFixture.SignInAsync(cy, "cy");
        Assert.Equal("Disagreements (1)", await FilterCountAsync(cy, "Disagreements"));
        Assert.Equal("Major findings (0)", await FilterCountAsync(cy, "Major findings"));
        await cy.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Disagreements") }).ClickAsync();
        await cy.GetByRole(AriaRole.Link, new() { Name = "E1", Exact = true }).ClickAsync();
        await Assertions.Expect(cy.Locator("#reviews-table tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(cy.GetByRole(AriaRole.Heading, new() { Name = "Your adjudication (final)" })).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(cy);
        await cy.GetByLabel("Major finding present").CheckAsync();
        await cy.GetByLabel("sacroiliitis").CheckAsync();
        await cy.GetByLabel("minor", new() { Exact = true }).CheckAsync();
        await cy.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(cy.Locator("#stage")).ToHaveTextAsync("complete");
        await Assertions.Expect(cy.Locator("body")).ToContainTextAsync("Final review: cy (adjudicator)");
        await BrowserFixture.ScreenshotAsync(cy, "04-adjudicated");
        await cy.GotoAsync("");
        Assert.Equal("Disagreements (0)", await FilterCountAsync(cy, "Disagreements"));
        Assert.Equal("Major findings (1)", await FilterCountAsync(cy, "Major findings"));

        // The dashboard changes with the decision, shows the reviewers' agreement, and its numbers lead to the exams.
        Assert.Equal("1", await DashboardMajorAsync(cy));
        await Assertions.Expect(cy.Locator("#agreement-table")).ToContainTextAsync("Major finding");
        await BrowserFixture.AssertAccessibleAsync(cy);
        await BrowserFixture.ScreenshotAsync(cy, "04b-dashboard");
        await cy.Locator("#major-link").ClickAsync();
        await Assertions.Expect(cy.Locator("table tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(cy.GetByRole(AriaRole.Link, new() { Name = "E1", Exact = true })).ToBeVisibleAsync();

        // analyze reads the same rows: the adjudicator's review is final.
        var final = await FinalReviewAsync("E1");
        Assert.Equal(("cy", "adjudicator", true, ManagementChange.Minor), (final!.Reviewer, final.Role, final.MajorFinding, final.ManagementChange));

        // The audit trail shows every change by who made it.
        await cy.GotoAsync("exams/E1/audit");
        await Assertions.Expect(cy.Locator("#audit-table tbody tr").Filter(new() { HasText = "ben" }).Filter(new() { HasText = "major_finding" })).ToHaveCountAsync(1);
        await Assertions.Expect(cy.Locator("#audit-table")).ToContainTextAsync("SI joint edema on STIR");
        await BrowserFixture.AssertAccessibleAsync(cy);
        await BrowserFixture.ScreenshotAsync(cy, "05-audit-trail");
    }

    [ChromiumFact]
    public async Task ScriptInIndicationAndReport_ShownAsText_NeverRun()
    {
        var page = await browser.NewPageAsync(_host);
        await BrowserFixture.SignInAsync(page, "vi");
        await page.GotoAsync("exams/E3");

        await Assertions.Expect(page.Locator("#indication-text")).ToContainTextAsync(ReviewTestHost.ScriptText);
        await Assertions.Expect(page.Locator("#report-text")).ToContainTextAsync(ReviewTestHost.ScriptText);
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"));
        Assert.Equal(0, await page.Locator("main script").CountAsync());
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("your role cannot change them");
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "06-script-as-text");
    }

    [ChromiumFact]
    public async Task TwoBrowsersSaveTheSameReview_SecondGetsTheConflict_NothingLost()
    {
        var first = await browser.NewPageAsync(_host);
        var second = await browser.NewPageAsync(_host);
        await BrowserFixture.SignInAsync(first, "ana");
        await BrowserFixture.SignInAsync(second, "ana");
        await first.GotoAsync("exams/E2");
        await second.GotoAsync("exams/E2");

        await first.GetByLabel("facet arthropathy").CheckAsync();
        await first.GetByLabel("none", new() { Exact = true }).CheckAsync();
        await first.GetByLabel("Finding notes").FillAsync("first tab: facet arthropathy only");
        await first.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(first.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");

        await second.GetByLabel("Major finding present").CheckAsync();
        await second.GetByLabel("major", new() { Exact = true }).CheckAsync();
        await second.GetByLabel("Finding notes").FillAsync("second tab: thinks it is major");
        await second.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        await Assertions.Expect(second.Locator("#conflict")).ToContainTextAsync("Someone saved a review of this exam after you opened it");
        await Assertions.Expect(second.GetByLabel("Finding notes")).ToHaveValueAsync("second tab: thinks it is major");
        await Assertions.Expect(second.GetByLabel("Major finding present")).ToBeCheckedAsync();
        await BrowserFixture.AssertAccessibleAsync(second);
        await BrowserFixture.ScreenshotAsync(second, "07-conflict");
        var stored = await _host.OpenStores().Reviews.GetExamReviewsAsync("E2", CancellationToken.None);
        Assert.Equal("first tab: facet arthropathy only", Assert.Single(stored).Review.FindingNotes);

        // Saving again after seeing the conflict keeps the second version; the first stays in the audit trail.
        await second.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        var trail = await _host.OpenStores().Reviews.GetAuditTrailAsync("E2", CancellationToken.None);
        Assert.Contains(trail, e => e is { Field: "finding_notes", OldValue: "first tab: facet arthropathy only", NewValue: "second tab: thinks it is major" });
    }

    [ChromiumFact]
    public async Task SignInPage_Accessible_AndLockoutMessageShown()
    {
        var page = await browser.NewPageAsync(_host);
        await page.GotoAsync("");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "00-sign-in");
        await page.GetByLabel("Name").FillAsync("ana");
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong name or password.");
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    [ChromiumFact]
    public async Task AdminPages_CohortImportDashboardDenied_Accessible()
    {
        var page = await browser.NewPageAsync(_host);
        await BrowserFixture.SignInAsync(page, "root");
        foreach (var (path, heading) in new[] { ("cohort", "target exams"), ("import", "reviews csv"), ("dashboard", "dashboard") })
        {
            await page.GotoAsync(path);
            Assert.Contains(heading, (await page.Locator("h1").First.TextContentAsync() ?? string.Empty).ToLowerInvariant(), StringComparison.Ordinal);
            await BrowserFixture.AssertAccessibleAsync(page);
            await BrowserFixture.ScreenshotAsync(page, "90-admin-" + path);
        }

        var viewer = await browser.NewPageAsync(_host);
        await BrowserFixture.SignInAsync(viewer, "vi");
        await viewer.GotoAsync("import");
        Assert.Contains("denied", viewer.Url, StringComparison.OrdinalIgnoreCase);
        await BrowserFixture.AssertAccessibleAsync(viewer);
    }

    /// <summary>Presses Tab until the focused element matches <paramref name="selector"/> (a keyboard user's way down a form).</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) === true", selector))
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached {selector}");
    }

    /// <summary>
    /// Alt+key as a keyboard sends it. Playwright's keyboard API drops the character of a key pressed with Alt, which
    /// is what Chromium matches access keys by, so the key event goes through the DevTools protocol as the OS would send it.
    /// </summary>
    private static async Task PressAccessKeyAsync(IPage page, string key)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var code = "Key" + key.ToUpperInvariant();
        var virtualKey = (int)char.ToUpperInvariant(key[0]);
        await cdp.SendAsync("Input.dispatchKeyEvent", new() { ["type"] = "keyDown", ["modifiers"] = 1, ["key"] = key, ["code"] = code, ["windowsVirtualKeyCode"] = virtualKey, ["unmodifiedText"] = key, ["text"] = string.Empty });
        await cdp.SendAsync("Input.dispatchKeyEvent", new() { ["type"] = "keyUp", ["modifiers"] = 1, ["key"] = key, ["code"] = code, ["windowsVirtualKeyCode"] = virtualKey });
        await cdp.DetachAsync();
    }

    [ChromiumFact]
    public async Task ReviewerDay_ThreeExamsReviewedByKeyboard_WithSaveAndNext()
    {
        var page = await browser.NewPageAsync(_host);
        await page.SetViewportSizeAsync(1400, 900);
        await BrowserFixture.SignInAsync(page, "ana");
        await page.GotoAsync("?filter=unreviewed");
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Indication" })).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "10-worklist-unreviewed");

        // The one click; from here on only the keyboard.
        await page.GetByRole(AriaRole.Link, new() { Name = "E1", Exact = true }).ClickAsync();
        var management = new[] { "none", "minor", "none" };
        for (var i = 0; i < 3; i++)
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Exam E{i + 1}");
            if (i == 0)
            {
                // Two columns on a wide screen: the decision beside the report, not under it.
                var report = (await page.Locator(".exam-record").BoundingBoxAsync())!;
                var decision = (await page.Locator(".exam-decision").BoundingBoxAsync())!;
                Assert.True(decision.X >= report.X + report.Width, $"decision at x={decision.X}, report ends at {report.X + report.Width}");
                Assert.True(decision.Y < report.Y + 100, $"decision at y={decision.Y}, report at {report.Y}");
                await BrowserFixture.AssertAccessibleAsync(page);
                await BrowserFixture.ScreenshotAsync(page, "11-exam-two-columns");
            }

            // The first Tab reaches "Skip to your review"; Enter jumps to the form; Tab reaches its first box, visibly focused.
            await page.Keyboard.PressAsync("Tab");
            await Assertions.Expect(page.Locator(":focus")).ToHaveTextAsync("Skip to your review");
            await page.Keyboard.PressAsync("Enter");
            await page.Keyboard.PressAsync("Tab");
            await Assertions.Expect(page.Locator(":focus")).ToHaveIdAsync("major");
            Assert.Equal("solid", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
            if (i == 1)
            {
                await page.Keyboard.PressAsync("Space");
            }

            // No management answer is chosen for the reviewer: the first radio is reached unchecked, arrows choose.
            await TabToAsync(page, "input[name=Management]");
            await Assertions.Expect(page.Locator("input[name=Management]:checked")).ToHaveCountAsync(0);
            await page.Keyboard.PressAsync("Space");
            if (management[i] == "minor")
            {
                await page.Keyboard.PressAsync("ArrowDown");
            }

            await Assertions.Expect(page.Locator($"#management-{management[i]}")).ToBeCheckedAsync();
            if (i == 2)
            {
                await BrowserFixture.ScreenshotAsync(page, "12-exam-keyboard-focus");
            }

            if (i == 1)
            {
                // The focus order after the answer: the notes, then Save and next.
                await page.Keyboard.PressAsync("Tab");
                await Assertions.Expect(page.Locator(":focus")).ToHaveIdAsync("notes");
                await page.Keyboard.PressAsync("Tab");
                await Assertions.Expect(page.Locator(":focus")).ToHaveTextAsync("Save and next");
                await page.Keyboard.PressAsync("Enter");
            }
            else
            {
                await PressAccessKeyAsync(page, "n");
            }
        }

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("No exam is left for you to review in this list");
        Assert.Contains("filter=unreviewed", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "13-worklist-done");
        using var workspace = _host.OpenStores();
        var stored = (await workspace.Reviews.GetAllReviewsAsync(CancellationToken.None)).OrderBy(r => r.Review.OrderId, StringComparer.Ordinal).ToList();
        Assert.Equal(["E1", "E2", "E3"], stored.Select(r => r.Review.OrderId));
        Assert.All(stored, r => Assert.Equal("ana", r.Review.Reviewer));
        Assert.Equal([false, true, false], stored.Select(r => r.Review.MajorFinding));
        Assert.Equal([ManagementChange.None, ManagementChange.Minor, ManagementChange.None], stored.Select(r => r.Review.ManagementChange));
    }
}
