using System.Globalization;
using System.Text.Json;
using ImagingValue.Cds.Fhir;
using ImagingValue.Core.Alerts;

namespace ImagingValue.Cds.Wire;

/// <summary>The records of a feedback call, or the one readable reason it is refused.</summary>
public sealed record FeedbackReadResult(IReadOnlyList<AlertFeedback>? Records, string? Error)
{
    public static FeedbackReadResult Ok(IReadOnlyList<AlertFeedback> records) => new(records, null);

    public static FeedbackReadResult Invalid(string error) => new(null, error);
}

/// <summary>
/// Reads a CDS Hooks feedback body (<c>{"feedback": [...]}</c>) into records, checking the feedback rules (cds-fb-1..3).
/// Every malformed body is an error value, never an exception: the body comes from outside.
/// </summary>
public static class FeedbackReader
{
    /// <param name="body">The request body as text.</param>
    /// <param name="serviceId">The service the feedback is for.</param>
    /// <param name="receivedAt">When the service received it.</param>
    public static FeedbackReadResult Read(string body, string serviceId, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(body);
        CdsFeedbackRequest? feedback;
        try
        {
            feedback = JsonSerializer.Deserialize<CdsFeedbackRequest>(body, CdsJson.Options);
        }
        catch (JsonException)
        {
            return FeedbackReadResult.Invalid("The feedback body is not valid JSON of the CDS Hooks feedback shape.");
        }
        catch (ArgumentException ex) when (ex.InnerException is System.Text.EncoderFallbackException)
        {
            // A raw unpaired surrogate in the text (found by the fuzz suite): System.Text.Json cannot transcode it.
            return FeedbackReadResult.Invalid(HookRequestReader.NotUnicode);
        }

        if (feedback?.Feedback is not { Count: > 0 } items)
        {
            return FeedbackReadResult.Invalid("'feedback' must be a non-empty array.");
        }

        var records = new List<AlertFeedback>();
        foreach (var item in items)
        {
            if (Validate(item, out var outcomeAt) is { } error)
            {
                return FeedbackReadResult.Invalid(error);
            }

            records.Add(new AlertFeedback(
                serviceId,
                item!.Card!,
                item.Outcome!,
                outcomeAt.ToUniversalTime(),
                [.. (item.AcceptedSuggestions ?? []).Select(s => s.Id!)],
                item.OverrideReason?.Reason?.System,
                item.OverrideReason?.Reason?.Code,
                item.OverrideReason?.UserComment,
                receivedAt));
        }

        return FeedbackReadResult.Ok(records);
    }

    /// <summary>The CDS Hooks feedback rules (cds-fb-1..3) for one item; null when valid, with its outcome time.</summary>
    private static string? Validate(CdsFeedbackItem? item, out DateTimeOffset outcomeAt)
    {
        outcomeAt = default;
        if (item is null)
        {
            return "Each feedback must be an object.";
        }

        if (string.IsNullOrWhiteSpace(item.Card))
        {
            return "Each feedback needs 'card' (the card's uuid).";
        }

        if (HookRequestReader.Identifier(item.Card, "card") is { } badCard)
        {
            return badCard;
        }

        if (item.Outcome is not ("accepted" or "overridden"))
        {
            return "'outcome' must be 'accepted' or 'overridden'.";
        }

        if (item.Outcome == "accepted" && (item.AcceptedSuggestions is not { Count: > 0 } accepted || accepted.Any(s => s is null || string.IsNullOrWhiteSpace(s.Id) || HookRequestReader.Identifier(s.Id, "acceptedSuggestions.id") is not null)))
        {
            return "An 'accepted' outcome needs 'acceptedSuggestions' with their ids.";
        }

        // cds-fb-3: an override reason says something, a coded reason or a comment; an empty one is a malformed call.
        if (item.OverrideReason is { } reason && reason.Reason is null && string.IsNullOrWhiteSpace(reason.UserComment))
        {
            return "'overrideReason' needs 'reason' or 'userComment'.";
        }

        if (item.OutcomeTimestamp is null
            || !DateTimeOffset.TryParse(item.OutcomeTimestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out outcomeAt))
        {
            return "'outcomeTimestamp' must be an ISO 8601 instant.";
        }

        return null;
    }
}
