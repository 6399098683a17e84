using ImagingValue.Cds.Tests.Support;
using ImagingValue.Protocols;

namespace ImagingValue.Cds.Tests.Endpoints;

public sealed class CdsJwtTests : IDisposable
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private const string SelectUrl = "http://localhost" + Select;
    private const string FeedbackBody = """{"feedback":[{"card":"c-1","outcome":"overridden","outcomeTimestamp":"2026-11-23T15:01:02Z"}]}""";
    private readonly TestIssuer _issuer = new();

    public enum BadToken
    {
        Missing,
        Unsigned,
        Hmac,
        Expired,
        DiscoveryAudience,
        UnknownIssuer,
        NotYetValid,
        UnknownKid,
        ForeignKey,
        TamperedPayload,
        TamperedSignature,
    }

    // acceptance-checklist.md item 11
    [Fact]
    public async Task B11_Post_Es384TokenForTheEndpoint_Accepted()
    {
        await using var host = await StartAsync();

        var (status, body) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), _issuer.Es384(SelectUrl));

        Assert.Equal(200, status);
        Assert.Single(body!["cards"]!.AsArray());
    }

    // acceptance-checklist.md item 11
    [Fact]
    public async Task B11_Post_Rs384TokenWithNbfAndSub_Accepted()
    {
        await using var host = await StartAsync();

        var (status, _) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), _issuer.Rs384(SelectUrl));

        Assert.Equal(200, status);
    }

    // acceptance-checklist.md item 11: each refusal is its own case, and none says why (a bare 401).
    [Theory]
    [InlineData(BadToken.Missing)]
    [InlineData(BadToken.Unsigned)]
    [InlineData(BadToken.Hmac)]
    [InlineData(BadToken.Expired)]
    [InlineData(BadToken.DiscoveryAudience)]
    [InlineData(BadToken.UnknownIssuer)]
    [InlineData(BadToken.NotYetValid)]
    [InlineData(BadToken.UnknownKid)]
    [InlineData(BadToken.ForeignKey)]
    [InlineData(BadToken.TamperedPayload)]
    [InlineData(BadToken.TamperedSignature)]
    public async Task B11_Post_BadToken_Returns401WithEmptyBody(BadToken bad)
    {
        await using var host = await StartAsync();
        var token = bad switch
        {
            BadToken.Missing => null,
            BadToken.Unsigned => TestIssuer.Unsigned(SelectUrl),
            BadToken.Hmac => _issuer.Hs256(SelectUrl),
            BadToken.Expired => _issuer.Es384(SelectUrl, age: TimeSpan.FromMinutes(10)),
            BadToken.DiscoveryAudience => _issuer.Es384("http://localhost/cds-services"),
            BadToken.UnknownIssuer => _issuer.Es384(SelectUrl, issuer: "https://other.example.org"),

            // Two minutes ahead: beyond the 30 s clock skew the service allows.
            BadToken.NotYetValid => _issuer.Es384(SelectUrl, notBefore: TimeSpan.FromMinutes(2)),

            // Signed with the issuer's real key, but the header names a key its JWKS does not have.
            BadToken.UnknownKid => _issuer.Es384(SelectUrl, kid: "ec-9"),
            BadToken.ForeignKey => TestIssuer.Es384WithForeignKey(SelectUrl),
            BadToken.TamperedPayload => TestIssuer.Tamper(_issuer.Es384(SelectUrl), payload: true),
            BadToken.TamperedSignature => TestIssuer.Tamper(_issuer.Es384(SelectUrl), payload: false),
            _ => throw new ArgumentOutOfRangeException(nameof(bad)),
        };

        var (status, body) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), token);

        Assert.Equal(401, status);
        Assert.Null(body);
    }

    // acceptance-checklist.md item 11
    [Fact]
    public async Task B11_Post_ReplayedJti_Returns401WithEmptyBody()
    {
        await using var host = await StartAsync();
        var token = _issuer.Es384(SelectUrl, jti: "jti-once");

        var (first, _) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), token);
        var (second, body) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), token);

        Assert.Equal(200, first);
        Assert.Equal(401, second);
        Assert.Null(body);
    }

    // acceptance-checklist.md item 11: aud is the exact endpoint, so a token for the service does not open its feedback.
    [Fact]
    public async Task B11_Feedback_TokenMintedForTheServiceUrl_Returns401WithEmptyBody()
    {
        await using var host = await StartAsync();

        var (status, body) = await host.PostAsync(Select + "/feedback", FeedbackBody, _issuer.Es384(SelectUrl));

        Assert.Equal(401, status);
        Assert.Null(body);
        Assert.Empty(await host.AlertLog.ListFeedbackAsync(CancellationToken.None));
    }

    // acceptance-checklist.md item 11
    [Fact]
    public async Task B11_Feedback_TokenForTheFeedbackUrl_Accepted()
    {
        await using var host = await StartAsync();

        var (_, called) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), _issuer.Es384(SelectUrl));
        var feedback = FeedbackBody.Replace("c-1", called!["cards"]![0]!["uuid"]!.GetValue<string>(), StringComparison.Ordinal);

        var (status, _) = await host.PostAsync(Select + "/feedback", feedback, _issuer.Es384(SelectUrl + "/feedback"));

        Assert.Equal(200, status);
        Assert.Single(await host.AlertLog.ListFeedbackAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Discovery_WithoutToken_Public()
    {
        await using var host = await StartAsync();

        var discovery = await host.GetJsonAsync("/cds-services");

        Assert.Equal(2 * ProtocolLoader.BuiltInIds.Count, discovery["services"]!.AsArray().Count);
    }

    public void Dispose() => _issuer.Dispose();

    private Task<CdsTestHost> StartAsync() => CdsTestHost.StartAsync(dev: false, issuers: [_issuer.Trusted()]);
}
