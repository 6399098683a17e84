using System.Collections.Concurrent;
using ImagingValue.Core.Alerts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImagingValue.Web.Cds;

/// <summary>
/// Decides whether a service or feedback call may proceed (contracts §4; CDS Hooks 2.0 security and
/// cds-hooks/docs best practices). In dev mode every call is accepted (the host then binds loopback only).
/// Otherwise the call needs <c>Authorization: Bearer &lt;JWT&gt;</c>: asymmetric algorithm only (ES/RS/PS), issuer
/// configured, a <c>kid</c> naming one of that issuer's keys and a signature by that key, <c>aud</c> the exact endpoint
/// URL (under <see cref="CdsSettings.PublicUrl"/> when set: the URL the EHR calls, not the one this process sees behind a proxy), <c>exp</c> not passed, <c>nbf</c> (when sent) reached, and a <c>jti</c> not seen before. With no issuer configured, every call is refused. Never logs or keeps the token.
/// </summary>
public sealed class CdsRequestAuthorizer
{
    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    /// <summary>Where an authorized call's JWT id is left in <see cref="HttpContext.Items"/>, for the alert log.</summary>
    public const string JtiItem = "cds-hooks.jti";

    /// <summary>The <c>HttpContext.Items</c> key of the verified token's issuer (a fhirServer on its origin may be fetched from).</summary>
    public const string IssuerItem = "cds-hooks.iss";

    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ForgetInterval = TimeSpan.FromSeconds(10);

    private readonly bool _dev;
    private readonly string? _publicBase;
    private readonly Dictionary<string, TrustedIssuer> _issuers;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seenJti = new(StringComparer.Ordinal);
    private readonly ITokenReplayStore? _replayStore;
    private long _nextForgetTicks;

    /// <param name="publicUrl">The URL the EHR calls (<c>--public-url</c>); null to check <c>aud</c> against the request's own URL.</param>
    /// <param name="replayStore">
    /// Where used jti are kept so that every instance on the workspace refuses a replay; null keeps them in this
    /// process (no workspace). When it fails, <see cref="IsAuthorizedAsync"/> throws: the call is not authorized.
    /// </param>
    public CdsRequestAuthorizer(bool dev, IEnumerable<TrustedIssuer> issuers, TimeProvider time, Uri? publicUrl = null, ITokenReplayStore? replayStore = null)
    {
        ArgumentNullException.ThrowIfNull(issuers);
        ArgumentNullException.ThrowIfNull(time);
        _dev = dev;
        _issuers = issuers.ToDictionary(i => i.Issuer, StringComparer.Ordinal);
        _time = time;
        // "https://cds.example.org/imaging/" and ".../imaging" name the same base: the endpoint path follows one '/'.
        _publicBase = publicUrl?.AbsoluteUri.TrimEnd('/');
        _replayStore = replayStore;
    }

    /// <summary>Whether the call is authorized.</summary>
    /// <param name="cancellationToken">
    /// Stops waiting for the replay store (the service call's deadline, so a database that does not answer cannot hold
    /// the clinician's order past it); none: the request's own abort.
    /// </param>
    public async Task<bool> IsAuthorizedAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_dev)
        {
            return true;
        }

        var header = request.Headers.Authorization.ToString();
        if (_issuers.Count == 0 || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = header["Bearer ".Length..].Trim();
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (!Algorithms.Contains(jwt.Alg, StringComparer.Ordinal) || !_issuers.TryGetValue(jwt.Issuer ?? string.Empty, out var issuer))
        {
            return false;
        }

        // The header's kid must name one of the issuer's keys: trying every key instead would accept a token whose
        // kid the issuer never published (CDS Hooks: kid selects the key from the issuer's JWK Set).
        var keys = issuer.Keys.Where(k => string.Equals(k.KeyId, jwt.Kid, StringComparison.Ordinal)).ToList();
        if (string.IsNullOrEmpty(jwt.Kid) || keys.Count == 0)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer,
            ValidAudience = EndpointUrl(request),
            IgnoreTrailingSlashWhenValidatingAudience = false,
            IssuerSigningKeys = keys,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            TryAllIssuerSigningKeys = false,
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } exp && now.UtcDateTime < exp.ToUniversalTime() + Skew
                && (notBefore is not { } nbf || nbf.ToUniversalTime() <= now.UtcDateTime + Skew),
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid || string.IsNullOrEmpty(jwt.Id))
        {
            return false;
        }

        // Replay: a jti is accepted once while its token could still be valid.
        var until = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) + Skew;
        if (_replayStore is not null)
        {
            var stop = cancellationToken.CanBeCanceled ? cancellationToken : request.HttpContext.RequestAborted;
            if (!await _replayStore.TryRecordTokenAsync(issuer.Issuer, jwt.Id, until, now, stop))
            {
                return false;
            }
        }
        else
        {
            Forget(now);
            if (!_seenJti.TryAdd($"{issuer.Issuer} {jwt.Id}", until))
            {
                return false;
            }
        }

        request.HttpContext.Items[JtiItem] = jwt.Id;
        request.HttpContext.Items[IssuerItem] = issuer.Issuer;
        return true;
    }

    /// <summary>
    /// The exact URL the client called, which the token's <c>aud</c> must be: the public URL and the endpoint's path when
    /// one is configured (behind a proxy the request's own scheme and host are the proxy's upstream, not what the EHR called).
    /// </summary>
    private string EndpointUrl(HttpRequest request) =>
        _publicBase is { } publicBase ? $"{publicBase}{request.Path}" : $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}";

    /// <summary>How many jti are remembered (tokens that could still be valid), to check the replay cache stays bounded.</summary>
    public int RememberedJtiCount => _seenJti.Count;

    /// <summary>
    /// Drops jti whose tokens have expired, at most once per <see cref="ForgetInterval"/>: each call scanning the whole
    /// cache would cost O(calls in the last 5 minutes) per call, about a million entries at a few thousand calls a second.
    /// </summary>
    private void Forget(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextForgetTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextForgetTicks, (now + ForgetInterval).UtcTicks, next) != next)
        {
            return;
        }

        foreach (var (jti, until) in _seenJti)
        {
            if (until < now)
            {
                _seenJti.TryRemove(jti, out _);
            }
        }
    }
}
