using ImagingValue.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ImagingValue.Cds.Tests.Support;

/// <summary>The whole host on a real loopback socket (Kestrel), for what the in-memory test server cannot show.</summary>
internal static class KestrelHost
{
    /// <summary>Starts <c>serve</c>'s host with <paramref name="settings"/> (bind to port 0 for a free port); its URL is in <c>Urls</c>.</summary>
    public static async Task<WebApplication> StartAsync(ServeSettings settings, ILoggerProvider? logs = null)
    {
        var app = ImagingValueHost.Build(settings, new FakeTimeProvider(CdsTestHost.Now), builder =>
        {
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
            }
        });
        await app.StartAsync();
        return app;
    }
}
