using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>The second built-in protocol at the point of order: a lumbar spine MRI gets the lumbar card, not the sacrum's.</summary>
public sealed class CdsLumbarProtocolTests
{
    private const string LumbarSelect = "/cds-services/lumbar-imaging-lbp-select";
    private const string SacrumSelect = "/cds-services/sacrum-mri-lbp-select";

    /// <summary>The card case with its sacrum MRI replaced by a lumbar spine MRI (CPT 72148) and the given reason.</summary>
    private static string LumbarOrder(string reason) =>
        CardRequests.WithProcedure(CardRequests.WithReason(reason, "M54.50"), "72148", "MRI lumbar spine without contrast", "MRI LUMBAR SPINE WO CONTRAST").ToJsonString();

    [Fact]
    public async Task OrderSelect_LumbarMriForLowBackPain_GetsTheLumbarCard()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(LumbarSelect, LumbarOrder("low back pain x 1 week"));

        var card = Assert.Single(response["cards"]!.AsArray())!.AsObject();
        Assert.Equal("warning", card["indicator"]!.GetValue<string>());
        var detail = card["detail"]!.GetValue<string>();
        Assert.Contains("Imaging of the lumbar spine is usually not appropriate", detail, StringComparison.Ordinal);
        Assert.Contains("reassess at 4 to 6 weeks", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderSelect_LumbarMriWithARedFlag_NoWarning()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(LumbarSelect, LumbarOrder("low back pain, renal transplant recipient on tacrolimus"));

        Assert.DoesNotContain(response["cards"]!.AsArray(), c => c!["indicator"]!.GetValue<string>() == "warning");
    }

    [Fact]
    public async Task OrderSelect_LumbarMriOnTheSacrumService_NoWarning()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(SacrumSelect, LumbarOrder("low back pain x 1 week"));

        Assert.DoesNotContain(response["cards"]!.AsArray(), c => c!["indicator"]!.GetValue<string>() == "warning");
    }

    [Fact]
    public async Task OrderSelect_LumbarCard_OffersCancelAndPhysicalTherapyFromItsProtocolNotSacrumRadiographs()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(LumbarSelect, LumbarOrder("low back pain x 1 week"));

        var card = Assert.Single(response["cards"]!.AsArray())!.AsObject();
        var suggestions = card["suggestions"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal(["Cancel the imaging order", "Refer to physical therapy instead"], suggestions.Select(s => s["label"]!.GetValue<string>()));
        var therapy = Assert.Single(suggestions[1]["actions"]!.AsArray(), a => a!["type"]!.GetValue<string>() == "create")!["resource"]!;
        Assert.Equal("http://snomed.info/sct", therapy["code"]!["coding"]![0]!["system"]!.GetValue<string>());
        Assert.Equal("91251008", therapy["code"]!["coding"]![0]!["code"]!.GetValue<string>());
        var json = card.ToJsonString();
        Assert.DoesNotContain("72220", json, StringComparison.Ordinal);
        Assert.DoesNotContain("coccyx", json, StringComparison.OrdinalIgnoreCase); // the request's own resource id is "sr-sacrum"
    }

    [Fact]
    public async Task OrderSelect_LumbarCard_WithOnlyASacrumAudit_CitesNoLocalAudit()
    {
        await using var host = await CdsTestHost.StartAsync(evidence: new FixedEvidence(FixedEvidence.Paper));

        var response = await host.PostOkAsync(LumbarSelect, LumbarOrder("low back pain x 1 week"));

        var detail = Assert.Single(response["cards"]!.AsArray())!["detail"]!.GetValue<string>();
        Assert.DoesNotContain("Local audit", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("$4,900", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderSelect_LumbarCard_WithALumbarAudit_CitesIt()
    {
        var lumbarAudit = new Core.Alerts.LocalEvidence("lumbar-imaging-lbp", "2022-01-01", "2023-12-31", 140, 3, 0.0073, 0.0611, 1, 9, 1500, CdsTestHost.Now);
        await using var host = await CdsTestHost.StartAsync(evidence: new FixedEvidence(lumbarAudit));

        var response = await host.PostOkAsync(LumbarSelect, LumbarOrder("low back pain x 1 week"));

        var detail = Assert.Single(response["cards"]!.AsArray())!["detail"]!.GetValue<string>();
        Assert.Contains("Local audit (2022-01-01 to 2023-12-31): 3 of 140 reviewed exams", detail, StringComparison.Ordinal);
        Assert.Contains("$1,500 per exam", detail, StringComparison.Ordinal);
    }
}
