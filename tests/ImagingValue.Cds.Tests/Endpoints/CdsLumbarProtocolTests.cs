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
}
