using System.Text.Json.Nodes;
using ImagingValue.Cds.Fhir;
using ImagingValue.Cds.Wire;
using ImagingValue.Core.Alerts;
using ImagingValue.Core.Data;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Screening;

namespace ImagingValue.Cds.Services;

/// <summary>Settings of the CDS service.</summary>
/// <param name="CompatExtensionSystemActions">Also place the rating actions in <c>extension.systemActions</c> (the Argonaut PAMA place, which the CDS Hooks sandbox reads).</param>
public sealed record CdsServiceOptions(bool CompatExtensionSystemActions = false);

/// <summary>How an evaluation ended.</summary>
public enum CdsOutcome
{
    /// <summary>The response holds the advice (possibly none).</summary>
    Advised,

    /// <summary>Data the service needs is neither prefetched nor fetchable: answer 412.</summary>
    PreconditionFailed,

    /// <summary>Prefetch was missing and the FHIR server gave no usable answer in time: no advice, fail open.</summary>
    FhirServerNotQueried,
}

/// <summary>The result of one call: the response to send, or why there is none.</summary>
/// <param name="Rated">Every target order that got a rating, for the alert log.</param>
public sealed record CdsEvaluation(CdsOutcome Outcome, CdsResponse Response, string? Message, IReadOnlyList<RatedOrder> Rated);

/// <summary>One target order the service rated.</summary>
/// <param name="Reference">The draft order, e.g. <c>ServiceRequest/123</c>.</param>
/// <param name="Rating">The Argonaut PAMA rating code.</param>
/// <param name="ConsultId">The unique consult id attached with the rating (a bare UUID).</param>
/// <param name="CardUuid">The warning card shown for this order, if any.</param>
/// <param name="Provider">The requester as the order names it (display, else reference), if given.</param>
/// <param name="Identified">Whether the draft order has an id of its own (without one, the reference is its position in the call).</param>
public sealed record RatedOrder(string Reference, string Rating, string ConsultId, string? CardUuid, string? Provider, bool Identified = true);

/// <summary>
/// One protocol as a CDS service: screens the hook's draft orders with the audit's own <see cref="Screener"/>, so the
/// point-of-order card and the audit never disagree, and rates each target order (Argonaut PAMA). Thread-safe.
/// </summary>
public sealed class OrderAppropriatenessService
{
    /// <summary>
    /// The most cards one call answers (CDS Hooks asks for few, actionable cards). Orders past it are still rated
    /// (their actions and the alert log), without a card.
    /// </summary>
    public const int MaxCards = 10;

    private readonly Screener _screener;
    private readonly CardBuilder _cards;
    private readonly TimeProvider _time;
    private readonly CdsServiceOptions _options;

    public OrderAppropriatenessService(ProtocolRuntime protocol, TimeProvider time, CdsServiceOptions options, Func<Guid>? newGuid = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _screener = protocol.Screener;
        _cards = new CardBuilder(protocol.Protocol, newGuid);
        _time = time;
        _options = options;
    }

    public Protocol Protocol => _screener.Protocol;

    /// <summary>The service id for a hook: <c>&lt;protocol&gt;-select</c> or <c>&lt;protocol&gt;-sign</c>.</summary>
    public string ServiceId(string hook) => hook == Hooks.OrderSelect ? $"{Protocol.Id}-select" : $"{Protocol.Id}-sign";

