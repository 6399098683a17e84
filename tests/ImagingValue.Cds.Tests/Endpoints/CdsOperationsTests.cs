using System.Net;
using System.Text;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>Health, metrics and request limits: what operations watch.</summary>
public sealed class CdsOperationsTests
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";

    [Fact]
    public async Task Health_WithoutToken_Healthy()
    {
        await using var host = await CdsTestHost.StartAsync(dev: false);

        using var response = await host.Client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_AfterHookCalls_CountAndLatencyHistogramPerRoutePatternWithoutIds()
    {
        await using var host = await CdsTestHost.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await host.PostOkAsync(Select, TestFiles.Read(TestFiles.CardCase));
        }

        var metrics = await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var buckets = metrics.Split('\n').Where(l => l.StartsWith("http_request_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("endpoint=\"/cds-services/{id}\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(buckets);
        // The registry is per process (prometheus-net's default), shared with the other tests' hosts: at least our 3.
        // Hosts of other tests may add series with other label values (several instances of one service): sum them.
        var counts = metrics.Split('\n').Where(l => l.StartsWith("http_request_duration_seconds_count{", StringComparison.Ordinal)
            && l.Contains("endpoint=\"/cds-services/{id}\"", StringComparison.Ordinal) && l.Contains("method=\"POST\"", StringComparison.Ordinal) && l.Contains("code=\"200\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(counts);
        Assert.True(counts.Sum(c => double.Parse(c[(c.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)) >= 3, string.Join('\n', counts));
        Assert.DoesNotContain("pat-1001", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("sacrum-mri-lbp-select", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BodyOverTheLimit_RefusedWith413()
    {
        await using var host = await CdsTestHost.StartAsync(maxBody: 64 * 1024);
        var padded = TestFiles.Read(TestFiles.CardCase).Replace("\"hook\"", $"\"padding\":\"{new string('x', 100 * 1024)}\",\"hook\"", StringComparison.Ordinal);

        using var response = await host.Client.PostAsync(new Uri(Select, UriKind.Relative), new StringContent(padded, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
