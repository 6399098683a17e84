using ImagingValue.Cds.Tests.Support;
using ImagingValue.Web.Cds;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace ImagingValue.Cds.Tests.Endpoints;

public sealed class CdsRequestAuthorizerTests : IDisposable
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private readonly TestIssuer _issuer = new();

    // acceptance-checklist.md item 11: the replay cache keeps a jti only while its token could still be valid, so it stays bounded.
    [Fact]
    public async Task IsAuthorized_TokensExpire_TheirJtisAreForgotten()
    {
        var time = new FakeTimeProvider(CdsTestHost.Now);
        var authorizer = new CdsRequestAuthorizer(dev: false, [_issuer.Trusted()], time);
        for (var i = 0; i < 50; i++)
        {
            Assert.True(await authorizer.IsAuthorizedAsync(Call(_issuer.Es384("http://localhost" + Select))));
        }

        var remembered = authorizer.RememberedJtiCount;
        time.Advance(TimeSpan.FromMinutes(6));
        var later = _issuer.Es384("http://localhost" + Select, age: TimeSpan.FromMinutes(-6));
        var accepted = await authorizer.IsAuthorizedAsync(Call(later));

        Assert.Equal(50, remembered);
        Assert.True(accepted);
        Assert.Equal(1, authorizer.RememberedJtiCount);
        Assert.False(await authorizer.IsAuthorizedAsync(Call(later)));
    }

    // contracts §8: behind a proxy the EHR calls the public URL; the process sees its own (internal) URL.
    [Fact]
    public async Task IsAuthorized_PublicUrlSet_AudMustBeThePublicEndpoint()
    {
        var authorizer = new CdsRequestAuthorizer(dev: false, [_issuer.Trusted()], new FakeTimeProvider(CdsTestHost.Now), new Uri("https://cds.example.org/imaging/"));

        var publicAud = await authorizer.IsAuthorizedAsync(Call(_issuer.Es384("https://cds.example.org/imaging" + Select)));
        var internalAud = await authorizer.IsAuthorizedAsync(Call(_issuer.Es384("http://localhost" + Select)));

        Assert.True(publicAud);
        Assert.False(internalAud);
    }

    [Fact]
    public async Task IsAuthorized_NoPublicUrl_AudIsTheRequestsOwnUrl()
    {
        var authorizer = new CdsRequestAuthorizer(dev: false, [_issuer.Trusted()], new FakeTimeProvider(CdsTestHost.Now));

        var internalAud = await authorizer.IsAuthorizedAsync(Call(_issuer.Es384("http://localhost" + Select)));
        var publicAud = await authorizer.IsAuthorizedAsync(Call(_issuer.Es384("https://cds.example.org/imaging" + Select)));

        Assert.True(internalAud);
        Assert.False(publicAud);
    }

    [Theory]
    [InlineData("ftp://cds.example.org/", "not an absolute http or https URL")]
    [InlineData("https://cds.example.org/?site=1", "query or fragment")]
    [InlineData("https://cds.example.org/#cds", "query or fragment")]
    [InlineData("https://user:secret@cds.example.org/", "user name or password")]
    public void Validate_BadPublicUrl_NamesTheOption(string url, string problem)
    {
        var settings = new ImagingValue.Web.ServeSettings { Cds = new CdsSettings { PublicUrl = new Uri(url) } };

        var problems = settings.Validate();

        var line = Assert.Single(problems);
        Assert.StartsWith("--public-url", line, StringComparison.Ordinal);
        Assert.Contains(problem, line, StringComparison.Ordinal);
    }

    public void Dispose() => _issuer.Dispose();

    private static HttpRequest Call(string token)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = Select;
        context.Request.Method = "POST";
        context.Request.Headers.Authorization = "Bearer " + token;
        return context.Request;
    }
}
