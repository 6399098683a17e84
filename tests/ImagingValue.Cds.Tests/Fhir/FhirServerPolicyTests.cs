using ImagingValue.Cds.Fhir;

namespace ImagingValue.Cds.Tests.Fhir;

/// <summary>Issue 14: the hook names its own fhirServer; outside --dev only https servers the site allowed are called.</summary>
public sealed class FhirServerPolicyTests
{
    private static readonly FhirServerPolicy Production = new(dev: false, [new Uri("https://fhir.hospital.example/r4")]);

    [Theory]
    [InlineData("https://fhir.hospital.example/r4", "https://fhir.hospital.example/r4/")]
    [InlineData("https://fhir.hospital.example/r4/", "https://fhir.hospital.example/r4/")]
    [InlineData("https://FHIR.hospital.example/r4/tenant-2", "https://fhir.hospital.example/r4/tenant-2/")]
    public void Allow_ConfiguredServerOrBelowIt_Allowed(string fhirServer, string expected)
    {
        Assert.Equal(expected, Production.Allow(fhirServer, issuer: null, out var why)?.AbsoluteUri);
        Assert.Null(why);
    }

    [Theory]
    [InlineData("http://fhir.hospital.example/r4", "not https")] // the bearer token would travel in clear
    [InlineData("https://fhir.hospital.example/other", "neither")]
    [InlineData("https://fhir.hospital.example:8443/r4", "neither")] // another port is another origin
    [InlineData("https://127.0.0.1:5432/", "neither")]
    [InlineData("https://fhir.hospital.example.attacker.example/r4", "neither")]
    [InlineData("https://user:pw@fhir.hospital.example/r4", "plain")]
    [InlineData("https://fhir.hospital.example/r4?x=1", "plain")]
    [InlineData("file:///etc/passwd", "plain")]
    [InlineData("fhir.hospital.example/r4", "plain")]
    public void Allow_AnythingElse_RefusedWithAReason(string fhirServer, string reason)
    {
        Assert.Null(Production.Allow(fhirServer, issuer: null, out var why));
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void Allow_ServerOnTheVerifiedIssuersOrigin_Allowed()
    {
        var none = new FhirServerPolicy(dev: false, []);

        Assert.NotNull(none.Allow("https://ehr.example.org/fhir/r4", "https://ehr.example.org", out _));
        Assert.Null(none.Allow("https://ehr.example.org/fhir/r4", issuer: null, out _));
        Assert.Null(none.Allow("https://ehr.example.org.evil.example/fhir", "https://ehr.example.org", out _));
        Assert.Null(none.Allow("https://ehr.example.org/fhir/r4", "ehr-client-id", out _)); // an issuer that is not a URL names no origin
    }

    [Fact]
    public void Allow_Dev_AnyHttpServerSoLocalFakesAndTheSandboxWork()
    {
        var dev = new FhirServerPolicy(dev: true, []);

        Assert.Equal("http://127.0.0.1:9999/fhir/", dev.Allow("http://127.0.0.1:9999/fhir", null, out _)?.AbsoluteUri);
        Assert.Null(dev.Allow("ftp://127.0.0.1/fhir", null, out _));
    }
}
