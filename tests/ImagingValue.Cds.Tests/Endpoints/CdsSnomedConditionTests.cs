using ImagingValue.Cds.Services;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>
/// Problem lists coded in SNOMED CT only: a red flag is found by the protocol's SNOMED CT concept ids, or by the
/// condition's text when the concept is not listed; anything else still gets the warning card.
/// </summary>
public sealed class CdsSnomedConditionTests
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";
    private const string Snomed = "http://snomed.info/sct";

    // acceptance-checklist.md item 5 with SNOMED CT only: one listed concept per red flag (sacrum-mri-lbp.yaml snomed_codes).
    [Theory]
    [InlineData("363346000", "Malignant neoplastic disease", "2020-01-01")]
    [InlineData("94222008", "Secondary malignant neoplasm of bone", "2026-06-01")]
    [InlineData("60168000", "Osteomyelitis", "2026-10-01")]
    [InlineData("9631008", "Ankylosing spondylitis", "2010-01-01")]
    [InlineData("443165006", "Pathological fracture due to osteoporosis", "2026-10-15")]
    public async Task OrderSelect_SnomedOnlyRedFlagCondition_NoCardRatedAppropriate(string code, string display, string onset)
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = CdsChecklistTests.WithCondition(TestFiles.ReadJson(TestFiles.CardCase), Snomed, code, display, onset);

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Empty(response["cards"]!.AsArray());
        Assert.Equal(PamaRating.Appropriate, CdsChecklistTests.RatingOf(response));
    }

    // The listed id decides, not the words: a display that names no red flag still excludes.
    [Fact]
    public async Task OrderSelect_SnomedRedFlagConceptWithUninformativeDisplay_NoCard()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = CdsChecklistTests.WithCondition(TestFiles.ReadJson(TestFiles.CardCase), Snomed, "69896004", "Problem 4", "2015-01-01");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Empty(response["cards"]!.AsArray());
        Assert.Equal(PamaRating.Appropriate, CdsChecklistTests.RatingOf(response));
    }

    // A SNOMED CT concept the protocol does not list is read by its text, as the order's indication is. 10000001 is a
    // placeholder for "an id the protocol does not list", not a claim about a real concept.
    [Theory]
    [InlineData("254837009", "Malignant neoplasm of breast", "2019-01-01")]
    [InlineData("10000001", "Fracture of sacrum", "2026-11-12")]
    public async Task OrderSelect_UnlistedSnomedConceptWhoseTextNamesARedFlag_NoCard(string code, string display, string onset)
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = CdsChecklistTests.WithCondition(TestFiles.ReadJson(TestFiles.CardCase), Snomed, code, display, onset);

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Empty(response["cards"]!.AsArray());
        Assert.Equal(PamaRating.Appropriate, CdsChecklistTests.RatingOf(response));
    }

    // The text is read with its context: a family history or a negation is not the patient's red flag, and an old
    // fracture is outside the trauma window (dates come from the condition, as for codes).
    [Theory]
    [InlineData("Family history of malignant neoplasm of breast", "2019-01-01")]
    [InlineData("No evidence of malignancy", "2019-01-01")]
    [InlineData("Fracture of sacrum", "2024-02-01")]
    public async Task OrderSelect_SnomedConditionTextNotARedFlagForThisOrder_Card(string display, string onset)
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = CdsChecklistTests.WithCondition(TestFiles.ReadJson(TestFiles.CardCase), Snomed, "10000002", display, onset);

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Equal("warning", Assert.Single(response["cards"]!.AsArray())!["indicator"]!.GetValue<string>());
        Assert.Equal(PamaRating.NotAppropriate, CdsChecklistTests.RatingOf(response));
    }

    [Theory]
    [InlineData("195967001", "Asthma")]
    [InlineData("38341003", "Hypertensive disorder")]
    public async Task OrderSelect_SnomedOnlyNonRedFlagCondition_WarningCardWithoutUncheckedNote(string code, string display)
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = CdsChecklistTests.WithCondition(TestFiles.ReadJson(TestFiles.CardCase), Snomed, code, display, "2015-01-01");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        var card = Assert.Single(response["cards"]!.AsArray())!;
        Assert.Equal("warning", card["indicator"]!.GetValue<string>());
        Assert.DoesNotContain("coded in neither", card["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(PamaRating.NotAppropriate, CdsChecklistTests.RatingOf(response));
    }

    // A condition first recorded after the order did not inform it, whatever its code system.
    [Fact]
    public async Task OrderSelect_SnomedRedFlagRecordedAfterTheOrder_Card()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = CdsChecklistTests.WithCondition(TestFiles.ReadJson(TestFiles.CardCase), Snomed, "363346000", "Malignant neoplastic disease", "2026-11-22");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Single(response["cards"]!.AsArray());
    }

    // Neither ICD-10-CM nor SNOMED CT: the card says only the text was checked.
    [Fact]
    public async Task OrderSelect_LocallyCodedCondition_CardNotesTextOnlyCheck()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = CdsChecklistTests.WithCondition(TestFiles.ReadJson(TestFiles.CardCase), "urn:oid:1.2.3.4", "L-12", "Seasonal allergies", "2015-01-01");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        Assert.Contains("1 of the patient's conditions are coded in neither ICD-10-CM nor SNOMED CT", Assert.Single(response["cards"]!.AsArray())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
