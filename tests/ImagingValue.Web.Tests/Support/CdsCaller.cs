using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ImagingValue.Web.Cds;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImagingValue.Web.Tests.Support;

/// <summary>
/// An EHR calling the CDS service of a running host: ES384 tokens from its own key (a JWKS file the host trusts),
/// issued now and for the public URL both instances share, and order-select calls for a sacrum MRI with vague back
/// pain, which the sacrum protocol answers with a warning card.
/// </summary>
public sealed class CdsCaller : IDisposable
{
    public const string Issuer = "https://ehr.example.org";

    /// <summary>The URL the EHR calls (<c>--public-url</c>); each instance listens elsewhere.</summary>
    public static readonly Uri PublicUrl = new("https://cds.example.org");

    public const string Service = "/cds-services/sacrum-mri-lbp-select";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private readonly string _jwks = Path.Combine(Path.GetTempPath(), $"iv-web-jwks-{Guid.NewGuid():N}.json");

    public CdsCaller()
    {
        var point = _key.ExportParameters(false);
        var jwks = new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "EC", ["crv"] = "P-384", ["kid"] = "ec-1", ["use"] = "sig", ["alg"] = "ES384",
                ["x"] = Base64UrlEncoder.Encode(point.Q.X!), ["y"] = Base64UrlEncoder.Encode(point.Q.Y!),
            }),
        };
        File.WriteAllText(_jwks, jwks.ToJsonString());
    }

    /// <summary>The CDS settings of an instance that trusts this caller, behind <see cref="PublicUrl"/>.</summary>
    public CdsSettings Settings(TimeSpan? deadline = null) => new()
    {
        TrustedIssuers = [TrustedIssuer.FromJwksFile(Issuer, _jwks)],
        PublicUrl = PublicUrl,
        Deadline = deadline ?? TimeSpan.FromSeconds(2),
    };

    /// <summary>
    /// One order-select call for <paramref name="patientId"/>'s draft sacrum MRI, with a fresh token (none when
    /// <paramref name="signed"/> is false, as a sandbox calls a <c>--dev</c> instance).
    /// </summary>
    public async Task<(int Status, string Body)> SelectAsync(Uri host, string patientId, bool signed = true)
    {
        using var client = new HttpClient { BaseAddress = host };
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(Service.TrimStart('/'), UriKind.Relative))
        {
            Content = new StringContent(Request(patientId), Encoding.UTF8, "application/json"),
        };
        if (signed)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        }

        using var response = await client.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private string Token()
    {
        // The host validates with the system clock (ReviewTestHost), so the token is issued on it.
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = PublicUrl.AbsoluteUri.TrimEnd('/') + Service,
            IssuedAt = now,
            Expires = now.AddMinutes(5),
            Subject = new ClaimsIdentity([new Claim("jti", Guid.NewGuid().ToString())]),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_key) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha384),
        });
    }

    private static string Request(string patientId) => """
        {"hook":"order-select","hookInstance":"HOOK","context":{"userId":"Practitioner/dr-1","patientId":"PATIENT","selections":["ServiceRequest/sr-1"],
         "draftOrders":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"ServiceRequest","id":"sr-1","status":"draft","intent":"order",
          "subject":{"reference":"Patient/PATIENT"},"requester":{"reference":"Practitioner/dr-1","display":"Dr. Nobody"},
          "code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"72195"}],"text":"MRI SACRUM WO CONTRAST"},
          "reasonCode":[{"text":"chronic tailbone pain, no trauma"}]}}]}},
         "prefetch":{"patient":{"resourceType":"Patient","id":"PATIENT","gender":"female","birthDate":"1970-01-01"},"conditions":{"resourceType":"Bundle","type":"searchset"}}}
        """.Replace("HOOK", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("PATIENT", patientId, StringComparison.Ordinal);

    public void Dispose()
    {
        _key.Dispose();
        File.Delete(_jwks);
    }
}
