using System.Text.Json.Nodes;

namespace ImagingValue.Cds.Tests.Support;

/// <summary>
/// The CDS Hooks 2.0 invariants (HL7/cds-hooks input/fsh/invariants: cds-resp-1..7, cds-fb-1..3) and the card basics,
/// checked in C# because the HL7 validator and Inferno do not run here. Each returns the violations as "rule: path".
/// </summary>
internal static class CdsRules
{
    private static readonly string[] Indicators = ["info", "warning", "critical"];
    private static readonly string[] SelectionBehaviors = ["at-most-one", "any"];
    private static readonly string[] ActionTypes = ["create", "update", "delete"];
    private static readonly string[] LinkTypes = ["absolute", "smart"];
    private static readonly string[] Outcomes = ["accepted", "overridden"];

    /// <summary>A service response: no null or empty values, card basics, cds-resp-1..7.</summary>
    public static List<string> Response(JsonNode? response)
    {
        var found = JsonRules.NullOrEmpty(response).Select(p => $"no-null-or-empty: {p}").ToList();
        if (response is not JsonObject root || root["cards"] is not JsonArray cards)
        {
            found.Add("cards-required: $.cards");
            return found;
        }

        for (var i = 0; i < cards.Count; i++)
        {
            Card(cards[i] as JsonObject, $"$.cards[{i}]", found);
        }

        if (root["systemActions"] is JsonArray systemActions)
        {
            Actions(systemActions, "$.systemActions", found);
        }

        return found;
    }

    /// <summary>A feedback request: cds-fb-1..3, plus the members every item needs.</summary>
    public static List<string> Feedback(JsonNode? request)
    {
        var found = new List<string>();
        if (request?["feedback"] is not JsonArray items || items.Count == 0)
        {
            found.Add("feedback-required: $.feedback");
            return found;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var path = $"$.feedback[{i}]";
            var item = items[i] as JsonObject;
            if (Text(item, "card") is null)
            {
                found.Add($"card-required: {path}.card");
            }

            var outcome = Text(item, "outcome");
            if (!Outcomes.Contains(outcome))
            {
                found.Add($"cds-fb-1: {path}.outcome");
            }

            if (outcome == "accepted" && item?["acceptedSuggestions"] is not JsonArray { Count: > 0 })
            {
                found.Add($"cds-fb-2: {path}.acceptedSuggestions");
            }

            if (item?["overrideReason"] is { } reason && reason["reason"] is null && Text(reason as JsonObject, "userComment") is null)
            {
                found.Add($"cds-fb-3: {path}.overrideReason");
            }

            if (!DateTimeOffset.TryParse(Text(item, "outcomeTimestamp"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            {
                found.Add($"outcomeTimestamp-required: {path}.outcomeTimestamp");
            }
        }

        return found;
    }

    private static void Card(JsonObject? card, string path, List<string> found)
    {
        if (card is null)
        {
            found.Add($"card-object: {path}");
            return;
        }

        if (Text(card, "summary") is not { Length: > 0 and < 140 })
        {
            found.Add($"summary-under-140: {path}.summary");
        }

        if (!Indicators.Contains(Text(card, "indicator")))
        {
            found.Add($"indicator-enum: {path}.indicator");
        }

        if (Text(card["source"] as JsonObject, "label") is null)
        {
            found.Add($"source-label: {path}.source.label");
        }

        // Optional in the spec, but feedback needs it, and every card of ours asks for feedback.
        if (!Guid.TryParse(Text(card, "uuid"), out _))
        {
            found.Add($"uuid: {path}.uuid");
        }

        var behavior = Text(card, "selectionBehavior");
        if (behavior is not null && !SelectionBehaviors.Contains(behavior))
        {
            found.Add($"selectionBehavior-enum: {path}.selectionBehavior");
        }

        if (card["suggestions"] is JsonArray suggestions)
        {
            if (behavior is null)
            {
                found.Add($"cds-resp-6: {path}.selectionBehavior");
            }

            var recommended = suggestions.Count(s => s?["isRecommended"] is JsonValue v && v.TryGetValue<bool>(out var b) && b);
            if (behavior == "at-most-one" && recommended > 1)
            {
                found.Add($"cds-resp-1: {path}.suggestions");
            }

            for (var i = 0; i < suggestions.Count; i++)
            {
                var suggestion = suggestions[i] as JsonObject;
                var at = $"{path}.suggestions[{i}]";
                if (Text(suggestion, "label") is null)
                {
                    found.Add($"suggestion-label: {at}.label");
                }

                var actionBehavior = Text(suggestion, "actionSelectionBehavior");
                if (actionBehavior is not null && !SelectionBehaviors.Contains(actionBehavior))
                {
                    found.Add($"cds-resp-7: {at}.actionSelectionBehavior");
                }

                if (suggestion?["actions"] is JsonArray actions)
                {
                    Actions(actions, $"{at}.actions", found);
                }
            }
        }

        if (card["overrideReasons"] is JsonArray reasons)
        {
            for (var i = 0; i < reasons.Count; i++)
            {
                if (Text(reasons[i] as JsonObject, "display") is null)
                {
                    found.Add($"cds-resp-4: {path}.overrideReasons[{i}].display");
                }

                if (Text(reasons[i] as JsonObject, "code") is null || Text(reasons[i] as JsonObject, "system") is null)
                {
                    found.Add($"coding-system-code: {path}.overrideReasons[{i}]");
                }
            }
        }

        if (card["links"] is JsonArray links)
        {
            for (var i = 0; i < links.Count; i++)
            {
                var link = links[i] as JsonObject;
                var type = Text(link, "type");
                if (!LinkTypes.Contains(type) || Text(link, "label") is null || !Uri.TryCreate(Text(link, "url"), UriKind.Absolute, out _))
                {
                    found.Add($"link: {path}.links[{i}]");
                }

                if (link?["appContext"] is not null && type != "smart")
                {
                    found.Add($"cds-resp-3: {path}.links[{i}].appContext");
                }
            }
        }
    }

    private static void Actions(JsonArray actions, string path, List<string> found)
    {
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i] as JsonObject;
            var at = $"{path}[{i}]";
            var type = Text(action, "type");
            if (!ActionTypes.Contains(type))
            {
                found.Add($"action-type-enum: {at}.type");
            }

            if (Text(action, "description") is null)
            {
                found.Add($"cds-resp-5: {at}.description");
            }

            if (type == "delete" && action?["resourceId"] is not JsonArray { Count: > 0 })
            {
                found.Add($"cds-resp-2: {at}.resourceId");
            }

            // Creates and updates carry the whole resource: at least its type, and an update its id.
            if (type is "create" or "update" && (action?["resource"] is not JsonObject resource || Text(resource, "resourceType") is null
                || (type == "update" && Text(resource, "id") is null)))
            {
                found.Add($"whole-resource: {at}.resource");
            }
        }
    }

    private static string? Text(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
