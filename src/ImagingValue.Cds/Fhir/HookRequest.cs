using System.Text.Json.Nodes;
using Hl7.Fhir.Model;

namespace ImagingValue.Cds.Fhir;

/// <summary>The two order hooks this service answers.</summary>
public static class Hooks
{
    /// <summary>Fires when the clinician selects orders; <c>context.selections</c> says which drafts.</summary>
    public const string OrderSelect = "order-select";

    /// <summary>Fires when the clinician signs; every draft order counts.</summary>
    public const string OrderSign = "order-sign";
}

/// <summary>A draft order from <c>context.draftOrders</c>: the Firely resource and the JSON exactly as received.</summary>
/// <param name="Reference">The relative reference <c>ServiceRequest/{id}</c> that <c>context.selections</c> and actions use.</param>
/// <param name="Json">The order as the client sent it: an update action changes nothing in it but its extensions.</param>
public sealed record DraftOrder(string Reference, ServiceRequest Resource, JsonObject Json);

/// <summary>What the client did with one prefetch key (CDS Hooks 2.0 §prefetch).</summary>
public enum PrefetchState
{
    /// <summary>The key is absent: the client did not try.</summary>
    Absent,

    /// <summary>The value is null: the client found no data.</summary>
    NoData,

    /// <summary>The value is an OperationOutcome: the client's fetch failed.</summary>
    Failed,

    /// <summary>The data is here.</summary>
    Present,
}

/// <summary>A service call read and checked: the orders to evaluate and the patient data the client sent.</summary>
/// <param name="Orders">The ServiceRequests to evaluate: the selected ones (order-select) or every draft (order-sign).</param>
/// <param name="ConditionsState">How the <c>conditions</c> prefetch came.</param>
/// <param name="Conditions">The Conditions of the <c>conditions</c> prefetch; empty unless <see cref="ConditionsState"/> is Present.</param>
/// <param name="Patient">The <c>patient</c> prefetch, when sent.</param>
/// <param name="EncounterId"><c>context.encounterId</c>, when sent: with the patient and the draft order's id it names one order across the calls its edits fire.</param>
/// <param name="FhirAccessToken">The <c>fhirAuthorization.access_token</c>, for calls to <paramref name="FhirServer"/> only.</param>
public sealed record HookRequest(
    string Hook,
    string HookInstance,
    string? FhirServer,
    string? PatientId,
    IReadOnlyList<DraftOrder> Orders,
    PrefetchState ConditionsState,
    IReadOnlyList<Condition> Conditions,
    Patient? Patient,
    SecretToken? FhirAccessToken = null,
    string? EncounterId = null);

/// <summary>A bearer token that never shows in ToString, logs or records' printouts.</summary>
public sealed class SecretToken(string value)
{
    /// <summary>The token itself: send it, never log or store it.</summary>
    public string Reveal() => value;

    public override string ToString() => "***";
}

/// <summary>Reading a request gave either the request or why it is malformed (a 400).</summary>
public sealed record HookRequestReadResult(HookRequest? Request, string? Error)
{
    public static HookRequestReadResult Ok(HookRequest request) => new(request, null);

    public static HookRequestReadResult Invalid(string error) => new(null, error);
}
