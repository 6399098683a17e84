using ImagingValue.Cds.Fhir;
using ImagingValue.Cds.Services;
using ImagingValue.Core.Alerts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImagingValue.Web.Cds;

/// <summary>
/// The CDS Hooks feature: discovery, the order hooks and feedback (<see cref="CdsHooksEndpoints"/>), with CORS for
/// browser clients, the alert recorder, the local-evidence cache and the fhirServer client.
/// </summary>
public static class CdsHooks
{
    /// <summary>The CORS policy every CDS endpoint uses (the sandbox preflights each call without a token).</summary>
    public const string CorsPolicy = "cds-hooks";

    /// <summary>
    /// Registers the service for the registered <see cref="ServedProtocols"/>. Uses the registered <see cref="TimeProvider"/>, and when registered an
    /// <see cref="IAlertLog"/> (else an in-memory one), an <see cref="ITokenReplayStore"/> (else used tokens are kept in memory), an <see cref="ILocalEvidenceSource"/> (else cards cite no local
    /// evidence) and a <c>Func&lt;Guid&gt;</c> for card, suggestion and consult ids (else <see cref="Guid.NewGuid"/>).
    /// </summary>
    public static IServiceCollection AddCdsHooks(this IServiceCollection services, CdsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes);
        services.TryAddSingleton<IAlertLog, InMemoryAlertLog>();
        services.AddSingleton(sp => new LocalEvidenceCache(sp.GetService<ILocalEvidenceSource>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AlertRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertRecorder>());
        services.AddSingleton(sp =>
        {
            var catalog = new CdsServiceCatalog(
                sp.GetRequiredService<ServedProtocols>().All,
                sp.GetRequiredService<TimeProvider>(),
                new CdsServiceOptions(settings.CompatExtensionSystemActions),
                sp.GetService<Func<Guid>>());
            catalog.WarmUp();
            return catalog;
        });
        // The service logs each failed fetch itself; the client's own lines would repeat the URL (with the patient id).
        // No redirects: a redirect to another origin would carry the hook's token there, or bring its data back.
        services.AddSingleton(new FhirServerPolicy(settings.Dev, settings.FhirServers.Select(s => new Uri(s, UriKind.Absolute))));
        services.AddHttpClient<FhirConditionFetcher>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllLoggers();
        services.AddSingleton(sp => new CdsRequestAuthorizer(settings.Dev, settings.TrustedIssuers, sp.GetRequiredService<TimeProvider>(), settings.PublicUrl, sp.GetService<ITokenReplayStore>()));
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .AllowAnyOrigin()
            .WithMethods("GET", "POST", "OPTIONS")
            .WithHeaders("Authorization", "Content-Type")));
        return services;
    }

    /// <summary>Adds CORS and maps the endpoints; the protocols are loaded and warmed here, before the first call.</summary>
    public static WebApplication MapCdsHooks(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.Services.GetRequiredService<CdsServiceCatalog>();
        // Cross-origin for the CDS paths only; the review workspace, its exports and sign-in stay same-origin. By path,
        // not by endpoint: a preflight asks for POST on discovery too (acceptance item 12), which no endpoint matches.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/cds-services", StringComparison.Ordinal), cds => cds.UseCors(CorsPolicy));
        app.MapCdsHooksEndpoints();
        return app;
    }
}
