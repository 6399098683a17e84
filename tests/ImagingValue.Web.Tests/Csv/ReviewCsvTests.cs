using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ImagingValue.Web.Tests.Support;

namespace ImagingValue.Web.Tests.Csv;

/// <summary>Reviews CSV upload (admins) and the reviews and screening-log downloads.</summary>
public sealed class ReviewCsvTests : IAsyncLifetime
{
    private ReviewTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string csv, bool withToken = true, string fileName = "reviews.csv")
    {
        using var form = new MultipartFormDataContent();
        if (withToken)
        {
            form.Add(new StringContent(await ReviewTestHost.TokenAsync(client, "import")), "__RequestVerificationToken");
        }

        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "Upload", fileName);
        return await client.PostAsync(new Uri("import", UriKind.Relative), form);
    }

    [Fact]
    public async Task Admin_UploadsReviews_ImportedAuditedAndDownloadable()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "root");
        const string csv = "order_id,reviewer,major_finding,minor_finding,incidental_finding,finding_notes,management_change,review_role,reviewed_at\n"
            + "E1,resident,yes,no,yes,\"edema, both SI joints\",minor,primary,2016-01-05T10:00\n"
            + "E2,resident,maybe,no,no,,none,primary,2016-01-05T10:05\n";

        using var response = await UploadAsync(client, csv);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("2 rows read: 1 new, 0 updated, 0 unchanged, 1 rejected", html, StringComparison.Ordinal);
        Assert.Contains("major_finding", html, StringComparison.Ordinal);
        var store = _host.OpenStores().Reviews;
        var review = Assert.Single(await store.GetAllReviewsAsync(CancellationToken.None));
        Assert.Equal(("E1", "resident", "edema, both SI joints"), (review.Review.OrderId, review.Review.Reviewer, review.Review.FindingNotes));
        Assert.Contains(await store.GetAuditTrailAsync("E1", CancellationToken.None), e => e.ChangedBy.StartsWith("import ", StringComparison.Ordinal) && e.Field == "major_finding");

        var download = await client.GetStringAsync(new Uri("export/reviews.csv", UriKind.Relative));
        Assert.Equal(
            "order_id,reviewer,major_finding,minor_finding,incidental_finding,finding_notes,management_change,review_role,reviewed_at,finding_concepts\n"
            + "E1,resident,yes,no,yes,\"edema, both SI joints\",minor,primary,2016-01-05T10:00:00,\n",
            download);
    }

    [Fact]
    public async Task Admin_UploadsANoteThatIsAFormula_ReviewsExportNeutralisesIt()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "root");
        const string csv = "order_id,reviewer,major_finding,minor_finding,incidental_finding,finding_notes,management_change\n"
            + "E1,resident,no,no,no,\"=HYPERLINK(\"\"http://x.example\"\",\"\"see\"\")\",none\n";
        using var response = await UploadAsync(client, csv);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var download = await client.GetStringAsync(new Uri("export/reviews.csv", UriKind.Relative));

        Assert.Contains(",\"'=HYPERLINK(\"\"http://x.example\"\",\"\"see\"\")\",", download, StringComparison.Ordinal);
        Assert.DoesNotContain(",=", download, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_UploadsAReviewsCsvOverTheHostsOneMebibyteLimit_Imported()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "root");
        var csv = new StringBuilder("order_id,reviewer,major_finding,minor_finding,incidental_finding,finding_notes,management_change\n");
        for (var i = 0; csv.Length < 1_500_000; i++)
        {
            // One order, many reviewers: a review must name an order of the workspace.
            csv.Append(CultureInfo.InvariantCulture, $"E1,reader{i:D6},no,no,no,\"{new string('n', 80)}\",none\n");
        }

        using var response = await UploadAsync(client, csv.ToString());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"\d{5} rows read: \d{5} new", html);
    }

    [Fact]
    public async Task Admin_UploadsAReviewOfAnUnknownOrder_RowRejectedOthersImported()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "root");

        using var response = await UploadAsync(client, "order_id,reviewer,major_finding\nE1,resident,yes\nNOPE9,resident,no\n");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("2 rows read: 1 new, 0 updated, 0 unchanged, 1 rejected", html, StringComparison.Ordinal);
        Assert.Contains("order &#x27;NOPE9&#x27; is not in the workspace", html, StringComparison.Ordinal);
        Assert.Equal(["E1"], (await _host.OpenStores().Reviews.GetAllReviewsAsync(CancellationToken.None)).Select(r => r.Review.OrderId));
    }

    [Fact]
    public async Task Admin_UploadWithABadRow_ErrorNamesTheUploadedFileNotAServerPath()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "root");

        using var response = await UploadAsync(client, "order_id,reviewer,major_finding\nE1,resident,perhaps\n", fileName: "march-reviews.csv");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("march-reviews.csv:2: major_finding: ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("uploads", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath(), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reviewer_CannotUpload_ButDownloadsTheScreeningLog()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "ana");

        using var page = await client.GetAsync(new Uri("import", UriKind.Relative));
        var log = await client.GetStringAsync(new Uri("export/screening.csv", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/denied", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("order_id,decision,reason,reasons,evidence,window,protocol", lines[0]);
        Assert.Contains("X1,excluded,tumor,tumor,\"indication: \"\"hx breast cancer\"\" [tumor, historical]\",,sacrum-mri-lbp", lines);
        Assert.Equal(6, lines.Length);
    }

    [Fact]
    public async Task Upload_WithoutAntiforgeryToken_400AndNothingImported()
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "root");

        using var response = await UploadAsync(client, "order_id,reviewer,major_finding\nE1,resident,yes\n", withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await _host.OpenStores().Reviews.GetAllReviewsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Downloads_NotSignedIn_Refused()
    {
        using var client = _host.NewClient();

        using var reviews = await client.GetAsync(new Uri("export/reviews.csv", UriKind.Relative));
        using var screening = await client.GetAsync(new Uri("export/screening.csv", UriKind.Relative));

        Assert.False(reviews.IsSuccessStatusCode);
        Assert.False(screening.IsSuccessStatusCode);
    }
}
