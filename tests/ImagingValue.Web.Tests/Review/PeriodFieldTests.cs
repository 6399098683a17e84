using System.Net;
using ImagingValue.Web.Tests.Support;

namespace ImagingValue.Web.Tests.Review;

/// <summary>
/// The worklist, cohort and dashboard read their date fields as the CLI reads --period (CanonicalValues.ParseDay):
/// a date outside 1900-01-01..2099-12-31 is refused with the CLI's message, naming the field.
/// </summary>
public sealed class PeriodFieldTests : IAsyncLifetime
{
    private ReviewTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("?filter=all&from=1800-01-01&to=2015-12-31", "from: '1800-01-01' is outside 1900-01-01..2099-12-31; showing every exam.")]
    [InlineData("?filter=all&from=2015-01-01&to=9999-12-31", "to: '9999-12-31' is outside 1900-01-01..2099-12-31; showing every exam.")]
    [InlineData("cohort?from=0001-01-01", "from: '0001-01-01' is outside 1900-01-01..2099-12-31; showing every date.")]
    [InlineData("cohort?from=2015-13-01", "from: '2015-13-01' is not a date (yyyy-MM-dd); showing every date.")]
    [InlineData("dashboard?from=1800-01-01&to=2015-12-31", "from: '1800-01-01' is outside 1900-01-01..2099-12-31.")]
    [InlineData("dashboard?from=2015-01-01&to=9999-12-31", "to: '9999-12-31' is outside 1900-01-01..2099-12-31.")]
    public async Task Page_DateOutOfBounds_RefusedWithTheCliMessage(string path, string message)
    {
        var client = _host.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await ReviewTestHost.SignInAsync(client, "ana")).StatusCode);

        var html = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri(path, UriKind.Relative)));

        Assert.Contains($"role=\"alert\">{message}</p>", html, StringComparison.Ordinal);
    }
}
