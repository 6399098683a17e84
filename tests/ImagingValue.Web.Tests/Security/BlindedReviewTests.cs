using System.Net;
using ImagingValue.Web.Tests.Support;

namespace ImagingValue.Web.Tests.Security;

/// <summary>A first review with a major finding awaits a second reader, who must not read it anywhere: not on the exam page, not in its audit trail, not in the reviews export.</summary>
public sealed class BlindedReviewTests : IAsyncLifetime
{
    private const string FirstNotes = "first-reader-notes-7f3a";

    private ReviewTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("ben")]
    [InlineData("vi")]
    [InlineData("cy")]
    public async Task AwaitingSecondReview_OthersCannotReadTheFirstReviewAnywhere(string other)
    {
        using (var ana = _host.NewClient())
        {
            await ReviewTestHost.SignInAsync(ana, "ana");
            var form = new Dictionary<string, string>
            {
                ["Major"] = "true", ["Management"] = "minor", ["Notes"] = FirstNotes, ["Revision"] = "0", ["ExamToken"] = "0",
                ["__RequestVerificationToken"] = await ReviewTestHost.TokenAsync(ana, "exams/E1"),
            };
            using var content = new FormUrlEncodedContent(form);
            using var saved = await ana.PostAsync(new Uri("exams/E1", UriKind.Relative), content);
            Assert.True(saved.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, saved.StatusCode.ToString());
            Assert.Contains(FirstNotes, await ana.GetStringAsync(new Uri("exams/E1", UriKind.Relative)), StringComparison.Ordinal);
        }

        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, other);
        var exam = await client.GetStringAsync(new Uri("exams/E1", UriKind.Relative));
        var trail = await client.GetStringAsync(new Uri("exams/E1/audit", UriKind.Relative));
        var export = await client.GetStringAsync(new Uri("export/reviews.csv", UriKind.Relative));

        Assert.DoesNotContain(FirstNotes, exam, StringComparison.Ordinal);
        Assert.DoesNotContain(FirstNotes, trail, StringComparison.Ordinal);
        Assert.DoesNotContain("yes", trail, StringComparison.Ordinal);
        Assert.DoesNotContain(FirstNotes, export, StringComparison.Ordinal);
        Assert.DoesNotContain("E1,ana", export, StringComparison.Ordinal);
    }
}