    /// <summary>The discovery entries: one per hook, with distinct ids (the sandbox keys services by id).</summary>
    public IReadOnlyList<CdsServiceDescriptor> Descriptors()
    {
        var prefetch = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [HookRequestReader.PatientKey] = "Patient/{{context.patientId}}",
            [HookRequestReader.ConditionsKey] = "Condition?patient={{context.patientId}}",
        };
        return
        [
            new CdsServiceDescriptor(Hooks.OrderSelect, ServiceId(Hooks.OrderSelect), $"{Protocol.Title} (order-select)",
                $"Warns when a selected order is {Protocol.TargetExam.Label} for {Protocol.Indication.Label} without a red flag, and rates it. {Protocol.Description}", prefetch, "1"),
            new CdsServiceDescriptor(Hooks.OrderSign, ServiceId(Hooks.OrderSign), $"{Protocol.Title} (order-sign)",
                $"Warns at signing when a draft order is {Protocol.TargetExam.Label} for {Protocol.Indication.Label} without a red flag, and rates it. {Protocol.Description}", prefetch, "1"),
        ];
    }

    /// <summary>
    /// Whether the call lacks the patient's conditions (prefetch absent or failed) while some evaluated order is the
    /// target exam: only then are they worth fetching.
    /// </summary>
    public bool NeedsConditions(HookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ConditionsState is not (PrefetchState.Absent or PrefetchState.Failed))
        {
            return false;
        }

        var now = _time.GetLocalNow().DateTime;
        return request.Orders.Any(d => _screener.IsTargetExam(ScreeningInputMapper.ToImagingOrder(d, request.PatientId, request.Patient, now)));
    }

    /// <summary>Evaluates the orders of one call.</summary>
    /// <param name="evidence">This site's latest audit of the protocol, cited on the card; null when there is none.</param>
    /// <param name="cancellationToken">The call's deadline: the screening stops between orders and between sentences of their text.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public CdsEvaluation Evaluate(HookRequest request, LocalEvidence? evidence = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetLocalNow().DateTime;
        var screened = request.Orders
            .Select(d => (Draft: d, Order: ScreeningInputMapper.ToImagingOrder(d, request.PatientId, request.Patient, now)))
            .ToList();
        RatedOrder[] noRatings = [];

        // Conditions matter only for a target exam; only then is a missing prefetch a problem.
        var anyTarget = screened.Any(s => _screener.IsTargetExam(s.Order));
        if (!anyTarget)
        {
            return new CdsEvaluation(CdsOutcome.Advised, CdsResponse.Empty, null, noRatings);
        }

        if (request.ConditionsState is PrefetchState.Absent or PrefetchState.Failed)
        {
            var what = request.ConditionsState == PrefetchState.Absent ? "was not sent" : "failed (OperationOutcome)";
            return request.FhirServer is null
                ? new CdsEvaluation(CdsOutcome.PreconditionFailed, CdsResponse.Empty,
                    $"The '{HookRequestReader.ConditionsKey}' prefetch {what} and no fhirServer was given: the patient's conditions are needed to check for red flags.", noRatings)
                : new CdsEvaluation(CdsOutcome.FhirServerNotQueried, CdsResponse.Empty,
                    $"The '{HookRequestReader.ConditionsKey}' prefetch {what} and fhirServer was not queried.", noRatings);
        }

        var cards = new List<Card>();
        var actions = new List<CdsAction>();
        var ratings = new List<RatedOrder>();
        foreach (var (draft, order) in screened)
        {
            var (conditions, unmapped) = ScreeningInputMapper.ToPatientConditions(request.Conditions, order.PatientId, DateOnly.FromDateTime(order.OrderedAt));
            cancellationToken.ThrowIfCancellationRequested();
            var decision = _screener.Screen(order, conditions, cancellationToken);
            if (!decision.IsTargetExam)
            {
                continue;
            }

            Card? warning = null;
            var roomForACard = cards.Count < MaxCards;
            if (decision.Decision == Decision.Included && roomForACard)
            {
                var notes = unmapped == 0
                    ? Array.Empty<string>()
                    : [$"{unmapped} of the patient's conditions are coded in neither ICD-10-CM nor SNOMED CT: only their text, where given, was checked for red flags."];
                warning = _cards.Warning(draft, order, decision, notes, evidence);
                cards.Add(warning);
            }

            else if (roomForACard && decision.Reason == Protocol.NoQualifyingIndication && string.IsNullOrWhiteSpace(order.Indication) && order.ReasonCodes.Count == 0)
            {
                cards.Add(_cards.MissingIndication(draft));
            }

            if (Rating(order, decision) is { } rating)
            {
                var consultId = _cards.NewId();
                var requester = draft.Resource.Requester;
                ratings.Add(new RatedOrder(draft.Reference, rating, consultId, warning?.Uuid, requester?.Display ?? requester?.Reference, draft.Json["id"] is not null));
                var rated = PamaRating.Rate(draft.Json, rating, $"urn:uuid:{consultId}");
                actions.Add(new CdsAction(ActionType.Update, $"Attach the appropriateness rating '{rating}' to {draft.Reference}", rated));
            }
        }

        var extension = _options.CompatExtensionSystemActions && actions.Count > 0
            ? new Dictionary<string, JsonNode>(StringComparer.Ordinal) { ["systemActions"] = System.Text.Json.JsonSerializer.SerializeToNode(actions, CdsJson.Options)! }
            : null;
        var response = new CdsResponse(cards, actions.Count > 0 ? actions : null, extension);
        return new CdsEvaluation(CdsOutcome.Advised, response, null, ratings);
    }

    /// <summary>
    /// The PAMA rating: included (no red flag, the protocol's indication) is not appropriate; a red flag makes it
    /// appropriate; another indication is outside the criteria; no indication at all gets no rating (insufficient information).
    /// </summary>
    private static string? Rating(ImagingOrder order, ScreeningDecision decision) => decision.Decision switch
    {
        Decision.Included => PamaRating.NotAppropriate,
        Decision.Excluded when decision.Reason != Protocol.NoQualifyingIndication => PamaRating.Appropriate,
        Decision.Excluded when !string.IsNullOrWhiteSpace(order.Indication) || order.ReasonCodes.Count > 0 => PamaRating.NoCriteriaApply,
        _ => null,
    };
}
