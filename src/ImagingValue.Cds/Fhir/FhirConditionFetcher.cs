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

    /// <summary>
    /// No usable answer (refused, not found, timeout, 5xx, network, redirect, too large, not a Bundle). The caller
    /// treats every failure alike, so its answer does not tell a closed port from a 404.
    /// </summary>
    Failed,
}

/// <summary>The result of a fetch; <see cref="Problem"/> is for the log only.</summary>
public sealed record FetchResult(FetchStatus Status, IReadOnlyList<Condition> Conditions, string? Problem = null);

/// <summary>
/// Fetches the <c>conditions</c> prefetch the client did not send: <c>GET {fhirServer}/Condition?patient={id}</c> with the
/// hook's <c>fhirAuthorization</c> token, following <c>next</c> links under the same base only (the token never leaves
/// it). The server was allowed by <see cref="FhirServerPolicy"/>; the HttpClient follows no redirects; each page is
/// read up to <see cref="MaxPageBytes"/>, so an endless or huge answer costs that much memory at most. The caller
/// bounds the time with its cancellation token.
/// </summary>
public sealed class FhirConditionFetcher(HttpClient http)
{
    /// <summary>The largest page read (a page of 100 Conditions is a few hundred KB).</summary>
    public const int MaxPageBytes = 2 * 1024 * 1024;

    private const int MaxPages = 5;

    /// <param name="root">The FHIR base URL, ending in '/', as <see cref="FhirServerPolicy.Allow"/> returned it.</param>
    public async Task<FetchResult> FetchAsync(Uri root, string patientId, SecretToken? token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(patientId);
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

                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return Failed($"FHIR server answered {(int)response.StatusCode}");
                }

                using var body = await ReadBoundedAsync(response.Content, cancellationToken);
                if (body is null)
                {
                    return Failed($"FHIR server answered more than {MaxPageBytes} bytes");
                }

                if (JsonNode.Parse(body.GetBuffer().AsSpan(0, (int)body.Length)) is not JsonObject bundle || bundle["resourceType"]?.GetValue<string>() != "Bundle")
                {
                    return Failed("FHIR server did not answer with a Bundle");
                }

                if (!HookRequestReader.TryConditionsOf(bundle, out var found) || conditions.Count + found.Count > HookRequestReader.MaxConditions)
                {
                    return Failed("FHIR server answered a Bundle that is not a list of entries, or too many conditions");
                }

                conditions.AddRange(found);
                next = NextLink(bundle, root);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException or InvalidOperationException or IOException)
        {
            return Failed(ex is OperationCanceledException ? "FHIR server timed out" : ex.GetType().Name);
        }

        return new FetchResult(FetchStatus.Ok, conditions);
    }

    private static FetchResult Failed(string problem) => new(FetchStatus.Failed, [], problem);

    /// <summary>The body, or null when it is longer than <see cref="MaxPageBytes"/> (read no further than that).</summary>
    private static async Task<MemoryStream?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxPageBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxPageBytes)
            {
                await buffer.DisposeAsync();
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer;
    }

    /// <summary>The Bundle's next page, only when it is under the same base (the token is not sent elsewhere).</summary>
    private static Uri? NextLink(JsonObject bundle, Uri root)
    {
        var link = (bundle["link"] as JsonArray)?
            .OfType<JsonObject>()
            .FirstOrDefault(l => l["relation"] is JsonValue relation && relation.TryGetValue<string>(out var r) && r == "next");
        return link?["url"] is JsonValue url && url.TryGetValue<string>(out var text)
            && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && root.IsBaseOf(uri) && FhirServerPolicy.SameOrigin(root, uri)
            ? uri
            : null;
    }
}
