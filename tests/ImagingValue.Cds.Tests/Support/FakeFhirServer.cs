using System.Net;
using System.Text;

namespace ImagingValue.Cds.Tests.Support;

/// <summary>A FHIR server in memory: answers every GET with a status and body (or stalls), and records the calls.</summary>
internal sealed class FakeFhirServer(HttpStatusCode status = HttpStatusCode.ServiceUnavailable, string body = "", TimeSpan? stall = null) : HttpMessageHandler
{
    public List<(Uri Url, string? Authorization)> Calls { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add((request.RequestUri!, request.Headers.Authorization?.ToString()));
        }

        if (stall is { } delay)
        {
            await Task.Delay(delay, cancellationToken);
        }

        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/fhir+json") };
    }
}
