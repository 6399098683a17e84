namespace ImagingValue.Cds.Fhir;

/// <summary>
/// Which <c>fhirServer</c> URLs the service may fetch from, decided before any network call. A hook request names
/// its own server, so a hostile client could otherwise point the service (and the hook's bearer token) at any
/// address it can reach: outside <c>--dev</c> only https, and only a configured server or the issuer's own origin.
/// </summary>
public sealed class FhirServerPolicy
{
    private readonly bool _dev;
    private readonly IReadOnlyList<Uri> _allowed;

    /// <param name="dev">Development on loopback: any http(s) server, so the CDS Hooks sandbox and local fakes work.</param>
    /// <param name="allowed">The FHIR base URLs this service may call (<c>serve --fhir-server</c>).</param>
    public FhirServerPolicy(bool dev, IEnumerable<Uri> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        _dev = dev;
        _allowed = [.. allowed.Select(WithTrailingSlash)];
    }

    /// <summary>The server's base as an absolute URL when it may be fetched from; otherwise null and why.</summary>
    /// <param name="fhirServer">The hook request's <c>fhirServer</c>.</param>
    /// <param name="issuer">The verified JWT's <c>iss</c>; null for unsigned (<c>--dev</c>) calls.</param>
    public Uri? Allow(string fhirServer, string? issuer, out string? why)
    {
        ArgumentNullException.ThrowIfNull(fhirServer);
        why = null;
        if (!Uri.TryCreate(fhirServer, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(server.UserInfo) || !string.IsNullOrEmpty(server.Query) || !string.IsNullOrEmpty(server.Fragment))
        {
            why = "fhirServer is not a plain http(s) URL";
            return null;
        }

        var root = WithTrailingSlash(server);
        if (_dev)
        {
            return root;
        }

        if (root.Scheme != Uri.UriSchemeHttps)
        {
            why = "fhirServer is not https (the hook's token is never sent in clear)";
            return null;
        }

        var fromIssuer = issuer is not null && Uri.TryCreate(issuer, UriKind.Absolute, out var iss)
            && iss.Scheme == Uri.UriSchemeHttps && SameOrigin(iss, root);
        if (fromIssuer || _allowed.Any(a => a.IsBaseOf(root) && SameOrigin(a, root)))
        {
            return root;
        }

        why = "fhirServer is neither a configured FHIR server (--fhir-server) nor on the issuer's origin";
        return null;
    }

    /// <summary>Scheme, host and port equal: where a redirect or a paging link may lead.</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
