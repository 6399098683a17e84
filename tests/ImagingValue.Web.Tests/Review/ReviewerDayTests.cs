using System.Net;
using System.Text.RegularExpressions;
using ImagingValue.Core.Analytics;
using ImagingValue.Web.Tests.Support;

namespace ImagingValue.Web.Tests.Review;

/// <summary>A reviewer's day over HTTP: the worklist's period, columns and links, the form's required answer, Save and next.</summary>
public sealed partial class ReviewerDayTests : IAsyncLifetime
{
    private ReviewTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Uri Relative(string path) => new(path, UriKind.Relative);

    private async Task<HttpClient> SignedInAsync(string name = "ana")
    {
        var client = _host.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await ReviewTestHost.SignInAsync(client, name)).StatusCode);
        return client;
    }

    private static IReadOnlyList<string> ExamLinks(string html) => [.. ExamLink().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    private static async Task<HttpResponseMessage> SaveAsync(HttpClient client, string path, string? management, string? then = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["Major"] = "false", ["Revision"] = "0", ["ExamToken"] = "0", ["__RequestVerificationToken"] = await ReviewTestHost.TokenAsync(client, path),
        };
        if (management is not null)
        {
            fields["Management"] = management;
        }

        if (then is not null)
        {
            fields["Then"] = then;
        }

        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync(Relative(path), form);
    }

    [Fact]
    public async Task Worklist_OpensOnTheLatestAnalysisPeriod_AndShowsTheIndication()
    {
        using (var store = _host.OpenStores())
        {
            await store.Screening.RecordAnalysisAsync("sacrum-mri-lbp", new AuditOptions(DateRange.Parse("2015-04-01..2015-05-31")), DateTimeOffset.UnixEpoch, CancellationToken.None);
        }

        using var client = await SignedInAsync();
        var html = await client.GetStringAsync(Relative(""));
        var every = await client.GetStringAsync(Relative("?dates=all"));

        Assert.Equal(["/exam?id=E2&filter=all&p=1&from=2015-04-01&to=2015-05-31", "/exam?id=E3&filter=all&p=1&from=2015-04-01&to=2015-05-31"], ExamLinks(html));
        Assert.Contains("value=\"2015-04-01\"", html, StringComparison.Ordinal);
        Assert.Contains("the latest analysis period", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">Indication</th>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"indication\">tailbone pain, worse sitting</td>", html, StringComparison.Ordinal);
        Assert.Equal(3, ExamLinks(every).Count);
    }

    [Fact]
    public async Task ExamPage_KeepsTheWorklistsFilterAndPage_InItsBackLink()
    {
        using var client = await SignedInAsync();
        const string list = "filter=unreviewed&p=2&from=2015-01-01&to=2015-12-31";

        var worklist = await client.GetStringAsync(Relative("?" + list));
        var exam = await client.GetStringAsync(Relative("exams/E2?" + list));

        // Page 2 of three exams at 50 a page is page 1: the links carry the page the list asked for, as the person left it.
        Assert.All(ExamLinks(worklist), link => Assert.EndsWith("&" + list, link, StringComparison.Ordinal));
        Assert.Contains("<a href=\"/?" + list.Replace("&", "&amp;", StringComparison.Ordinal) + "\">Back to the worklist</a>", exam, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewForm_NoManagementAnswerChosen_SavingWithoutOneIsRefusedWithAMessage()
    {
        using var client = await SignedInAsync();
        var form = await client.GetStringAsync(Relative("exams/E1"));

        using var refused = await SaveAsync(client, "exams/E1", management: null);
        var page = await refused.Content.ReadAsStringAsync();

        Assert.DoesNotContain("checked", Regex.Match(form, "<fieldset id=\"management\".*?</fieldset>", RegexOptions.Singleline).Value, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Choose the management impact: none, minor or major. Nothing was saved.", page, StringComparison.Ordinal);
        Assert.Empty(await _host.OpenStores().Reviews.GetAllReviewsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SaveAndNext_GoesToTheNextExamToReviewInTheSameList_ThenBackToTheList()
    {
        using var client = await SignedInAsync();
        const string list = "filter=unreviewed&p=1";

        using var plain = await SaveAsync(client, "exams/E2?" + list, "major");
        using var first = await SaveAsync(client, "exams/E1?" + list, "none", then: "next");
        using var last = await SaveAsync(client, "exams/E3?" + list, "minor", then: "next");

        // E2, which this reviewer has reviewed already, is passed over.
        Assert.Equal("/exam?id=E2&" + list + "&saved=E2", plain.Headers.Location!.OriginalString);
        Assert.Equal("/exam?id=E3&" + list + "&saved=E1", first.Headers.Location!.OriginalString);
        Assert.Equal("/?" + list + "&done=true", last.Headers.Location!.OriginalString);
        Assert.Contains("No exam is left for you to review in this list", await client.GetStringAsync(Relative(last.Headers.Location.OriginalString)), StringComparison.Ordinal);
        Assert.Equal(["E1", "E2", "E3"], (await _host.OpenStores().Reviews.GetAllReviewsAsync(CancellationToken.None)).Select(r => r.Review.OrderId).Order());
    }

    [Fact]
    public async Task AcceptSuggestedFindings_TicksWhatTheReportSuggests_SavesNothing()
    {
        using var client = await SignedInAsync();

        var plain = await client.GetStringAsync(Relative("exams/E1"));
        var accepted = await client.GetStringAsync(Relative("exams/E1?filter=all&p=1&accept=true"));

        Assert.Contains(">Accept suggested findings</a>", plain, StringComparison.Ordinal);
        Assert.Matches("value=\"major:sacroiliitis\" checked", accepted);
        Assert.Matches("id=\"major\" name=\"Major\" value=\"true\" checked", accepted);
        Assert.DoesNotMatch("value=\"major:sacroiliitis\" checked", plain);
        Assert.Empty(await _host.OpenStores().Reviews.GetAllReviewsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task PageViews_LogNoWarning()
    {
        using var client = await SignedInAsync();
        var before = _host.Logs.Lines.Count;

        foreach (var path in new[] { "", "?filter=unreviewed", "exams/E1", "exams/E1/audit", "dashboard", "cohort", "signout" })
        {
            using var response = await client.GetAsync(Relative(path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.DoesNotContain(_host.Logs.Lines.Skip(before), line => line.StartsWith("Warning", StringComparison.Ordinal) || line.StartsWith("Error", StringComparison.Ordinal));
    }

    [GeneratedRegex("<td><a href=\"(/exam\\?id=[^\"]+)\">")]
    private static partial Regex ExamLink();
}
