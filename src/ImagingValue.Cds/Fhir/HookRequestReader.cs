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

    /// <summary>The most draft orders one call may carry: an order-sign of a whole order set is a few dozen.</summary>
    public const int MaxDraftOrders = 100;

    /// <summary>The most conditions a prefetch (or a fetched search) may carry for one patient.</summary>
    public const int MaxConditions = 5000;

    /// <summary>The longest identifier accepted (hookInstance, patientId, a selection); a UUID is 36 characters.</summary>
    public const int MaxIdentifierLength = 256;

    private static readonly FhirJsonDeserializer Deserializer =
        new(new DeserializerSettings().UsingMode(DeserializationMode.Ostrich));

    // Duplicate keys are refused: two readers of the same body could otherwise see two different requests.
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false };

    /// <summary>The error for a body whose text holds an unpaired surrogate character.</summary>
    public const string NotUnicode = "The request body is not valid Unicode text (an unpaired surrogate).";

    /// <summary>Reads <paramref name="body"/> for a service of hook <paramref name="expectedHook"/>.</summary>
    public static HookRequestReadResult Read(string body, string expectedHook)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return ReadChecked(body, expectedHook);
        }
        catch (Exception ex) when (ex is InvalidOperationException || (ex is ArgumentException && ex.InnerException is System.Text.EncoderFallbackException))
        {
            // An unpaired surrogate, escaped ("\ud800": System.Text.Json parses it and refuses it only when the text is
            // read) or raw (found by the fuzz suite: it cannot be transcoded): a malformed body, not a bug.
            return HookRequestReadResult.Invalid(NotUnicode);
        }
    }

    private static HookRequestReadResult ReadChecked(string body, string expectedHook)
    {
        JsonObject root;
        try
        {
            if (JsonNode.Parse(body, documentOptions: DocumentOptions) is not JsonObject parsed)
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

        if (Identifier(hookInstance, "hookInstance") is { } badInstance)
        {
            return HookRequestReadResult.Invalid(badInstance);
        }

        if (root["context"] is not JsonObject context)
        {
            return HookRequestReadResult.Invalid("'context' is required and must be an object.");
        }

        if (root["fhirAuthorization"] is not null && StringMember(root, "fhirServer") is null)
        {
            return HookRequestReadResult.Invalid("'fhirServer' is required when 'fhirAuthorization' is sent.");
        }

        var patientIdText = StringMember(context, "patientId");
        if (patientIdText is not null && Identifier(patientIdText, "context.patientId") is { } badPatient)
        {
            return HookRequestReadResult.Invalid(badPatient);
        }

        var encounterId = StringMember(context, "encounterId");
        if (encounterId is not null && Identifier(encounterId, "context.encounterId") is { } badEncounter)
        {
            return HookRequestReadResult.Invalid(badEncounter);
        }

        if (context["draftOrders"] is not JsonObject draftOrders || StringMember(draftOrders, "resourceType") != "Bundle")
        {
            return HookRequestReadResult.Invalid("'context.draftOrders' must be a FHIR Bundle.");
        }

        if (Entries(draftOrders) is not { } entries)
        {
            return HookRequestReadResult.Invalid("'context.draftOrders.entry' must be a list of entries, each an object with a 'resource' object.");
        }

        var drafts = new List<DraftOrder>();
        foreach (var resource in entries)
        {
            if (StringMember(resource, "resourceType") != "ServiceRequest")
            {
                continue; // MedicationRequests and others are not ours.
            }

            if (drafts.Count == MaxDraftOrders)
            {
                return HookRequestReadResult.Invalid($"'context.draftOrders' holds more than {MaxDraftOrders} ServiceRequests.");
            }

            // Read from the JSON: Firely's lenient mode reports a malformed id (a list, say) only when it is first read.
            var id = resource["id"] is null ? null : StringMember(resource, "id");
            if ((resource["id"] is not null && id is null) || (id is not null && Identifier(id, "ServiceRequest.id") is not null))
            {
                return HookRequestReadResult.Invalid("A ServiceRequest's 'id' in 'context.draftOrders' must be a short text.");
            }

            if (Parse<ServiceRequest>(resource) is not { } request)
            {
                return HookRequestReadResult.Invalid("A ServiceRequest in 'context.draftOrders' could not be read.");
            }

            var reference = $"ServiceRequest/{id ?? $"#{drafts.Count}"}";
            drafts.Add(new DraftOrder(reference, request, (JsonObject)resource.DeepClone()));
        }

        IReadOnlyList<DraftOrder> orders = drafts;
        if (hook == Hooks.OrderSelect)
        {
            if (context["selections"] is not JsonArray selections)
            {
                return HookRequestReadResult.Invalid("'context.selections' is required for order-select.");
            }

            var selected = new HashSet<string>(StringComparer.Ordinal);
            if (selections.Count > MaxDraftOrders)
            {
                return HookRequestReadResult.Invalid($"'context.selections' holds more than {MaxDraftOrders} references.");
            }

            foreach (var selection in selections)
            {
                if (selection is not JsonValue value || !value.TryGetValue<string>(out var text) || Identifier(text, "context.selections") is not null)
                {
                    return HookRequestReadResult.Invalid("'context.selections' must hold references (Type/id).");
                }

                selected.Add(text);
            }

            orders = [.. drafts.Where(d => selected.Contains(d.Reference))];
        }

        var prefetch = root["prefetch"] as JsonObject;
        if (ReadConditions(prefetch) is not var (state, conditions))
        {
            return HookRequestReadResult.Invalid($"'prefetch.conditions' must be a Bundle whose entries are objects with a 'resource' object, at most {MaxConditions} of them.");
        }

        var patient = prefetch?[PatientKey] is JsonObject patientJson && StringMember(patientJson, "resourceType") == "Patient"
            ? Parse<Patient>(patientJson)
            : null;

        var token = root["fhirAuthorization"] is JsonObject authorization && StringMember(authorization, "access_token") is { Length: > 0 } accessToken
            ? new SecretToken(accessToken)
            : null;
        return HookRequestReadResult.Ok(new HookRequest(
            hook, hookInstance, StringMember(root, "fhirServer"), patientIdText, orders, state, conditions, patient, token, encounterId));
    }

    /// <summary>Why <paramref name="value"/> cannot be an identifier (too long, or holding a control character or half of a surrogate pair that would forge a log line or break JSON), or null.</summary>
    public static string? Identifier(string value, string name)
    {
        if (value.Length > MaxIdentifierLength)
        {
            return $"'{name}' is longer than {MaxIdentifierLength} characters.";
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c)
                || (char.IsHighSurrogate(c) && (i + 1 == value.Length || !char.IsLowSurrogate(value[++i])))
                || char.IsLowSurrogate(c))
            {
                return $"'{name}' holds a control character or an unpaired surrogate.";
            }
        }

        return null;
    }

    /// <summary>The resource objects of a Bundle's entries; null when 'entry' is there but not a list of entries with a resource object each.</summary>
    private static List<JsonObject>? Entries(JsonObject bundle)
    {
        if (!bundle.TryGetPropertyValue("entry", out var entry) || entry is null)
        {
            return [];
        }

        if (entry is not JsonArray list)
        {
            return null;
        }

        var resources = new List<JsonObject>(list.Count);
        foreach (var item in list)
        {
            if (item is not JsonObject e || e["resource"] is not JsonObject resource)
            {
                return null;
            }

            resources.Add(resource);
        }

        return resources;
    }

    /// <returns>The prefetch's state and conditions; null when the prefetch is malformed.</returns>
    private static (PrefetchState State, IReadOnlyList<Condition> Conditions)? ReadConditions(JsonObject? prefetch)
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
                return TryConditionsOf(resource, out var conditions) ? (PrefetchState.Present, conditions) : null;
            case "Condition":
                return Parse<Condition>(resource) is { } single ? (PrefetchState.Present, [single]) : (PrefetchState.Failed, []);
            default:
                // An OperationOutcome (the client's fetch failed) or something we cannot use.
                return (PrefetchState.Failed, []);
        }
    }

    /// <summary>
    /// The Conditions among a Bundle's entries (a prefetch or a search result page); false when the entries are not a
    /// list of objects with a resource each, or are more than <see cref="MaxConditions"/>.
    /// </summary>
    public static bool TryConditionsOf(JsonObject bundle, out List<Condition> conditions)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        conditions = [];
        if (Entries(bundle) is not { } entries || entries.Count > MaxConditions)
        {
            return false;
        }

        foreach (var item in entries)
        {
            if (StringMember(item, "resourceType") == "Condition" && Parse<Condition>(item) is { } condition)
            {
                conditions.Add(condition);
            }
        }

        return true;
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
        // IndexOutOfRangeException: Firely 6.8 throws it on an empty property name ("": 1) inside a resource (found by the fuzz suite).
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or DeserializationFailedException or Hl7.Fhir.Validation.CodedValidationException
            or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static string? StringMember(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
