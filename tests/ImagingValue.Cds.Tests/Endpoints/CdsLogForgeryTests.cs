using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>Values from a request reach the log cleaned and bounded (LogValue): no forged line, no terminal escape.</summary>
public sealed class CdsLogForgeryTests : IDisposable
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private const string Forged = "\r\n[forged] CDS sacrum-mri-lbp-select: all clear \u001b[31m";
    private readonly TestIssuer _issuer = new();

    [Fact]
    public async Task Call_TokenJtiWithLineBreakAndEscape_LoggedCleaned()
    {
        var logs = new CollectingLoggerProvider();
        await using var host = await CdsTestHost.StartAsync(dev: false, issuers: [_issuer.Trusted()], logs: logs);
        var jti = "jti-1" + Forged + new string('x', 500);

        var (status, _) = await host.PostAsync(Select, TestFiles.Read(TestFiles.CardCase), _issuer.Es384("http://localhost" + Select, jti: jti));

        Assert.Equal(200, status);
        var advised = Assert.Single(logs.Messages, m => m.Contains("orders evaluated", StringComparison.Ordinal));
        Assert.DoesNotContain('\r', advised);
        Assert.DoesNotContain('\n', advised.TrimEnd());
        Assert.DoesNotContain('\u001b', advised);
        Assert.Contains(@"jti-1\u000D\u000A[forged]", advised, StringComparison.Ordinal);
        Assert.Contains($"…({jti.Length} chars)", advised, StringComparison.Ordinal);
    }

    public void Dispose() => _issuer.Dispose();
}
