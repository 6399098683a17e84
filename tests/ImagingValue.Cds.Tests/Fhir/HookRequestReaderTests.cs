using ImagingValue.Cds.Fhir;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Fhir;

public sealed class HookRequestReaderTests
{
    [Fact]
    public void Read_OrderSelect_KeepsOnlySelectedServiceRequests()
    {
        var read = HookRequestReader.Read(TestFiles.Read(TestFiles.LumbarSelected), Hooks.OrderSelect);

        var order = Assert.Single(read.Request!.Orders);
        Assert.Equal("ServiceRequest/sr-lumbar", order.Reference);
        Assert.Equal(PrefetchState.Present, read.Request.ConditionsState);
        Assert.Equal(2, read.Request.Conditions.Count);
    }

    [Fact]
    public void Read_OrderSign_KeepsEveryServiceRequest()
    {
        var read = HookRequestReader.Read(TestFiles.Read(TestFiles.SignTwoDrafts), Hooks.OrderSign);

        Assert.Equal(["ServiceRequest/sr-lumbar", "ServiceRequest/sr-sacrum"], read.Request!.Orders.Select(o => o.Reference));
    }

    // Lenient on FHIR content (Firely ostrich mode): a bad code or a misspelt element still leaves an order to advise on.
    [Fact]
    public void Read_ServiceRequestWithInvalidCodeAndUnknownElement_StillRead()
    {
        var json = TestFiles.ReadJson(TestFiles.CardCase);
        var order = json["context"]!["draftOrders"]!["entry"]![0]!["resource"]!;
        order["status"] = "not-a-status";
        order["reasonCodee"] = "typo";

        var read = HookRequestReader.Read(json.ToJsonString(), Hooks.OrderSelect);

        var draft = Assert.Single(read.Request!.Orders);
        Assert.Equal("MRI SACRUM WO CONTRAST", draft.Resource.Code?.Text);
        Assert.Equal("M54.50", draft.Resource.ReasonCode[0].Coding[0].Code);
    }

    [Fact]
    public void Read_OrderSelectWithoutSelections_Invalid()
    {
        var json = TestFiles.ReadJson(TestFiles.CardCase);
        json["context"]!.AsObject().Remove("selections");

        var read = HookRequestReader.Read(json.ToJsonString(), Hooks.OrderSelect);

        Assert.Null(read.Request);
        Assert.Contains("selections", read.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DraftOrdersNotABundle_Invalid()
    {
        var json = TestFiles.ReadJson(TestFiles.CardCase);
        json["context"]!["draftOrders"] = new System.Text.Json.Nodes.JsonObject { ["resourceType"] = "ServiceRequest" };

        var read = HookRequestReader.Read(json.ToJsonString(), Hooks.OrderSelect);

        Assert.Contains("draftOrders", read.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FhirAuthorizationWithoutFhirServer_Invalid()
    {
        var json = TestFiles.ReadJson(TestFiles.CardCase);
        json["fhirAuthorization"] = new System.Text.Json.Nodes.JsonObject { ["access_token"] = "secret", ["token_type"] = "Bearer" };

        var read = HookRequestReader.Read(json.ToJsonString(), Hooks.OrderSelect);

        Assert.Contains("fhirServer", read.Error, StringComparison.Ordinal);
    }
}
