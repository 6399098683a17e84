using ImagingValue.Core.Alerts;
using ImagingValue.Core.Protocols;

namespace ImagingValue.Web;

/// <summary>How the CDS Hooks host runs (contracts §4, <c>imaging-value serve</c>).</summary>
public sealed class CdsServerOptions
{
    /// <summary>Where to listen, ';'-separated. <value>Default <c>http://127.0.0.1:5080</c>.</value></summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Accept unsigned calls; only allowed on loopback addresses. <value>Default false.</value></summary>
    public bool Dev { get; init; }

    /// <summary>Also put the rating actions in <c>extension.systemActions</c> (CDS Hooks sandbox). <value>Default false.</value></summary>
    public bool CompatExtensionSystemActions { get; init; }

    /// <summary>The CDS clients whose JWTs are accepted (<c>--issuer ISS --jwks-file F</c>). <value>Default none: only <see cref="Dev"/> calls pass.</value></summary>
    public IReadOnlyList<TrustedIssuer> TrustedIssuers { get; init; } = [];

    /// <summary>The workspace folder (for messages); the stores below are opened on it by the caller.</summary>
    public string? Workspace { get; init; }

    /// <summary>Where rated orders and card outcomes go; null for a new in-memory log (nothing kept after stop).</summary>
    public IAlertLog? AlertLog { get; init; }

    /// <summary>Where the card finds this site's latest audit figures; null: cards cite no local evidence.</summary>
    public ILocalEvidenceSource? Evidence { get; init; }

    /// <summary>The largest request body accepted, in bytes. <value>Default 1 MiB (a real order-sign call is a few KB).</value></summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>The protocols served (built-in and site protocols); null for the built-in ones only.</summary>
    public IReadOnlyList<ProtocolRuntime>? Protocols { get; init; }

    /// <summary>The longest an evaluation may take before the service answers with no cards. <value>Default 2 s.</value></summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest a fetch of missing prefetch from the client's fhirServer may take; then no cards. <value>Default 1.5 s.</value></summary>
    public TimeSpan FhirFetchBudget { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>The HTTP handler for fhirServer calls; null for the default (tests pass a fake server).</summary>
    public HttpMessageHandler? FhirServerHandler { get; init; }

    /// <summary>The clock. <value>Default <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Makes card, suggestion and consult ids; null for <see cref="Guid.NewGuid"/>.</summary>
    public Func<Guid>? NewGuid { get; init; }
}
