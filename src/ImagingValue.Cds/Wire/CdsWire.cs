using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ImagingValue.Cds.Wire;

// CDS Hooks 2.0.1 wire shapes (https://cds-hooks.hl7.org/2.0/). Serialized with CdsJson.Options: camelCase, and absent
// optional members are omitted (the spec forbids null and empty values except "cards": [] and null prefetch values).

/// <summary>The discovery response: <c>{"services": [...]}</c>.</summary>
public sealed record CdsDiscoveryResponse(IReadOnlyList<CdsServiceDescriptor> Services);

/// <summary>One service in discovery.</summary>
/// <param name="Prefetch">Prefetch templates by key, e.g. <c>conditions</c> → <c>Condition?patient={{context.patientId}}</c>.</param>
public sealed record CdsServiceDescriptor(
    string Hook,
    string Id,
    string Title,
    string Description,
    IReadOnlyDictionary<string, string> Prefetch,
    string? Version = null);

/// <summary>A service call. <see cref="Context"/> and <see cref="Prefetch"/> stay JSON: their FHIR content is parsed by <see cref="Fhir.HookRequestReader"/>.</summary>
/// <param name="FhirAuthorization">Kept opaque and never logged or stored.</param>
/// <param name="Prefetch">By key; a value may be JSON null ("no data").</param>
public sealed record CdsHookRequest(
    string? Hook,
    string? HookInstance,
    string? FhirServer,
    JsonElement? FhirAuthorization,
    JsonElement? Context,
    Dictionary<string, JsonElement>? Prefetch);

/// <summary>A service response. <see cref="Cards"/> is always written, empty when there is no advice.</summary>
/// <param name="Extension">Set only in compatibility mode: <c>{"systemActions": [...]}</c> for clients that read the Argonaut PAMA place.</param>
public sealed record CdsResponse(
    IReadOnlyList<Card> Cards,
    IReadOnlyList<CdsAction>? SystemActions = null,
    IReadOnlyDictionary<string, JsonNode>? Extension = null)
{
    /// <summary>No advice.</summary>
    public static CdsResponse Empty { get; } = new([]);
}

/// <summary>The card's urgency.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CardIndicator>))]
public enum CardIndicator
{
    /// <summary>info</summary>
    [JsonStringEnumMemberName("info")]
    Info,

    /// <summary>warning</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,

    /// <summary>critical</summary>
    [JsonStringEnumMemberName("critical")]
    Critical,
}

/// <summary>How many suggestions the user may pick.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SelectionBehavior>))]
public enum SelectionBehavior
{
    /// <summary>at-most-one</summary>
    [JsonStringEnumMemberName("at-most-one")]
    AtMostOne,

    /// <summary>any</summary>
    [JsonStringEnumMemberName("any")]
    Any,
}

/// <summary>What an action does to a resource.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActionType>))]
public enum ActionType
{
    /// <summary>create</summary>
    [JsonStringEnumMemberName("create")]
    Create,

    /// <summary>update</summary>
    [JsonStringEnumMemberName("update")]
    Update,

    /// <summary>delete</summary>
    [JsonStringEnumMemberName("delete")]
    Delete,
}

/// <summary>A card. <see cref="Summary"/> is under 140 characters; <see cref="Detail"/> is GitHub Markdown.</summary>
public sealed record Card(
    string Uuid,
    string Summary,
    CardIndicator Indicator,
    CardSource Source,
    string? Detail = null,
    IReadOnlyList<Suggestion>? Suggestions = null,
    SelectionBehavior? SelectionBehavior = null,
    IReadOnlyList<CdsCoding>? OverrideReasons = null,
    IReadOnlyList<CardLink>? Links = null);

/// <summary>Who the advice comes from.</summary>
public sealed record CardSource(string Label, string? Url = null, CdsCoding? Topic = null);

/// <summary>A FHIR Coding as CDS Hooks uses it (override reasons, topics, feedback reasons).</summary>
public sealed record CdsCoding(string? System, string? Code, string? Display = null);

/// <summary>A link on a card (absolute or smart).</summary>
public sealed record CardLink(string Label, string Url, string Type);

/// <summary>One suggestion: a set of actions the user accepts together.</summary>
public sealed record Suggestion(string Label, string Uuid, IReadOnlyList<CdsAction> Actions, bool? IsRecommended = null);

/// <summary>An action on a FHIR resource. <see cref="ResourceId"/> (relative references) for delete; the whole resource for create and update.</summary>
public sealed record CdsAction(
    ActionType Type,
    string Description,
    JsonNode? Resource = null,
    IReadOnlyList<string>? ResourceId = null);

/// <summary>A feedback call: <c>{"feedback": [...]}</c>.</summary>
public sealed record CdsFeedbackRequest(IReadOnlyList<CdsFeedbackItem>? Feedback);

/// <summary>One card's outcome.</summary>
/// <param name="Outcome">accepted or overridden.</param>
/// <param name="OutcomeTimestamp">ISO 8601, UTC.</param>
public sealed record CdsFeedbackItem(
    string? Card,
    string? Outcome,
    IReadOnlyList<AcceptedSuggestion>? AcceptedSuggestions,
    OverrideReasonFeedback? OverrideReason,
    string? OutcomeTimestamp);

/// <summary>A suggestion the user accepted, by its uuid.</summary>
public sealed record AcceptedSuggestion(string? Id);

/// <summary>Why the user overrode a card: a coding from the card's override reasons, and/or a comment.</summary>
public sealed record OverrideReasonFeedback(CdsCoding? Reason, string? UserComment);

/// <summary>The serializer settings every CDS Hooks payload uses.</summary>
public static class CdsJson
{
    /// <summary>camelCase; null members omitted; lenient on numbers as strings is off (the spec's JSON is strict).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A key given twice is refused, not read as its last value: the body must mean one thing.
        AllowDuplicateProperties = false,
    };
}
