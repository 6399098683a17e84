using System.CommandLine;
using System.Text.RegularExpressions;
using ImagingValue.Protocols;
using ImagingValue.Web;
using ImagingValue.Web.Cds;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;

namespace ImagingValue.Cli.Commands;

/// <summary>serve: the CDS Hooks service (contracts section 4) with the built-in protocols and any site protocols given.</summary>
internal static class ServeCommand
{
    public static Command Serve(TimeProvider time)
    {
        var workspace = new Option<string?>("--workspace") { Description = "The workspace: alerts and card outcomes are stored there, and cards cite its latest audit" };
        var urls = new Option<string>("--urls") { Description = "Where to listen, ';'-separated", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var dev = new Option<bool>("--dev") { Description = "Accept unsigned requests; loopback addresses only" };
        var compat = new Option<bool>("--compat-extension-system-actions") { Description = "Also put ratings in extension.systemActions (Argonaut PAMA; the CDS Hooks sandbox reads only these)" };
        var issuers = new Option<string[]>("--issuer") { Description = "A trusted CDS client's JWT issuer (repeatable; pairs with --jwks-file in order)" };
        var jwksFiles = new Option<string[]>("--jwks-file") { Description = "That issuer's JSON Web Key Set file (repeatable)" };
        var fhirServers = new Option<string[]>("--fhir-server") { Description = "A FHIR base URL (https) the service may fetch missing conditions from, when a hook names it as fhirServer (repeatable; a server on the JWT issuer's origin is allowed too)" };
        var protocols = new Option<string[]>("--protocol") { Description = "A site protocol YAML file to serve beside the built-in ones (repeatable)" };
        var deadline = new Option<int>("--deadline-ms")
        {
            Description = "How long one CDS call may take in all (fetching missing prefetch, reading the local evidence, evaluating) before it answers with no cards",
            DefaultValueFactory = _ => (int)new CdsSettings().Deadline.TotalMilliseconds,
        };
        var publicUrl = new Option<string?>("--public-url") { Description = "The URL the EHR calls when a reverse proxy or load balancer is in front (tokens' aud is checked against it plus /cds-services/<id>)" };
        var maxRequest = new Option<long>("--max-request-bytes") { Description = "The largest request body accepted", DefaultValueFactory = _ => new CdsSettings().MaxRequestBodyBytes };
        var maxResponse = new Option<long>("--max-response-bytes") { Description = "The largest service answer sent (a larger one is replaced by no cards)", DefaultValueFactory = _ => new CdsSettings().MaxResponseBytes };
        var certificate = new Option<string?>("--https-certificate") { Description = "PKCS#12 (.pfx) certificate and key for the https:// addresses of --urls (its password from Serve__HttpsCertificatePassword)" };
        var certificatePassword = new Option<string?>("--https-certificate-password") { Description = "The certificate's password (prefer the environment variable: a command line is visible to every user)" };
        var config = ServiceConfiguration.ConfigOption();
        var logFormat = ServiceConfiguration.LogFormatOption();
        var keyCertificate = new Option<string?>("--key-certificate") { Description = "A PKCS#12 file whose certificate encrypts the sign-in keys at rest (its password from Serve__KeyCertificatePassword)" };
        var keyCertificatePassword = new Option<string?>("--key-certificate-password") { Description = "The key certificate's password (prefer the environment variable: a command line is visible to every user)" };
        var command = new Command("serve", "Serve the CDS Hooks service: order-select and order-sign alerts with the audit's own screening")
        {
            workspace, urls, dev, compat, issuers, jwksFiles, fhirServers, protocols, deadline, publicUrl, maxRequest, maxResponse, certificate, certificatePassword, config, logFormat,
        };
        command.Options.Add(keyCertificate);
        command.Options.Add(keyCertificatePassword);
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Every value below: the command line, else the environment (Serve__Key), else the settings file (Serve:Key).
            var configured = ServiceConfiguration.Load(parse, "Serve", config);
            var folder = configured.Get(workspace, "Workspace");
            if (folder is not null && !Directory.Exists(folder))
            {
                Console.Error.WriteLine($"imaging-value: --workspace {folder}: no such folder");
                return ExitCodes.Failed;
            }

            var issuerNames = parse.GetValue(issuers) ?? [];
            var keyFiles = parse.GetValue(jwksFiles) ?? [];
            if (issuerNames.Length != keyFiles.Length)
            {
                Console.Error.WriteLine("imaging-value: give one --jwks-file per --issuer");
                return ExitCodes.Usage;
            }

            if (!configured.OnCommandLine(issuers) && configured.GetObjects("Issuers", "Issuer", "JwksFile") is { Count: > 0 } configuredIssuers)
            {
                issuerNames = [.. configuredIssuers.Select(i => i[0])];
                keyFiles = [.. configuredIssuers.Select(i => i[1])];
            }

            var served = ProtocolLoader.LoadBuiltIn().ToList();
            foreach (var file in configured.Get(protocols, "Protocols") ?? [])
            {
                var site = ProtocolLoader.Load(file);
                if (served.Any(p => p.Protocol.Id == site.Protocol.Id))
                {
                    Console.Error.WriteLine($"imaging-value: --protocol {file}: a protocol with id '{site.Protocol.Id}' is already served; give the site protocol an id of its own");
                    return ExitCodes.Usage;
                }

                served.Add(site);
            }

            Uri? publicUri = null;
            if (configured.Get(publicUrl, "PublicUrl") is { } publicText && !Uri.TryCreate(publicText, UriKind.Absolute, out publicUri))
            {
                Console.Error.WriteLine($"imaging-value: --public-url '{publicText}' is not an absolute http or https URL");
                return ExitCodes.Usage;
            }

            var trusted = issuerNames.Zip(keyFiles, TrustedIssuer.FromJwksFile).ToList();
            var settings = new ServeSettings
            {
                Urls = configured.Get(urls, "Urls")!,
                Workspace = folder,
                ConfigurationFile = configured.File,
                LogFormat = configured.JsonLogs(logFormat) ? LogFormat.Json : LogFormat.Text,
                HttpsCertificate = configured.Get(certificate, "HttpsCertificate"),
                HttpsCertificatePassword = configured.Get(certificatePassword, "HttpsCertificatePassword"),
                KeyCertificate = configured.Get(keyCertificate, "KeyCertificate"),
                // IV_KEY_CERTIFICATE_PASSWORD came first and stays read, below every settings source.
                KeyCertificatePassword = configured.Get(keyCertificatePassword, "KeyCertificatePassword") ?? Environment.GetEnvironmentVariable("IV_KEY_CERTIFICATE_PASSWORD"),
                Cds = new CdsSettings
                {
                    Dev = configured.Get(dev, "Dev"),
                    CompatExtensionSystemActions = configured.Get(compat, "CompatExtensionSystemActions"),
                    TrustedIssuers = trusted,
                    FhirServers = configured.Get(fhirServers, "FhirServers") ?? [],
                    Deadline = TimeSpan.FromMilliseconds(configured.Get(deadline, "DeadlineMs")),
                    PublicUrl = publicUri,
                    MaxRequestBodyBytes = configured.Get(maxRequest, "MaxRequestBytes"),
                    MaxResponseBytes = configured.Get(maxResponse, "MaxResponseBytes"),
                },
            };
            if (settings.Validate() is { Count: > 0 } problems)
            {
                foreach (var problem in problems)
                {
                    Console.Error.WriteLine($"imaging-value: {problem}");
                }

                return ExitCodes.Usage;
            }

            // A folder without a workspace fails here with one readable line (Program); so does a certificate that
            // cannot be read (the settings' own problem, named).
            WebApplication app;
            try
            {
                app = ImagingValueHost.Build(settings, time, protocols: served);
            }
            catch (ArgumentException ex) when (ex.ParamName == "settings")
            {
                Console.Error.WriteLine($"imaging-value: {ex.Message.Replace(" (Parameter 'settings')", "", StringComparison.Ordinal)}");
                return ExitCodes.Usage;
            }

            if (!settings.Cds.Dev && trusted.Count == 0)
            {
                Console.Error.WriteLine("imaging-value: no trusted JWT issuer (--issuer ISS --jwks-file F): service and feedback calls get 401 (use --dev on loopback for unsigned testing)");
            }

            await using (app)
            {
                try
                {
                    await app.StartAsync(cancellationToken);
                }
                catch (IOException ex) when (ex.InnerException is AddressInUseException)
                {
                    // Another program (often a serve left running) holds the port: say which and what to do, no stack trace.
                    Console.Error.WriteLine($"imaging-value: serve: cannot listen on {BoundAddress(ex.Message) ?? settings.Urls}: the port is in use by another program; stop it, or choose another port with --urls");
                    return ExitCodes.Failed;
                }

                await app.WaitForShutdownAsync(cancellationToken);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The address in Kestrel's "Failed to bind to address http://127.0.0.1:5080: address already in use."</summary>
    private static string? BoundAddress(string message) =>
        Regex.Match(message, @"address (\S+): address already in use", RegexOptions.IgnoreCase) is { Success: true } match ? match.Groups[1].Value : null;
}
