using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ImagingValue.Cds.Fhir;
using ImagingValue.Cds.Wire;
using ImagingValue.Core.Alerts;
using ImagingValue.Core.Data;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Screening;

namespace ImagingValue.Cds.Services;

/// <summary>Builds the warning card for an order the screener included: the exam, the indication, no red flag.</summary>
public sealed class CardBuilder
{
    /// <summary>Override reasons: the protocol's red flags by id, and <see cref="OtherCode"/>.</summary>
    public const string OverrideReasonSystem = "urn:imaging-value:cds:override-reason";

    /// <summary>The card's topic: the protocol, by id.</summary>
    public const string ProtocolSystem = "urn:imaging-value:cds:protocol";

    /// <summary>The override reason for anything the red flags do not cover.</summary>
    public const string OtherCode = "other";

    /// <summary>The card's source label.</summary>
    public const string SourceLabel = "ImagingValue imaging appropriateness";

    private const int MaxSummary = 139;

    private readonly Protocol _protocol;
    private readonly Func<Guid> _newGuid;

    /// <param name="newGuid">Makes card, suggestion and consult ids; tests may fix it.</param>
    public CardBuilder(Protocol protocol, Func<Guid>? newGuid = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        _protocol = protocol;
        _newGuid = newGuid ?? Guid.NewGuid;
    }

    /// <summary>A new unique id, as a bare UUID.</summary>
    public string NewId() => _newGuid().ToString("D");

