using System.Text.Json.Nodes;

namespace ImagingValue.Cds.Services;

/// <summary>
/// The Argonaut "CDS Hooks for PAMA" rating (argonautproject/cds-hooks-for-pama docs/index.md): extensions on the
/// ServiceRequest, added by an <c>update</c> system action that changes nothing else in the order.
/// </summary>
public static class PamaRating
{
    public const string RatingUrl = "http://fhir.org/argonaut/Extension/pama-rating";
    public const string ConsultIdUrl = "http://fhir.org/argonaut/Extension/pama-rating-consult-id";
    public const string RatingSystem = "http://fhir.org/argonaut/CodeSystem/pama-rating";
    public const string Appropriate = "appropriate";
    public const string NotAppropriate = "not-appropriate";
    public const string NoCriteriaApply = "no-criteria-apply";

    /// <summary>A copy of <paramref name="order"/> with the rating and consult id as its only new extensions (earlier ratings replaced).</summary>
    public static JsonObject Rate(JsonObject order, string rating, string consultId)
    {
        ArgumentNullException.ThrowIfNull(order);
        var rated = (JsonObject)order.DeepClone();
        var extensions = rated["extension"] as JsonArray ?? [];
        var kept = extensions
            .Where(e => e?["url"]?.GetValue<string>() is not (RatingUrl or ConsultIdUrl))
            .Select(e => e?.DeepClone())
            .ToList();
        var updated = new JsonArray([.. kept]);
        updated.Add(new JsonObject
        {
            ["url"] = RatingUrl,
            ["valueCodeableConcept"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = RatingSystem, ["code"] = rating }),
            },
        });
        updated.Add(new JsonObject { ["url"] = ConsultIdUrl, ["valueUri"] = consultId });
        rated["extension"] = updated;
        return rated;
    }
}
