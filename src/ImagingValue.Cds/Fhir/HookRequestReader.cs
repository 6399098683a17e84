using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace ImagingValue.Cds.Fhir;

/// <summary>
/// Reads a CDS Hooks order-select or order-sign call. Structure the spec requires (hook, hookInstance, context,
/// draftOrders, selections) is checked strictly; FHIR content is parsed leniently (Firely, ostrich mode: no validation),
/// because EHRs send imperfect resources and advice on an imperfect order is still advice. Ostrich rather than recoverable:
/// recoverable validates every element and collects the issues we then ignore, which made parsing about five times
/// slower and was most of a call's time (benchmarks/README.md, CDS load).
/// </summary>
public static class HookRequestReader
{
    /// <summary>The prefetch key for the patient's conditions (contracts §4).</summary>
    public const string ConditionsKey = "conditions";

    /// <summary>The prefetch key for the patient.</summary>
    public const string PatientKey = "patient";

    private static readonly FhirJsonDeserializer Deserializer =
        new(new DeserializerSettings().UsingMode(DeserializationMode.Ostrich));

    /// <summary>Reads <paramref name="body"/> for a service of hook <paramref name="expectedHook"/>.</summary>
    public static HookRequestReadResult Read(string body, string expectedHook)
    {
        ArgumentNullException.ThrowIfNull(body);
        JsonObject root;
        try
        {
            if (JsonNode.Parse(body) is not JsonObject parsed)
            {
                return HookRequestReadResult.Invalid("The request body must be a JSON object.");
            }

            root = parsed;
        }
        catch (JsonException)
        {
            return HookRequestReadResult.Invalid("The request body is not valid JSON.");
        }

        if (StringMember(root, "hook") is not { Length: > 0 } hook)
        {
            return HookRequestReadResult.Invalid("'hook' is required.");
        }

        if (!string.Equals(hook, expectedHook, StringComparison.Ordinal))
        {
            return HookRequestReadResult.Invalid($"This service answers '{expectedHook}', not '{hook}'.");
        }

        if (StringMember(root, "hookInstance") is not { Length: > 0 } hookInstance)
        {
            return HookRequestReadResult.Invalid("'hookInstance' is required.");
        }

        if (root["context"] is not JsonObject context)
        {
            return HookRequestReadResult.Invalid("'context' is required and must be an object.");
        }

        if (root["fhirAuthorization"] is not null && StringMember(root, "fhirServer") is null)
        {
            return HookRequestReadResult.Invalid("'fhirServer' is required when 'fhirAuthorization' is sent.");
        }

        if (context["draftOrders"] is not JsonObject draftOrders || StringMember(draftOrders, "resourceType") != "Bundle")
        {
            return HookRequestReadResult.Invalid("'context.draftOrders' must be a FHIR Bundle.");
        }

        var drafts = new List<DraftOrder>();
        if (draftOrders["entry"] is JsonArray entries)
        {
            foreach (var entry in entries)
            {
                if (entry?["resource"] is not JsonObject resource || StringMember(resource, "resourceType") != "ServiceRequest")
                {
                    continue; // MedicationRequests and others are not ours.
                }

                if (Parse<ServiceRequest>(resource) is not { } request)
                {
                    return HookRequestReadResult.Invalid("A ServiceRequest in 'context.draftOrders' could not be read.");
                }

                var reference = $"ServiceRequest/{request.Id ?? $"#{drafts.Count}"}";
                drafts.Add(new DraftOrder(reference, request, (JsonObject)resource.DeepClone()));
            }
        }

        IReadOnlyList<DraftOrder> orders = drafts;
        if (hook == Hooks.OrderSelect)
        {
            if (context["selections"] is not JsonArray selections)
            {
                return HookRequestReadResult.Invalid("'context.selections' is required for order-select.");
            }

            var selected = new HashSet<string>(StringComparer.Ordinal);
            foreach (var selection in selections)
            {
                if (selection is not JsonValue value || !value.TryGetValue<string>(out var text))
                {
                    return HookRequestReadResult.Invalid("'context.selections' must hold references (Type/id).");
                }

                selected.Add(text);
            }

            orders = [.. drafts.Where(d => selected.Contains(d.Reference))];
        }

        var prefetch = root["prefetch"] as JsonObject;
        var (state, conditions) = ReadConditions(prefetch);
        var patient = prefetch?[PatientKey] is JsonObject patientJson && StringMember(patientJson, "resourceType") == "Patient"
            ? Parse<Patient>(patientJson)
            : null;

        var token = root["fhirAuthorization"] is JsonObject authorization && StringMember(authorization, "access_token") is { Length: > 0 } accessToken
            ? new SecretToken(accessToken)
            : null;
        return HookRequestReadResult.Ok(new HookRequest(
            hook, hookInstance, StringMember(root, "fhirServer"), StringMember(context, "patientId"), orders, state, conditions, patient, token));
    }

    private static (PrefetchState State, IReadOnlyList<Condition> Conditions) ReadConditions(JsonObject? prefetch)
    {
        if (prefetch is null || !prefetch.TryGetPropertyValue(ConditionsKey, out var value))
        {
            return (PrefetchState.Absent, []);
        }

        if (value is null)
        {
            return (PrefetchState.NoData, []);
        }

        if (value is not JsonObject resource)
        {
            return (PrefetchState.Failed, []);
        }

        switch (StringMember(resource, "resourceType"))
        {
            case "Bundle":
                return (PrefetchState.Present, ConditionsOf(resource));
            case "Condition":
                return Parse<Condition>(resource) is { } single ? (PrefetchState.Present, [single]) : (PrefetchState.Failed, []);
            default:
                // An OperationOutcome (the client's fetch failed) or something we cannot use.
                return (PrefetchState.Failed, []);
        }
    }

    /// <summary>The Conditions among a Bundle's entries (a prefetch or a search result page).</summary>
    public static List<Condition> ConditionsOf(JsonObject bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var conditions = new List<Condition>();
        if (bundle["entry"] is JsonArray entries)
        {
            foreach (var entry in entries)
            {
                if (entry?["resource"] is JsonObject item && StringMember(item, "resourceType") == "Condition" && Parse<Condition>(item) is { } condition)
                {
                    conditions.Add(condition);
                }
            }
        }

        return conditions;
    }

    private static T? Parse<T>(JsonObject json)
        where T : Resource
    {
        try
        {
            // UTF-8 straight to Firely's reader: a UTF-16 string in between cost a quarter of the parse.
            var reader = new Utf8JsonReader(JsonSerializer.SerializeToUtf8Bytes(json));
            return Deserializer.TryDeserializeResource(ref reader, out var resource, out _) || resource is not null
                ? resource as T
                : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or DeserializationFailedException)
        {
            return null;
        }
    }

    private static string? StringMember(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
