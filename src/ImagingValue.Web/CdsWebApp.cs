using ImagingValue.Cds.Fhir;
using ImagingValue.Cds.Services;
using ImagingValue.Core.Alerts;
using ImagingValue.Protocols;
using ImagingValue.Web.Endpoints;
using Prometheus;
using ImagingValue.Web.Review;

namespace ImagingValue.Web;

/// <summary>Builds the CDS Hooks host: discovery, the order hooks and feedback, with CORS for browser clients.</summary>
public static class CdsWebApp
{
    /// <summary>The CORS policy every CDS endpoint uses (the sandbox preflights each call without a token).</summary>
    public const string CorsPolicy = "cds-hooks";

    /// <summary>Builds (does not start) the app. <paramref name="configure"/> may adjust the builder, e.g. a test server.</summary>
    /// <exception cref="ArgumentException"><see cref="CdsServerOptions.Dev"/> with a non-loopback URL.</exception>
    public static WebApplication Build(CdsServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Dev)
        {
            foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.IsLoopback || uri.Host == "localhost"))
                {
                    throw new ArgumentException($"--dev accepts unsigned requests and binds to loopback only: '{url}' is not a loopback URL", nameof(options));
                }
            }
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(CdsWebApp).Assembly.GetName().Name });
        builder.WebHost.UseUrls(options.Urls);

        // ASP.NET Core logs five Information lines per request (hosting, routing, result); the service writes its own
        // audit line per call. At thousands of calls a second the framework lines cost more CPU than evaluating some
        // orders, and the console logger blocks once its queue is full (benchmarks/README.md, CDS load).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Time);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Services.AddSingleton(options.AlertLog ?? new InMemoryAlertLog());
        builder.Services.AddSingleton(new LocalEvidenceCache(options.Evidence, options.Time));
        builder.Services.AddSingleton<AlertRecorder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AlertRecorder>());
        var protocols = options.Protocols ?? ProtocolLoader.LoadBuiltIn();
        var catalog = new CdsServiceCatalog(
            protocols,
            options.Time,
            new CdsServiceOptions(options.CompatExtensionSystemActions),
            options.NewGuid);
        catalog.WarmUp();
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(new FhirConditionFetcher(options.FhirServerHandler is { } handler ? new HttpClient(handler) : new HttpClient()));
        builder.Services.AddSingleton(new CdsRequestAuthorizer(options.Dev, options.TrustedIssuers, options.Time));
        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .AllowAnyOrigin()
            .WithMethods("GET", "POST", "OPTIONS")
            .WithHeaders("Authorization", "Content-Type")));
        builder.Services.AddHealthChecks();
        builder.AddReviewWorkspace(options.Workspace, options.Time, protocols);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseRouting();
        app.UseCors(CorsPolicy);
        // Request count and latency per route pattern (never the path itself, which can hold ids), Prometheus format.
        app.UseHttpMetrics();
        app.MapReviewWorkspace();
        app.MapCdsHooksEndpoints();
        app.MapHealthChecks("/health");
        app.MapMetrics("/metrics");
        return app;
    }
}
