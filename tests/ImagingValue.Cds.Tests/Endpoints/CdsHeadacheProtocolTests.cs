using System.Text.Json.Nodes;
using ImagingValue.Cds.Services;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>The third built-in protocol at the point of order: a head CT for headache gets the headache card and rating,
/// a red flag gets none, and the sacrum and lumbar services never warn on a head CT.</summary>
public sealed class CdsHeadacheProtocolTests
{
    private const string HeadacheSelect = "/cds-services/head-imaging-headache-select";

    /// <summary>The card case with its sacrum MRI replaced by a head CT without contrast (CPT 70450) and the given reason.</summary>
    private static JsonObject HeadCtOrder(string reason, string icd10 = "R51.9") =>
        CardRequests.WithProcedure(CardRequests.WithReason(reason, icd10), "70450", "CT head without contrast", "CT HEAD WO CONTRAST");

    [Fact]
    public async Task OrderSelect_HeadCtForMigraine_GetsTheHeadacheCardRatedNotAppropriate()
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(HeadacheSelect, HeadCtOrder("migraine without aura, 3 attacks a month", "G43.909").ToJsonString());

        var card = Assert.Single(response["cards"]!.AsArray())!.AsObject();
        Assert.Equal("warning", card["indicator"]!.GetValue<string>());
        var detail = card["detail"]!.GetValue<string>();
        Assert.Contains("Neuroimaging is usually not appropriate for headache or migraine", detail, StringComparison.Ordinal);
        Assert.Contains("headache diary", detail, StringComparison.Ordinal);
        Assert.Contains("triptan", detail, StringComparison.Ordinal);
        Assert.Equal(PamaRating.NotAppropriate, CdsChecklistTests.RatingOf(response));
    }

    [Theory]
    [InlineData("sudden onset worst headache of her life")]
    [InlineData("headache, on apixaban for atrial fibrillation")]
    public async Task OrderSelect_HeadCtWithARedFlag_NoWarningRatedAppropriate(string reason)
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(HeadacheSelect, HeadCtOrder(reason).ToJsonString());

        Assert.DoesNotContain(response["cards"]!.AsArray(), c => c!["indicator"]!.GetValue<string>() == "warning");
        Assert.Equal(PamaRating.Appropriate, CdsChecklistTests.RatingOf(response));
    }

    [Fact]
    public async Task OrderSelect_PrefetchedAnticoagulantCondition_NoWarning()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = CdsChecklistTests.WithCondition(HeadCtOrder("headache x 2 weeks"), "http://hl7.org/fhir/sid/icd-10-cm", "Z79.01",
            "Long term (current) use of anticoagulants", "2025-01-10");

        var response = await host.PostOkAsync(HeadacheSelect, request.ToJsonString());

        Assert.Empty(response["cards"]!.AsArray());
        Assert.Equal(PamaRating.Appropriate, CdsChecklistTests.RatingOf(response));
    }

    [Theory]
    [InlineData("/cds-services/sacrum-mri-lbp-select")]
    [InlineData("/cds-services/lumbar-imaging-lbp-select")]
    public async Task OrderSelect_HeadCtOnTheSacrumOrLumbarService_NoWarning(string service)
    {
        await using var host = await CdsTestHost.StartAsync();

        var response = await host.PostOkAsync(service, HeadCtOrder("headache x 2 weeks, low back pain").ToJsonString());

        Assert.DoesNotContain(response["cards"]!.AsArray(), c => c!["indicator"]!.GetValue<string>() == "warning");
    }
}
