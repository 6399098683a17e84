using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

public sealed class CdsJwtTests : IDisposable
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private const string SelectUrl = "http://localhost" + Select;
    private readonly TestIssuer _issuer = new();

    public enum BadToken
    {
        Missing,
        Unsigned,
        Hmac,
        Expired,
        DiscoveryAudience,
        UnknownIssuer,
    }

    [Fact]
    public async Task Post_Es384TokenForTheEndpoint_Accepted()
    {
        await using var host = await StartAsync();

        var (status, body) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), _issuer.Es384(SelectUrl));

        Assert.Equal(200, status);
        Assert.Single(body!["cards"]!.AsArray());
    }

    [Fact]
    public async Task Post_Rs384TokenWithNbfAndSub_Accepted()
    {
        await using var host = await StartAsync();

        var (status, _) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), _issuer.Rs384(SelectUrl));

        Assert.Equal(200, status);
    }

    [Theory]
    [InlineData(BadToken.Missing)]
    [InlineData(BadToken.Unsigned)]
    [InlineData(BadToken.Hmac)]
    [InlineData(BadToken.Expired)]
    [InlineData(BadToken.DiscoveryAudience)]
    [InlineData(BadToken.UnknownIssuer)]
    public async Task Post_BadToken_Returns401WithEmptyBody(BadToken bad)
    {
        await using var host = await StartAsync();
        var token = bad switch
        {
            BadToken.Missing => null,
            BadToken.Unsigned => TestIssuer.Unsigned(SelectUrl),
            BadToken.Hmac => _issuer.Hs256(SelectUrl),
            BadToken.Expired => _issuer.Es384(SelectUrl, age: TimeSpan.FromMinutes(10)),
            BadToken.DiscoveryAudience => _issuer.Es384("http://localhost/cds-services"),
            _ => _issuer.Es384(SelectUrl, issuer: "https://other.example.org"),
        };

        var (status, body) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), token);

        Assert.Equal(401, status);
        Assert.Null(body);
    }

    [Fact]
    public async Task Post_ReplayedJti_Returns401()
    {
        await using var host = await StartAsync();
        var token = _issuer.Es384(SelectUrl, jti: "jti-once");

        var (first, _) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), token);
        var (second, _) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), token);

        Assert.Equal(200, first);
        Assert.Equal(401, second);
    }

    [Fact]
    public async Task Feedback_NeedsTokenForTheFeedbackUrl()
    {
        await using var host = await StartAsync();
        const string Body = """{"feedback":[{"card":"c-1","outcome":"overridden","outcomeTimestamp":"2026-11-23T15:01:02Z"}]}""";

        var (serviceAudience, _) = await host.PostAsync(Select + "/feedback", Body, _issuer.Es384(SelectUrl));
        var (feedbackAudience, _) = await host.PostAsync(Select + "/feedback", Body, _issuer.Es384(SelectUrl + "/feedback"));

        Assert.Equal(401, serviceAudience);
        Assert.Equal(200, feedbackAudience);
    }

    [Fact]
    public async Task Discovery_WithoutToken_Public()
    {
        await using var host = await StartAsync();

        var discovery = await host.GetJsonAsync("/cds-services");

        Assert.Equal(2, discovery["services"]!.AsArray().Count);
    }

    public void Dispose() => _issuer.Dispose();

    private Task<CdsTestHost> StartAsync() => CdsTestHost.StartAsync(dev: false, issuers: [_issuer.Trusted()]);
}
