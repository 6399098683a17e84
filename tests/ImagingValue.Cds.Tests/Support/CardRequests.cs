using System.Text.Json.Nodes;

namespace ImagingValue.Cds.Tests.Support;

/// <summary>The card case (an order-select call for a sacrum MRI) with another reason for exam.</summary>
internal static class CardRequests
{
    /// <summary>The card case whose draft order gives <paramref name="reason"/> as its reason text and, when given, <paramref name="icd10"/> as its only code.</summary>
    public static JsonObject WithReason(string reason, string? icd10 = null, string? hookInstance = null)
    {
        var request = TestFiles.ReadJson(TestFiles.CardCase);
        var reasonCode = request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["reasonCode"]![0]!.AsObject();
        reasonCode["text"] = reason;
        reasonCode["coding"] = icd10 is null
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["system"] = "http://hl7.org/fhir/sid/icd-10-cm", ["code"] = icd10 });
        if (hookInstance is not null)
        {
            request["hookInstance"] = hookInstance;
        }

        return request;
    }

    /// <summary><paramref name="request"/> with its draft order's procedure replaced by a CPT code, its display and the orderable's name.</summary>
    public static JsonObject WithProcedure(JsonObject request, string cpt, string display, string name)
    {
        var resource = request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!.AsObject();
        resource["code"] = new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.ama-assn.org/go/cpt", ["code"] = cpt, ["display"] = display }),
            ["text"] = name,
        };
        return request;
    }
}
