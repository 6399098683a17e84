using System.Text;
using System.Text.Json.Nodes;
using ImagingValue.Cds.Fhir;
using ImagingValue.Cds.Wire;
using ImagingValue.Core.Alerts;
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

    /// <summary>CPT, for the alternative exam.</summary>
    public const string CptSystem = "http://www.ama-assn.org/go/cpt";

    /// <summary>Radiologic examination, sacrum and coccyx, minimum of 2 views.</summary>
    public const string SacrumCoccyxRadiographsCpt = "72220";

    /// <summary>SNOMED CT: physical therapy procedure.</summary>
    public const string PhysicalTherapySnomed = "91251008";

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
    public Card Warning(DraftOrder order, ScreeningDecision decision, IReadOnlyList<string> notes, LocalEvidence? evidence = null)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(notes);
        var summary = Shorten($"{Capitalize(_protocol.TargetExam.Label)} for {_protocol.Indication.Label} without red flags: imaging rarely changes management");
        return new Card(
            Uuid: NewId(),
            Summary: summary,
            Indicator: CardIndicator.Warning,
            Source: new CardSource(SourceLabel, Topic: new CdsCoding(ProtocolSystem, _protocol.Id, _protocol.Title)),
            Detail: Detail(decision, notes, evidence),
            Suggestions: Suggestions(order),
            SelectionBehavior: Wire.SelectionBehavior.AtMostOne,
            OverrideReasons: OverrideReasons());
    }

    /// <summary>
    /// The info card for a target order with no indication at all (no reason text, no diagnosis code): appropriateness
    /// cannot be judged, so there is no rating (Argonaut PAMA: insufficient information), only a request for the reason.
    /// </summary>
    public Card MissingIndication(DraftOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var detail = $"This order ({order.Reference}) is {_protocol.TargetExam.Label} and has no reason for exam. "
            + $"Add the indication (text or ICD-10-CM code) so its appropriateness can be checked: for {_protocol.Indication.Label} "
            + "without red flags, imaging is usually not appropriate (ACR Appropriateness Criteria, Low Back Pain).";
        return new Card(
            Uuid: NewId(),
            Summary: Shorten($"Add the reason for this {_protocol.TargetExam.Label}: appropriateness cannot be checked without one"),
            Indicator: CardIndicator.Info,
            Source: new CardSource(SourceLabel, Topic: new CdsCoding(ProtocolSystem, _protocol.Id, _protocol.Title)),
            Detail: detail);
    }

    /// <summary>The protocol's red flags (a reason the exam is appropriate after all), then "other".</summary>
    public IReadOnlyList<CdsCoding> OverrideReasons() =>
        [.. _protocol.RedFlags.Select(f => new CdsCoding(OverrideReasonSystem, f.Id, f.Label)),
         new CdsCoding(OverrideReasonSystem, OtherCode, "Other reason (please comment)")];

    private string Detail(ScreeningDecision decision, IReadOnlyList<string> notes, LocalEvidence? evidence)
    {
        var md = new StringBuilder();
        md.Append("**Why this alert:** this order is ").Append(_protocol.TargetExam.Label)
          .Append(" for ").Append(_protocol.Indication.Label)
          .Append(", and no red flag shows in the order's reason or in the patient's conditions known now.\n\n");
        if (evidence is not null)
        {
            md.Append("**Local evidence:** ").Append(evidence.Sentence()).Append("\n\n");
        }

        md.Append("**Guideline basis**\n\n");
        md.Append("- ACR Appropriateness Criteria, Low Back Pain: imaging is usually not appropriate for low back pain without red flags.\n");
        md.Append("- For suspected sacroiliitis, radiographs come first.\n\n");
        md.Append("**Red flags that make the exam appropriate** (choose one as the override reason):\n\n");
        foreach (var flag in _protocol.RedFlags)
        {
            md.Append("- ").Append(flag.Label).Append('\n');
        }

        md.Append("\n**What the screening read**\n\n");
        foreach (var item in decision.Evidence)
        {
            md.Append("- ").Append(ScreeningEvidenceFormatter.Format(item).Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
        }

        foreach (var note in notes)
        {
            md.Append("\n_Note: ").Append(note).Append("_\n");
        }

        return md.ToString().TrimEnd('\n');
    }

    private List<Suggestion> Suggestions(DraftOrder order)
    {
        var delete = new CdsAction(ActionType.Delete, $"Cancel the draft order {order.Reference}", ResourceId: [order.Reference]);
        return
        [
            new Suggestion("Cancel the MRI order", NewId(), [delete]),
            new Suggestion(
                "Order radiographs of the sacrum and coccyx (CPT 72220) instead",
                NewId(),
                [delete, new CdsAction(ActionType.Create, "Order radiographs of the sacrum and coccyx, minimum of 2 views (CPT 72220)", Replacement(order, CptSystem, SacrumCoccyxRadiographsCpt, "Radiologic examination, sacrum and coccyx; minimum of 2 views", "XR SACRUM AND COCCYX 2+ VIEWS"))]),
            new Suggestion(
                "Refer to physical therapy instead",
                NewId(),
                [delete, new CdsAction(ActionType.Create, "Refer to physical therapy", Replacement(order, "http://snomed.info/sct", PhysicalTherapySnomed, "Physical therapy procedure", "Physical therapy referral"))]),
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
