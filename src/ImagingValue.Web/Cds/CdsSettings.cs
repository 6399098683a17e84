using System.ComponentModel.DataAnnotations;

namespace ImagingValue.Web.Cds;

/// <summary>How the CDS Hooks service answers (contracts §4, <c>imaging-value serve</c>); plain values only.</summary>
public sealed class CdsSettings
{
    /// <summary>Accept unsigned calls (<c>--dev</c>); the host then binds loopback addresses only. <value>Default false.</value></summary>
    public bool Dev { get; init; }

    /// <summary>
    /// The URL the EHR calls when the service sits behind a reverse proxy or load balancer (<c>--public-url</c>, contracts §8):
    /// a token's <c>aud</c> must be this URL plus the endpoint's path (<c>/cds-services/&lt;id&gt;</c>), whatever
    /// scheme, host and port the request reached this process with. <value>Default none: <c>aud</c> is checked against
    /// the URL the request itself was made to.</value>
    /// </summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>Also put the rating actions in <c>extension.systemActions</c> (<c>--compat-extension-system-actions</c>, CDS Hooks sandbox). <value>Default false.</value></summary>
    public bool CompatExtensionSystemActions { get; init; }

    /// <summary>The CDS clients whose JWTs are accepted (<c>--issuer ISS --jwks-file F</c>). <value>Default none: only <see cref="Dev"/> calls pass.</value></summary>
    [Required]
    public IReadOnlyList<TrustedIssuer> TrustedIssuers { get; init; } = [];

    /// <summary>
    /// The FHIR servers whose base URLs a hook's <c>fhirServer</c> may name when prefetch is missing
    /// (<c>serve --fhir-server URL</c>, https). A server on the verified issuer's origin is allowed too; <see cref="Dev"/>
    /// allows any. <value>Default none.</value>
    /// </summary>
    [Required]
    public IReadOnlyList<string> FhirServers { get; init; } = [];

    /// <summary>
    /// The largest request body accepted, in bytes (Kestrel applies it to every request of the host).
    /// <value>Default 1 MiB (a real order-sign call is a few KB).</value>
    /// </summary>
    [Range(1024, 64L * 1024 * 1024, ErrorMessage = "must be between 1 KiB and 64 MiB")]
    [Display(Name = "--max-request-bytes")]
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// The largest answer a service call sends, in bytes. An answer is at most <c>OrderAppropriatenessService.MaxCards</c>
    /// cards plus one rating action per draft order (which echoes the order, so it grows with the request), so this is
    /// a backstop: an answer over it is not sent (<c>{"cards": []}</c>, nothing recorded, logged).
    /// <value>Default 4 MiB: four times the default request limit.</value>
    /// </summary>
    [Range(1024, 256L * 1024 * 1024, ErrorMessage = "must be between 1 KiB and 256 MiB")]
    [Display(Name = "--max-response-bytes")]
    public long MaxResponseBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// How long one service call may take in all: fetching missing prefetch from the client's <c>fhirServer</c>,
    /// reading the local evidence and evaluating. When it passes, the call answers <c>{"cards": []}</c>.
    /// <value>Default 2 s (<c>serve --deadline-ms</c>).</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "must be between 10 ms and 1 minute")]
    [Display(Name = "--deadline-ms")]
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(2);
}
