using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;

namespace ImagingValue.Cds.Fhir;

/// <summary>How a fetch from the client's FHIR server ended.</summary>
public enum FetchStatus
{
    /// <summary>The conditions are here (possibly none).</summary>
    Ok,

    /// <summary>The server refused or does not have them (4xx): the data cannot be had (412).</summary>
    NotAvailable,

    /// <summary>No usable answer in time (timeout, 5xx, network, not a Bundle): fail open.</summary>
    Failed,
}

/// <summary>The result of a fetch.</summary>
public sealed record FetchResult(FetchStatus Status, IReadOnlyList<Condition> Conditions, string? Problem = null);

/// <summary>
/// Fetches the <c>conditions</c> prefetch the client did not send: <c>GET {fhirServer}/Condition?patient={id}</c> with the
/// hook's <c>fhirAuthorization</c> token, following <c>next</c> links on the same server only (the token never leaves
/// it). The caller bounds the time with its cancellation token.
/// </summary>
public sealed class FhirConditionFetcher(HttpClient http)
{
    private const int MaxPages = 5;

    public async Task<FetchResult> FetchAsync(string fhirServer, string patientId, SecretToken? token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fhirServer);
        ArgumentNullException.ThrowIfNull(patientId);
        if (!Uri.TryCreate(fhirServer.TrimEnd('/') + "/", UriKind.Absolute, out var root) || root.Scheme is not ("https" or "http"))
        {
            return new FetchResult(FetchStatus.NotAvailable, [], "fhirServer is not an http(s) URL");
        }

        var conditions = new List<Condition>();
        var next = new Uri(root, $"Condition?patient={Uri.EscapeDataString(patientId)}&_count=100");
        try
        {
            for (var page = 0; next is not null && page < MaxPages; page++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, next);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Reveal());
                }

                using var response = await http.SendAsync(request, cancellationToken);
                if ((int)response.StatusCode is >= 400 and < 500)
                {
                    return new FetchResult(FetchStatus.NotAvailable, [], $"FHIR server answered {(int)response.StatusCode}");
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return new FetchResult(FetchStatus.Failed, [], $"FHIR server answered {(int)response.StatusCode}");
                }

                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (JsonNode.Parse(body) is not JsonObject bundle || bundle["resourceType"]?.GetValue<string>() != "Bundle")
                {
                    return new FetchResult(FetchStatus.Failed, [], "FHIR server did not answer with a Bundle");
                }

                if (!HookRequestReader.TryConditionsOf(bundle, out var found) || conditions.Count + found.Count > HookRequestReader.MaxConditions)
                {
                    return new FetchResult(FetchStatus.Failed, [], "FHIR server answered a Bundle that is not a list of entries, or too many conditions");
                }

                conditions.AddRange(found);
                next = NextLink(bundle, root);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException or InvalidOperationException)
        {
            return new FetchResult(FetchStatus.Failed, [], ex is OperationCanceledException ? "FHIR server timed out" : ex.GetType().Name);
        }

        return new FetchResult(FetchStatus.Ok, conditions);
    }

    /// <summary>The Bundle's next page, only when it is on the same server (the token is not sent elsewhere).</summary>
    private static Uri? NextLink(JsonObject bundle, Uri root)
    {
        var link = (bundle["link"] as JsonArray)?
            .OfType<JsonObject>()
            .FirstOrDefault(l => l["relation"] is JsonValue relation && relation.TryGetValue<string>(out var r) && r == "next");
        return link?["url"] is JsonValue url && url.TryGetValue<string>(out var text)
            && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && root.IsBaseOf(uri)
            ? uri
            : null;
    }
}
