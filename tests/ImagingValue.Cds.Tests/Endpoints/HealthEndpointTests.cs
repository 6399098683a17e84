using System.Net;
using System.Text.Json.Nodes;
using ImagingValue.Cds.Tests.Support;
using ImagingValue.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>/health/live and /health/ready: a load balancer's view of one instance (issue 16).</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Ready_WorkspaceDatabaseAnswers_200()
    {
        var settings = new FakeSettings(fail: false);
        await using var host = await CdsTestHost.StartAsync(services: s => s.AddSingleton<IWorkspaceSettings>(settings));

        var (status, body) = await GetAsync(host, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body["status"]!.GetValue<string>());
        Assert.Equal("workspace database reachable", body["checks"]!["workspace"]!.GetValue<string>());
        Assert.Equal(1, settings.Reads);
    }

    [Fact]
    public async Task Ready_WorkspaceDatabaseGone_503WithoutTheConnection()
    {
        await using var host = await CdsTestHost.StartAsync(services: s => s.AddSingleton<IWorkspaceSettings>(new FakeSettings(fail: true)));

        var (status, body) = await GetAsync(host, "/health/ready");
        var (liveStatus, _) = await GetAsync(host, "/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body["status"]!.GetValue<string>());
        Assert.Equal("workspace database unreachable (IOException)", body["checks"]!["workspace"]!.GetValue<string>());
        Assert.DoesNotContain("db.internal", body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, liveStatus);
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(CdsTestHost host, string path)
    {
        using var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>A workspace's settings whose database answers, or has gone away (its error names the server).</summary>
    private sealed class FakeSettings(bool fail) : IWorkspaceSettings
    {
        public int Reads { get; private set; }

        public Task<string?> GetAsync(string name, CancellationToken cancellationToken)
        {
            Reads++;
            return fail ? throw new IOException("could not connect to Host=db.internal;Username=iv") : Task.FromResult<string?>(null);
        }

        public Task SetAsync(string name, string value, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
