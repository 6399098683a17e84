namespace ImagingValue.Core.Alerts;

/// <summary>
/// One target order the point-of-order service evaluated and rated: the alert (when a warning card was shown) and the
/// appropriateness rating, with the identifiers that tie it to the EHR's call and to later feedback.
/// </summary>
/// <param name="ConsultId">The unique <c>pama-rating-consult-id</c> attached to the order.</param>
/// <param name="ReceivedAt">When the service answered, UTC.</param>
/// <param name="ServiceId">The CDS service, e.g. <c>sacrum-mri-lbp-select</c>.</param>
/// <param name="ProtocolId">The protocol whose screening decided.</param>
/// <param name="Hook"><c>order-select</c> or <c>order-sign</c>.</param>
/// <param name="HookInstance">The EHR's id of this hook call.</param>
/// <param name="Jti">The JWT id of the call; null in dev mode.</param>
/// <param name="OrderReference">The draft order, e.g. <c>ServiceRequest/123</c>.</param>
/// <param name="Rating"><c>appropriate</c>, <c>not-appropriate</c> or <c>no-criteria-apply</c>.</param>
/// <param name="CardUuid">The warning card's uuid when one was shown; null when the order was rated without a warning.</param>
/// <param name="Provider">The ordering clinician as the order names them (requester display or reference), when given.</param>
/// <param name="Department">The ordering department when the request carries one.</param>
/// <param name="PatientId">The call's <c>context.patientId</c> (an identifier: stored, never logged); null in rows kept before it was recorded.</param>
/// <param name="EncounterId">The call's <c>context.encounterId</c>, when sent.</param>
/// <param name="OrderIdentified">Whether the draft order had an id of its own; false when <see cref="OrderReference"/> is only its position in the call.</param>
public sealed record PointOfOrderAlert(
    string ConsultId,
    DateTimeOffset ReceivedAt,
    string ServiceId,
    string ProtocolId,
    string Hook,
    string HookInstance,
    string? Jti,
    string OrderReference,
    string Rating,
    string? CardUuid,
    string? Provider,
    string? Department,
    string? PatientId = null,
    string? EncounterId = null,
    bool OrderIdentified = true)
{
    /// <summary>True when the clinician saw a warning card for this order.</summary>
    public bool Warned => CardUuid is not null;

    /// <summary>
    /// The order this alert is about, the same for every call its edits fire (each edit of a draft fires order-select
    /// again with a new hookInstance): protocol, patient, encounter and the draft ServiceRequest's id. An alert that
    /// cannot name its order that way (kept before patients were recorded, or a draft with no id) is an order of its own.
    /// </summary>
    public string OrderKey => PatientId is null || !OrderIdentified
        ? $"consult\n{ConsultId}"
        : $"order\n{ProtocolId}\n{PatientId}\n{EncounterId}\n{OrderReference}";
}

/// <summary>One card outcome as the clinician's EHR reported it (CDS Hooks feedback).</summary>
/// <param name="ServiceId">The service that issued the card.</param>
/// <param name="CardUuid">The card's uuid.</param>
/// <param name="Outcome"><c>accepted</c> or <c>overridden</c>.</param>
/// <param name="OutcomeTimestamp">When the clinician acted, UTC.</param>
/// <param name="AcceptedSuggestions">The uuids of the accepted suggestions (accepted only).</param>
/// <param name="OverrideReasonSystem">The override reason's code system, when one was chosen.</param>
/// <param name="OverrideReasonCode">The override reason's code, e.g. a red flag id such as <c>tumor</c>.</param>
/// <param name="UserComment">Free text; may hold PHI: store, never log.</param>
/// <param name="ReceivedAt">When the service received it.</param>
public sealed record AlertFeedback(
    string ServiceId,
    string CardUuid,
    string Outcome,
    DateTimeOffset OutcomeTimestamp,
    IReadOnlyList<string> AcceptedSuggestions,
    string? OverrideReasonSystem,
    string? OverrideReasonCode,
    string? UserComment,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The outcome a clinician accepted the advice with.</summary>
    public const string Accepted = "accepted";

    /// <summary>The outcome a clinician went ahead with the order despite the advice.</summary>
    public const string Overridden = "overridden";
}

/// <summary>
/// Where point-of-order alerts and their feedback are kept, so the monitor can count them. Feedback is idempotent:
/// the same card, outcome and outcome time is stored once (EHRs retry).
/// </summary>
public interface IAlertLog
{
    /// <summary>Stores the rated orders of one call.</summary>
    Task RecordAsync(IReadOnlyList<PointOfOrderAlert> alerts, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="serviceId"/> issued a card <paramref name="cardUuid"/> among the stored alerts: feedback
    /// is kept only for cards the service gave.
    /// </summary>
    Task<bool> IsCardIssuedAsync(string serviceId, string cardUuid, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="feedback"/> unless already stored; true when it was new.</summary>
    Task<bool> AddFeedbackAsync(AlertFeedback feedback, CancellationToken cancellationToken);

    /// <summary>Every stored alert, in the order received.</summary>
    Task<IReadOnlyList<PointOfOrderAlert>> ListAlertsAsync(CancellationToken cancellationToken);

    /// <summary>Every stored feedback, in the order received.</summary>
    Task<IReadOnlyList<AlertFeedback>> ListFeedbackAsync(CancellationToken cancellationToken);
}
