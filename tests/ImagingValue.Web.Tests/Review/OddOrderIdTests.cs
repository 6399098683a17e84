using System.Net;
using ImagingValue.Web.Review;
using ImagingValue.Web.Tests.Support;

namespace ImagingValue.Web.Tests.Review;

/// <summary>
/// Order ids are whatever the hospital's system uses: an id with '/', '%2F', '?', '#', a space or made of dots opens
/// its exam page and audit trail, and a review saves to it, over the real host (Kestrel on loopback).
/// </summary>
public sealed class OddOrderIdTests : IAsyncLifetime
{
    private static readonly string[] OddIds = ["A/B", "a%2Fb", "..", ".", "q?x=1#frag", "sp ace+plus", "../E1"];
    private ReviewTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ReviewTestHost.StartAsync();
        await _host.AddOrdersAsync(OddIds);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ExamAndAuditPages_OddIds_OpenTheirOwnOrder()
    {
        using var client = await SignedInAsync();
        foreach (var id in OddIds)
        {
            using var exam = await client.GetAsync(new Uri(ExamLinks.Exam(id), UriKind.Relative));
            using var audit = await client.GetAsync(new Uri(ExamLinks.Audit(id), UriKind.Relative));

            Assert.True(exam.StatusCode == HttpStatusCode.OK, $"exam page of '{id}': {(int)exam.StatusCode}");
            Assert.True(audit.StatusCode == HttpStatusCode.OK, $"audit page of '{id}': {(int)audit.StatusCode}");
            Assert.Contains($"<title>Exam {id} ·", WebUtility.HtmlDecode(await exam.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Save_OddIds_StoredUnderTheIdAndBackToItsPage()
    {
        using var client = await SignedInAsync();
        foreach (var id in OddIds)
        {
            var path = ExamLinks.Exam(id);
            var fields = new Dictionary<string, string>
            {
                ["Major"] = "false", ["Management"] = "none", ["Revision"] = "0", ["ExamToken"] = "0",
                ["__RequestVerificationToken"] = await ReviewTestHost.TokenAsync(client, path),
            };
            using var form = new FormUrlEncodedContent(fields);

            using var saved = await client.PostAsync(new Uri(path, UriKind.Relative), form);

            Assert.True(saved.StatusCode == HttpStatusCode.Redirect, $"save of '{id}': {(int)saved.StatusCode}");
            Assert.StartsWith(path + "&", saved.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        var reviewed = (await _host.OpenStores().Reviews.GetAllReviewsAsync(CancellationToken.None)).Select(r => r.Review.OrderId).ToHashSet();
        Assert.Superset(OddIds.ToHashSet(), reviewed);
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var client = _host.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await ReviewTestHost.SignInAsync(client, "ana")).StatusCode);
        return client;
    }
}
