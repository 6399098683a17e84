using ImagingValue.Web.Tests.Support;

namespace ImagingValue.Web.Tests.Security;

/// <summary>
/// Issue 14: cross-origin reads are for the CDS Hooks endpoints only (EHR and sandbox clients call from the browser);
/// sign-in, the review pages and the exports answer no other origin.
/// </summary>
public sealed class CrossOriginTests : IAsyncLifetime
{
    private const string Elsewhere = "https://elsewhere.example";
    private ReviewTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("signin")]
    [InlineData("export/reviews.csv")]
    [InlineData("export/screening.csv")]
    [InlineData("dashboard")]
    [InlineData("health")]
    public async Task Get_WorkspacePageFromAnotherOrigin_NoCorsHeader(string path)
    {
        using var client = _host.NewClient();
        await ReviewTestHost.SignInAsync(client, "root");

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Origin", Elsewhere);
        using var response = await client.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), path);
    }

    [Fact]
    public async Task Get_CdsDiscoveryFromAnotherOrigin_Allowed()
    {
        using var client = _host.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("cds-services", UriKind.Relative));
        request.Headers.Add("Origin", Elsewhere);

        using var response = await client.SendAsync(request);

        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }
}
