using System.Net;
using System.Text;

namespace ImagingValue.Cds.Tests.Support;

/// <summary>A FHIR server in memory: answers every GET with a status and body (or stalls), and records the calls.</summary>
internal sealed class FakeFhirServer(HttpStatusCode status = HttpStatusCode.ServiceUnavailable, string body = "", TimeSpan? stall = null) : HttpMessageHandler
{
    public List<(Uri Url, string? Authorization)> Calls { get; } = [];

    /// <summary>Whether the stall applies (a test turns it off for a warm-up call).</summary>
    public bool Stalling
    {
        get => Volatile.Read(ref _stalling);
        set => Volatile.Write(ref _stalling, value);
    }

    private bool _stalling = true;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add((request.RequestUri!, request.Headers.Authorization?.ToString()));
        }

        if (stall is { } delay && Stalling)
        {
            await Task.Delay(delay, cancellationToken);
        }

        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/fhir+json") };
    }
}