    /// <summary>The warning card for <paramref name="order"/>, screened <see cref="Decision.Included"/>.</summary>
    /// <param name="notes">Caveats to show, e.g. conditions coded only in SNOMED CT that were not checked.</param>
    /// <param name="evidence">This site's latest audit of the protocol; null when there is none.</param>
    /// <param name="screened">The order as screened (its reason text and codes choose the advice).</param>
    public Card Warning(DraftOrder order, ImagingOrder screened, ScreeningDecision decision, IReadOnlyList<string> notes, LocalEvidence? evidence = null)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(screened);
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(notes);
        var summary = Shorten($"{Capitalize(_protocol.TargetExam.Label)} for {_protocol.Indication.Label} without red flags: imaging rarely changes management");
        // The advice for this order's reason, worked out once for the detail and the links.
        var advice = _protocol.Card?.For(screened.Indication, screened.ReasonCodes);
        return new Card(
            Uuid: NewId(),
            Summary: summary,
            Indicator: CardIndicator.Warning,
            Source: new CardSource(SourceLabel, SourceUrl(), new CdsCoding(ProtocolSystem, _protocol.Id, _protocol.Title)),
            Detail: Detail(decision, notes, evidence, advice),
            Suggestions: Suggestions(order, screened),
            SelectionBehavior: Wire.SelectionBehavior.AtMostOne,
            OverrideReasons: OverrideReasons(),
            Links: Links(advice));
    }

    /// <summary>
    /// The info card for a target order with no indication at all (no reason text, no diagnosis code): appropriateness
    /// cannot be judged, so there is no rating (Argonaut PAMA: insufficient information), only a request for the reason.
    /// </summary>
    public Card MissingIndication(DraftOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        // The protocol's own guideline basis when it gives one: the reason a missing indication matters.
        var basis = _protocol.Card?.Basis ?? $"For {_protocol.Indication.Label} without red flags, imaging is usually not appropriate.";
        var detail = $"This order is {_protocol.TargetExam.Label} and has no reason for exam. "
            + $"Add the indication (the reason for the exam, in words or as a coded diagnosis) so its appropriateness can be checked. {basis}";
        return new Card(
            Uuid: NewId(),
            Summary: Shorten($"Add the reason for this {_protocol.TargetExam.Label}: appropriateness cannot be checked without one"),
            Indicator: CardIndicator.Info,
            Source: new CardSource(SourceLabel, SourceUrl(), new CdsCoding(ProtocolSystem, _protocol.Id, _protocol.Title)),
            Detail: detail);
    }

    /// <summary>The protocol's red flags (a reason the exam is appropriate after all), then "other".</summary>
    public IReadOnlyList<CdsCoding> OverrideReasons() =>
        [.. _protocol.RedFlags.Select(f => new CdsCoding(OverrideReasonSystem, f.Id, f.Label)),
         new CdsCoding(OverrideReasonSystem, OtherCode, "Other reason (please comment)")];

    private string Detail(ScreeningDecision decision, IReadOnlyList<string> notes, LocalEvidence? evidence, CardAdvice? advice)
    {
        var md = new StringBuilder();
        md.Append("**Why this alert:** this order is ").Append(_protocol.TargetExam.Label)
          .Append(" for ").Append(_protocol.Indication.Label)
          .Append(", and no red flag shows in the order's reason or in the patient's conditions known now.\n\n");
        if (evidence is not null)
        {
            md.Append(evidence.Sentence()).Append("\n\n");
        }

        if (_protocol.Card is { } card)
        {
            md.Append("**Guideline basis:** ").Append(card.Basis);
            var cited = _protocol.SourcesOf(card.BasisSources);
            if (cited.Count > 0)
            {
                md.Append(" (").AppendJoin("; ", cited.Select(s => $"[{s.Title}]({s.Url.AbsoluteUri})")).Append(')');
            }

            md.Append("\n\n");
            if (advice is not null)
            {
                md.Append("**What to do instead:** ").Append(advice.Text).Append("\n\n");
            }
        }

        md.Append("**Red flags that make the exam appropriate** (choose one as the override reason):\n\n");
        foreach (var flag in _protocol.RedFlags)
        {
            md.Append("- ").Append(flag.Label).Append('\n');
        }

        md.Append("\n**What was read**\n\n");
        foreach (var line in decision.Evidence.Select(Describe).Distinct(StringComparer.Ordinal))
        {
            md.Append("- ").Append(line).Append('\n');
        }

        foreach (var note in notes)
        {
            md.Append("\n_Note: ").Append(note).Append("_\n");
        }

        return md.ToString().TrimEnd('\n');
    }

    /// <summary>One piece of screening evidence in a clinician's words: labels instead of ids, the reason it did not count.</summary>
    private string Describe(ScreeningEvidence e)
    {
        var what = e.Source switch
        {
            EvidenceSource.ReasonCode => $"Diagnosis code {e.Code}",
            EvidenceSource.ConditionCode => $"Condition {e.Code}",
            EvidenceSource.ConditionText or EvidenceSource.Indication when e.Text is not null => $"\"{ScreeningEvidenceFormatter.Quote(e.Text).Replace("\n", " ", StringComparison.Ordinal)}\"",
            _ => "The order's reason",
        };
        var about = FlagLabel(e.For);
        if (e.Role != EvidenceRole.Ignored)
        {
            return $"{what}: {about}";
        }

        var why = new List<string>();
        foreach (var (flag, words) in IgnoredBecause)
        {
            if ((e.Qualifiers & flag) != 0)
            {
                why.Add(words);
            }
        }

        if ((e.Qualifiers & EvidenceQualifiers.DaysBeforeOrder) != 0 && e.DaysBeforeOrder is { } days)
        {
            why.Add(string.Create(CultureInfo.InvariantCulture, $"{days} days before the order"));
        }

        if (e.Source == EvidenceSource.ConditionCode && e.Since is null)
        {
            why.Add(e.KnownFrom is null ? "no onset or recorded date" : "recorded after the order");
        }

        return $"{what}: not counted as {Lower(about)}" + (why.Count == 0 ? string.Empty : $" ({string.Join(", ", why)})");
    }

    private static readonly (EvidenceQualifiers Flag, string Words)[] IgnoredBecause =
    [
        (EvidenceQualifiers.Negated, "negated"),
        (EvidenceQualifiers.OtherPerson, "about someone else"),
        (EvidenceQualifiers.Hypothetical, "hypothetical"),
        (EvidenceQualifiers.SuspectedOnly, "only suspected"),
        (EvidenceQualifiers.Historical, "in the past"),
        (EvidenceQualifiers.Undated, "undated"),
    ];

    /// <summary>A red flag's label, or the indication's label for evidence that speaks for the indication (by its concept or label).</summary>
    private string FlagLabel(string? id) =>
        _protocol.RedFlags.FirstOrDefault(f => f.Id == id)?.Label ?? _protocol.Indication.Label;

    /// <summary>
    /// Where the source label leads: the guideline the card rests on. Without a URL, clients (the CDS Hooks sandbox)
    /// render the label as a link to <c>#</c>.
    /// </summary>
    private string? SourceUrl() => _protocol.SourcesOf(_protocol.Card?.BasisSources ?? []) is [var first, ..] ? first.Url.AbsoluteUri : null;

    /// <summary>Every source the card cites (basis, advice, red flags), in the protocol's order, as links.</summary>
    private List<CardLink>? Links(CardAdvice? advice)
    {
        var ids = (_protocol.Card?.BasisSources ?? []).Concat(advice?.Sources ?? []).Concat(_protocol.RedFlags.SelectMany(f => f.Sources ?? []));
        var links = _protocol.SourcesOf(ids).Select(s => new CardLink(s.Title, s.Url.AbsoluteUri, "absolute")).ToList();
        return links.Count == 0 ? null : links;
    }

    private static string Lower(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];

    /// <summary>Cancel the order, then each order the protocol's card offers instead for this order's reason.</summary>
    private List<Suggestion> Suggestions(DraftOrder order, ImagingOrder screened)
    {
        var delete = new CdsAction(ActionType.Delete, "Cancel this draft order", ResourceId: [order.Reference]);
        var alternatives = _protocol.Card?.AlternativesFor(screened.Indication, screened.ReasonCodes) ?? [];
        return
        [
            new Suggestion(_protocol.Card?.Cancel ?? "Cancel this order", NewId(), [delete]),
            .. alternatives.Select(a => new Suggestion(
                a.Label,
                NewId(),
                [delete, new CdsAction(ActionType.Create, a.Action, Replacement(order, a.System, a.Code, a.Display, a.Text))])),
        ];
    }

    /// <summary>A draft ServiceRequest for the same patient, encounter and reasons as <paramref name="order"/>.</summary>
    private JsonObject Replacement(DraftOrder order, string system, string code, string display, string text)
    {
        var resource = new JsonObject
        {
            ["resourceType"] = "ServiceRequest",
            ["id"] = NewId(),
            ["status"] = "draft",
            ["intent"] = order.Json["intent"]?.DeepClone() ?? "order",
            ["code"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code, ["display"] = display }),
                ["text"] = text,
            },
        };
        foreach (var member in new[] { "subject", "encounter", "reasonCode", "requester" })
        {
            if (order.Json[member] is { } value)
            {
                resource[member] = value.DeepClone();
            }
        }

        return resource;
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Shorten(string text) => text.Length <= MaxSummary ? text : text[..(MaxSummary - 1)].TrimEnd() + "…";
}
