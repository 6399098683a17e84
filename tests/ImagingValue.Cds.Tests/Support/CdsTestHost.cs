using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ImagingValue.Core.Alerts;
using ImagingValue.Cds.Fhir;
using ImagingValue.Web;
using ImagingValue.Web.Cds;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ImagingValue.Cds.Tests.Support;

/// <summary>The CDS host on an in-memory test server, in dev mode unless told otherwise.</summary>
internal sealed class CdsTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CdsTestHost(WebApplication app, HttpClient client, InMemoryAlertLog alertLog)
    {
        _app = app;
        Client = client;
        AlertLog = alertLog;
    }

    /// <summary>2026-11-23 15:00 UTC.</summary>
    public static DateTimeOffset Now { get; } = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    public HttpClient Client { get; }

    /// <summary>The background writer of the alert log.</summary>
    public AlertRecorder Recorder => _app.Services.GetRequiredService<AlertRecorder>();

    /// <summary>The alert log: rated orders and card outcomes.</summary>
    public InMemoryAlertLog AlertLog { get; }

    /// <summary>The alerts recorded so far, once the background recorder has written them.</summary>
    public async Task<IReadOnlyList<PointOfOrderAlert>> AlertsAsync()
    {
        await _app.Services.GetRequiredService<AlertRecorder>().FlushAsync(CancellationToken.None);
        return await AlertLog.ListAlertsAsync(CancellationToken.None);
    }

    public static async Task<CdsTestHost> StartAsync(
        bool dev = true, bool compat = false, TimeProvider? time = null, TimeSpan? deadline = null, IReadOnlyList<TrustedIssuer>? issuers = null,
        HttpMessageHandler? fhirServer = null, ILoggerProvider? logs = null, ILocalEvidenceSource? evidence = null, long? maxBody = null, IReadOnlyList<string>? fhirServers = null, long? maxResponse = null,
        Action<IServiceCollection>? services = null, Uri? publicUrl = null)
    {
        var feedback = new InMemoryAlertLog();
        var settings = new ServeSettings
        {
            Cds = new CdsSettings
            {
                Dev = dev,
                CompatExtensionSystemActions = compat,
                MaxRequestBodyBytes = maxBody ?? 1024 * 1024,
                MaxResponseBytes = maxResponse ?? 4 * 1024 * 1024,
                Deadline = deadline ?? TimeSpan.FromSeconds(10),
                TrustedIssuers = issuers ?? [],
                FhirServers = fhirServers ?? [],
                PublicUrl = publicUrl,
            },
        };
        var fhirHandler = fhirServer ?? new FakeFhirServer();
        var app = ImagingValueHost.Build(settings, time ?? new FakeTimeProvider(Now), builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Services.AddSingleton<IAlertLog>(feedback);
            if (evidence is not null)
            {
                builder.Services.AddSingleton(evidence);
            }

            // The fake FHIR server goes in as the fhirServer client's handler, as a real one would.
            builder.Services.AddHttpClient<FhirConditionFetcher>().ConfigurePrimaryHttpMessageHandler(() => fhirHandler);
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
            }

            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        return new CdsTestHost(app, app.GetTestClient(), feedback);
    }

    public async Task<(int Status, JsonNode? Body)> PostAsync(string path, string body, string? bearer = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await Client.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<JsonObject> PostOkAsync(string path, string body)
    {
        var (status, json) = await PostAsync(path, body);
        Assert.Equal(200, status);
        return Assert.IsType<JsonObject>(json);
    }

    public async Task<JsonObject> GetJsonAsync(string path) =>
        Assert.IsType<JsonObject>(await Client.GetFromJsonAsync<JsonNode>(new Uri(path, UriKind.Relative)));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
