namespace ImagingValue.Core.Alerts;

/// <summary>
/// The JWT ids (<c>jti</c>) of CDS Hooks calls already accepted, kept where every instance of the service sees them
/// (the workspace), so a token replayed to another instance behind the same load balancer is refused too.
/// </summary>
public interface ITokenReplayStore
{
    /// <summary>
    /// Records that the token <paramref name="jti"/> of <paramref name="issuer"/>, valid until
    /// <paramref name="expiresAt"/>, was used; false when it was recorded before (a replay). Entries expired at
    /// <paramref name="now"/> are dropped now and then.
    /// </summary>
    Task<bool> TryRecordTokenAsync(string issuer, string jti, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken);
}
