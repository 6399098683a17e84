using System.Text.Json;
using ImagingValue.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImagingValue.Web;

/// <summary>
/// Readiness: whether the workspace's database answers a trivial query (one setting read through the workspace's own
/// stores, so the same connection path every request uses). Without a workspace the service keeps its alerts in
/// memory and is ready. The answer never names the database or its connection.
/// </summary>
internal sealed class WorkspaceHealthCheck(IServiceProvider services) : IHealthCheck
{
    public const string Name = "workspace";

    public const string ReadyTag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IWorkspaceSettings>() is not { } settings)
        {
            return HealthCheckResult.Healthy("no workspace");
        }

        try
        {
            _ = await settings.GetAsync("health-check", cancellationToken);
            return HealthCheckResult.Healthy("workspace database reachable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The type only: a database error's message can hold the connection's host and user.
            return HealthCheckResult.Unhealthy($"workspace database unreachable ({ex.GetType().Name})");
        }
    }

    /// <summary><c>{"status":"Healthy","checks":{"workspace":"…"}}</c>: small, and free of patient data and connection strings.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => e.Value.Description ?? e.Value.Status.ToString()),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
