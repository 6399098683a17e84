using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImagingValue.Core.Protocols;
using ImagingValue.Protocols;
using ImagingValue.Web.Cds;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Prometheus;

namespace ImagingValue.Web;

/// <summary>
/// The serve host: the CDS Hooks service, and with a workspace its stores and the review workspace; health and metrics.
/// </summary>
public static partial class ImagingValueHost
{
    /// <summary>
    /// Builds (does not start) the host. <paramref name="configure"/> runs after every registration and may adjust
    /// the builder, e.g. a test server or fakes for the registered services (alert log, local evidence, the fhirServer
    /// HTTP handler, the card id generator <c>Func&lt;Guid&gt;</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The settings are not valid; the message has one line per problem.</exception>
    /// <exception cref="ImagingValue.Storage.Sqlite.WorkspaceNotFoundException">No workspace in <see cref="ServeSettings.Workspace"/>.</exception>
    /// <param name="protocols">The protocols served, built-in and site ones; null for the built-in ones only.</param>
    public static WebApplication Build(ServeSettings settings, TimeProvider time, Action<WebApplicationBuilder>? configure = null, IReadOnlyList<ProtocolRuntime>? protocols = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        if (settings.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(settings));
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(ImagingValueHost).Assembly.GetName().Name });
        if (settings.ConfigurationFile is { } file)
        {
            UseConfigurationFile(builder.Configuration, file);
        }

        if (settings.LogFormat == LogFormat.Json)
        {
            // One object per line: a log collector reads each line alone. Values are the same as in the text lines
            // (LogValue's cleaned text), so no patient text reaches either.
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(json =>
            {
                json.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        if (settings.HttpsCertificate is not null)
        {
            // Loaded now, so a wrong password or a file that is no PKCS#12 fails at start, not at the first TLS handshake.
            var certificate = LoadPkcs12(settings, "--https-certificate", settings.HttpsCertificate, settings.HttpsCertificatePassword);
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        }

        // ASP.NET Core logs five Information lines per request (hosting, routing, result); the service writes its own
        // audit line per call. At thousands of calls a second the framework lines cost more CPU than evaluating some
        // orders, and the console logger blocks once its queue is full (benchmarks/README.md, CDS load).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // The generic host logs a failed start (a busy port) as an error with the whole stack trace, before the caller
        // can say it in one line; the caller reports the exception. A background service that fails still logs (Critical).
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(new ServedProtocols(protocols ?? ProtocolLoader.LoadBuiltIn()));
        var workspace = settings.Workspace is { } folder ? WorkspaceStores.Open(folder, time) : null;
        if (workspace is not null)
        {
            builder.Services.AddWorkspaceStores(workspace);
        }

        builder.Services.AddCdsHooks(settings.Cds);
        if (workspace is not null)
        {
            builder.Services.AddReviewWorkspace(workspace, settings.KeyCertificate is { } keyCertificate ? LoadPkcs12(settings, "--key-certificate", keyCertificate, settings.KeyCertificatePassword) : null);
        }

        builder.Services.AddHealthChecks().AddCheck<WorkspaceHealthCheck>(WorkspaceHealthCheck.Name, tags: [WorkspaceHealthCheck.ReadyTag]);
        configure?.Invoke(builder);
        // --urls is where the service listens. Set last, so it wins over every configuration source ("urls" in
        // appsettings.json, ASPNETCORE_URLS); under --dev also over endpoints in configuration (Kestrel:Endpoints),
        // which Kestrel would otherwise bind instead and so open a non-loopback address --dev promises never to.
        builder.WebHost.UseUrls(settings.Urls);
        if (settings.Cds.Dev)
        {
            builder.WebHost.PreferHostingUrls(true);
        }


        var app = builder.Build();
        if (settings.Cds.PublicUrl is not null)
        {
            // Behind the proxy that --public-url implies, the request's scheme is the proxy's (http on loopback): take
            // X-Forwarded-Proto/For from a proxy on this machine only (the default known proxies), so the review's
            // sign-in cookie is marked Secure when the EHR or reviewer called https. A proxy elsewhere: docs/deployment.md.
            app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto });
        }

        if (workspace is not null)
        {
            // Outermost but the proxy headers: a page, a sign-in check or a CSV export that finds the database away
            // answers 503 with a short page (WorkspaceOutage), never the exception.
            app.UseWorkspaceOutagePage();
        }

        app.UseRouting();
        // CDS first: its CORS middleware answers the sandbox's preflights before metrics and the review's sign-in.
        app.MapCdsHooks();
        // Request count and latency per route pattern (never the path itself, which can hold ids), Prometheus format.
        app.UseHttpMetrics();
        app.MapReviewWorkspace();
        app.MapHealthChecks("/health");
        // Live: the process answers (a supervisor restarts it when not). Ready: it can reach its workspace's database
        // (a load balancer sends it no calls when not). Neither body names the database or holds patient data.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WorkspaceHealthCheck.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(WorkspaceHealthCheck.ReadyTag), ResponseWriter = WorkspaceHealthCheck.WriteAsync });
        app.MapMetrics("/metrics");
        if (workspace is not null && settings.KeyCertificate is null)
        {
            LogKeysNotEncrypted(app.Logger, workspace.Workspace is ImagingValue.Core.Storage.IKeyXmlStore ? "in the workspace's database" : "in the workspace folder's keys/");
        }

        return app;
    }

    /// <summary>
    /// Makes <paramref name="file"/> the one JSON settings file, in the place of <c>appsettings*.json</c>: below the
    /// environment variables, as those files are.
    /// </summary>
    private static void UseConfigurationFile(ConfigurationManager configuration, string file)
    {
        var sources = configuration.Sources;
        var at = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource);
        foreach (var json in sources.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationSource>().ToList())
        {
            sources.Remove(json);
        }

        var path = Path.GetFullPath(file);
        var source = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = path, Optional = false, ReloadOnChange = false };
        source.ResolveFileProvider();
        sources.Insert(at < 0 ? 0 : at, source);
    }

    /// <summary>
    /// A PKCS#12 file with its private key, for the option named <paramref name="option"/> (<c>--https-certificate</c>,
    /// <c>--key-certificate</c>): the certificate is no use without its key (TLS cannot be served, keys encrypted
    /// with it could never be read back).
    /// </summary>
    /// <exception cref="ArgumentException">The file cannot be read as PKCS#12 with the password given, or holds no private key.</exception>
    /// <remarks>A problem of <paramref name="settings"/> (the exception's parameter name): serve prints it as one line.</remarks>
    private static X509Certificate2 LoadPkcs12(ServeSettings settings, string option, string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{option} {path}: cannot read it as PKCS#12 with the password given ({ex.Message})", nameof(settings), ex);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException($"{option} {path}: the certificate has no private key", nameof(settings));
        }

        return certificate;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "The sign-in and antiforgery keys are stored {Where} without encryption at rest: give --key-certificate to encrypt them")]
    private static partial void LogKeysNotEncrypted(ILogger logger, ImagingValue.Core.Text.LogValue where);
}
