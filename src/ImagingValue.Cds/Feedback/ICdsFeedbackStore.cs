namespace ImagingValue.Cds.Feedback;

/// <summary>One card outcome as the clinician's EHR reported it.</summary>
/// <param name="ServiceId">The service that issued the card.</param>
/// <param name="CardUuid">The card's uuid.</param>
/// <param name="Outcome">accepted or overridden.</param>
/// <param name="OutcomeTimestamp">When the clinician acted, UTC.</param>
/// <param name="AcceptedSuggestions">The uuids of the accepted suggestions (accepted only).</param>
/// <param name="OverrideReasonSystem">The override reason's code system, when one was chosen.</param>
/// <param name="OverrideReasonCode">The override reason's code, e.g. a red flag id such as <c>tumor</c>.</param>
/// <param name="UserComment">Free text; may hold PHI: store, never log.</param>
/// <param name="ReceivedAt">When this service received it.</param>
public sealed record CdsFeedbackRecord(
    string ServiceId,
    string CardUuid,
    string Outcome,
    DateTimeOffset OutcomeTimestamp,
    IReadOnlyList<string> AcceptedSuggestions,
    string? OverrideReasonSystem,
    string? OverrideReasonCode,
    string? UserComment,
    DateTimeOffset ReceivedAt);

/// <summary>Where card outcomes go. Idempotent: the same card, outcome and outcome timestamp are stored once.</summary>
public interface ICdsFeedbackStore
{
    /// <summary>Stores <paramref name="record"/> unless already stored; true when it was new.</summary>
    Task<bool> AddAsync(CdsFeedbackRecord record, CancellationToken cancellationToken);

    /// <summary>Every stored outcome, in arrival order.</summary>
    Task<IReadOnlyList<CdsFeedbackRecord>> ListAsync(CancellationToken cancellationToken);
}
