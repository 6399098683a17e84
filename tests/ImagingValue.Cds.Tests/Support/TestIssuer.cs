using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ImagingValue.Web.Cds;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImagingValue.Cds.Tests.Support;

/// <summary>A CDS client that signs its calls like the CDS Hooks sandbox (ES384) or an EHR (RS384), with a JWKS file.</summary>
internal sealed class TestIssuer : IDisposable
{
    public const string Iss = "https://ehr.example.org";

    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TestIssuer()
    {
        var ec = _ec.ExportParameters(false);
        var rsa = _rsa.ExportParameters(false);
        var jwks = new JsonObject
        {
            ["keys"] = new JsonArray(
                new JsonObject
                {
                    ["kty"] = "EC", ["crv"] = "P-384", ["kid"] = "ec-1", ["use"] = "sig", ["alg"] = "ES384",
                    ["x"] = Base64UrlEncoder.Encode(ec.Q.X!), ["y"] = Base64UrlEncoder.Encode(ec.Q.Y!),
                },
                new JsonObject
                {
                    ["kty"] = "RSA", ["kid"] = "rsa-1", ["use"] = "sig", ["alg"] = "RS384",
                    ["n"] = Base64UrlEncoder.Encode(rsa.Modulus!), ["e"] = Base64UrlEncoder.Encode(rsa.Exponent!),
                }),
        };
        JwksPath = Path.Combine(Path.GetTempPath(), $"cds-jwks-{Guid.NewGuid():N}.json");
        File.WriteAllText(JwksPath, jwks.ToJsonString());
    }

    public string JwksPath { get; }

    public TrustedIssuer Trusted() => TrustedIssuer.FromJwksFile(Iss, JwksPath);

    /// <summary>
    /// A token for <paramref name="audience"/> issued at <see cref="CdsTestHost.Now"/>, valid 5 minutes unless told.
    /// <paramref name="notBefore"/> sets <c>nbf</c> relative to now; <paramref name="kid"/> overrides the header's key id.
    /// </summary>
    public string Es384(string audience, string? jti = null, TimeSpan? age = null, string issuer = Iss, TimeSpan? notBefore = null, string kid = "ec-1") =>
        Create(new SigningCredentials(new ECDsaSecurityKey(_ec) { KeyId = kid }, SecurityAlgorithms.EcdsaSha384), audience, jti, age, issuer, notBefore: notBefore);

    /// <summary>An ES384 token signed by a key that is not in the JWKS, under the JWKS's own key id.</summary>
    public static string Es384WithForeignKey(string audience)
    {
        using var foreign = new TestIssuer();
        return foreign.Es384(audience);
    }

    /// <summary>
    /// <paramref name="token"/> with one byte changed: in the payload (the <c>jti</c>'s first character) or in the
    /// signature (a bit flipped mid-way), re-encoded so the token still parses.
    /// </summary>
    public static string Tamper(string token, bool payload)
    {
        var parts = token.Split('.');
        if (payload)
        {
            var json = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
            var jti = json["jti"]!.GetValue<string>();
            json["jti"] = (jti[0] == 'x' ? 'y' : 'x') + jti[1..];
            parts[1] = Base64UrlEncoder.Encode(json.ToJsonString());
        }
        else
        {
            var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
            signature[signature.Length / 2] ^= 0x01;
            parts[2] = Base64UrlEncoder.Encode(signature);
        }

        return string.Join('.', parts);
    }

    /// <summary>An RS384 token with nbf and sub, as Epic sends.</summary>
    public string Rs384(string audience) =>
        Create(new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha384), audience, null, null, Iss, withSubject: true);

    /// <summary>An HMAC token: forbidden by CDS Hooks whatever its key.</summary>
    public string Hs256(string audience) =>
        Create(new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(new string('k', 64))), SecurityAlgorithms.HmacSha256), audience, null, null, Iss);

    /// <summary>An unsigned token (alg none).</summary>
    public static string Unsigned(string audience)
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var now = CdsTestHost.Now.ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode($$"""{"iss":"{{Iss}}","aud":"{{audience}}","iat":{{now}},"exp":{{now + 300}},"jti":"{{Guid.NewGuid()}}"}""");
        return $"{header}.{payload}.";
    }

    public void Dispose()
    {
        _ec.Dispose();
        _rsa.Dispose();
        File.Delete(JwksPath);
    }

    private string Create(SigningCredentials credentials, string audience, string? jti, TimeSpan? age, string issuer, bool withSubject = false, TimeSpan? notBefore = null)
    {
        var issuedAt = CdsTestHost.Now - (age ?? TimeSpan.Zero);
        var claims = new List<Claim> { new("jti", jti ?? Guid.NewGuid().ToString()) };
        if (withSubject)
        {
            claims.Add(new Claim("sub", "client-123"));
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt.UtcDateTime,
            Expires = (issuedAt + TimeSpan.FromMinutes(5)).UtcDateTime,
            NotBefore = notBefore is { } nbf ? (CdsTestHost.Now + nbf).UtcDateTime : withSubject ? issuedAt.UtcDateTime : null,
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = credentials,
        });
    }
}
