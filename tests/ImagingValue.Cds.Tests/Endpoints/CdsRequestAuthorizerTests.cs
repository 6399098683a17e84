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
