namespace ImagingValue.Web;

/// <summary>
/// Decides whether a service or feedback call may proceed (contracts §4). In dev mode every call is accepted (the host
/// then binds loopback only). Otherwise a call needs a valid CDS Hooks JWT from a configured issuer; JWT validation is
/// not implemented yet, so outside dev mode every service and feedback call is refused with a bare 401 (fail closed).
/// </summary>
public sealed class CdsRequestAuthorizer(bool dev)
{
    /// <summary>Whether the call is authorized. Never logs or keeps the token.</summary>
    public bool IsAuthorized(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return dev;
    }
}
