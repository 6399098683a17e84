using Microsoft.IdentityModel.Tokens;

namespace ImagingValue.Web.Cds;

/// <summary>A CDS client (EHR) whose JWTs this service accepts, with its public keys (out of band, from a JWKS file).</summary>
public sealed record TrustedIssuer(string Issuer, IReadOnlyList<SecurityKey> Keys)
{
    /// <summary>Reads the issuer's JSON Web Key Set file.</summary>
    /// <exception cref="FormatException">The file is not a JWKS with signing keys.</exception>
    public static TrustedIssuer FromJwksFile(string issuer, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var keys = new JsonWebKeySet(File.ReadAllText(path)).GetSigningKeys();
            return keys.Count == 0
                ? throw new FormatException($"{path}: no signing keys in the JWKS")
                : new TrustedIssuer(issuer, [.. keys]);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"{path}: not a JSON Web Key Set ({ex.GetType().Name})", ex);
        }
    }
}
