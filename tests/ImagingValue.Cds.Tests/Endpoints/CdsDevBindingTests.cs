using System.Net;
using ImagingValue.Cds.Tests.Support;
using ImagingValue.Web;
using ImagingValue.Web.Cds;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>
/// Under <c>--dev</c> (unsigned requests accepted) the service listens on loopback only: configuration that names
/// other addresses ("urls", Kestrel endpoints, as appsettings.json or ASPNETCORE_ variables would) cannot override
/// <c>--urls</c>. Over real sockets: the in-memory test server binds nothing.
/// </summary>
public sealed class CdsDevBindingTests
{
    [Fact]
    public async Task Dev_ConfigurationNamesAnyAddress_OnlyTheLoopbackUrlsAreBound()
    {
        var settings = new ServeSettings { Urls = "http://127.0.0.1:0", Cds = new CdsSettings { Dev = true } };
        await using var app = ImagingValueHost.Build(settings, new FakeTimeProvider(CdsTestHost.Now), builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["urls"] = "http://0.0.0.0:0",
                ["Kestrel:Endpoints:Open:Url"] = "http://0.0.0.0:0",
                ["Kestrel:Endpoints:Any:Url"] = "http://*:0",
            }));

        await app.StartAsync();

        Assert.NotEmpty(app.Urls);
        Assert.All(app.Urls, url => Assert.True(IPAddress.IsLoopback(IPAddress.Parse(new Uri(url).Host)), url));
        await app.StopAsync();
    }
}
