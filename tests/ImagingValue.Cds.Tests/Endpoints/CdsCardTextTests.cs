using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ImagingValue.Cds.Tests.Support;

namespace ImagingValue.Cds.Tests.Endpoints;

/// <summary>
/// The warning card as the clinician reads it (issue 13, item 3): no internal ids, no in-page links, no line twice, the
/// local figure labelled, advice that fits the indication, the guideline sources linked.
/// </summary>
public sealed partial class CdsCardTextTests
{
    private const string Select = "/cds-services/sacrum-mri-lbp-select";

    // Internal ids: a concept or red-flag id in brackets or alone (snake_case), a FHIR reference, a uuid urn.
    [GeneratedRegex(@"\b[a-z]+(?:_[a-z0-9]+)+\b|\b(?:ServiceRequest|Patient|Encounter|Condition|PractitionerRole)/|urn:uuid:")]
    private static partial Regex InternalId();

    // A markdown link's target, e.g. [ACR](https://...).
    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    public static TheoryData<string, string?, bool> Requests => new()
    {
        { "No trauma, chronic low back pain", "M54.50", false },
        { "No trauma, chronic low back pain", "M54.50", true },
        { "coccydynia, no fall, no trauma, sitting intolerance", "M53.3", false },
        { "coccydynia, no fall, no trauma, sitting intolerance", "M53.3", true },
        { "LBP r/o sacroiliitis, denies saddle anesthesia, weight stable", null, true },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task WarningCard_TextForAClinician_NoInternalIdNoAnchorLinkNoDuplicateLine(string reason, string? code, bool withEvidence)
    {
        await using var host = await CdsTestHost.StartAsync(evidence: withEvidence ? new FixedEvidence(FixedEvidence.Paper) : null);

        var card = await WarningAsync(host, reason, code);

        var detail = card["detail"]!.GetValue<string>();
        var texts = new List<string> { card["summary"]!.GetValue<string>(), detail };
        texts.AddRange(card["suggestions"]!.AsArray().Select(s => s!["label"]!.GetValue<string>()));
        texts.AddRange(card["suggestions"]!.AsArray().SelectMany(s => s!["actions"]!.AsArray()).Select(a => a!["description"]!.GetValue<string>()));
        texts.AddRange(card["overrideReasons"]!.AsArray().Select(r => r!["display"]!.GetValue<string>()));
        var links = card["links"]!.AsArray().Select(l => l!.AsObject()).ToList();
        texts.AddRange(links.Select(l => l["label"]!.GetValue<string>()));
        foreach (var text in texts)
        {
            Assert.False(InternalId().IsMatch(text), $"internal id '{InternalId().Match(text).Value}' in: {text}");
        }

        var urls = links.Select(l => l["url"]!.GetValue<string>()).Concat(MarkdownLink().Matches(detail).Select(m => m.Groups[1].Value)).ToList();
        Assert.NotEmpty(urls);
        Assert.All(urls, url =>
        {
            Assert.DoesNotContain('#', url);
            Assert.StartsWith("https://", url, StringComparison.Ordinal);
        });
        Assert.All(links, l => Assert.Equal("absolute", l["type"]!.GetValue<string>()));
        var lines = detail.Split('\n').Where(l => l.Trim().Length > 0).ToList();
        Assert.Equal(lines.Count, lines.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain("found a major cause", detail, StringComparison.Ordinal);
        Assert.Equal(withEvidence, detail.Contains("Local audit (2013-07-01 to 2017-06-30): 2 of 98 reviewed exams", StringComparison.Ordinal));
        Assert.Equal(withEvidence, detail.Contains("$4,900 per exam", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WarningCard_TwoNegatedMentionsInOneSentence_ReadOnce()
    {
        await using var host = await CdsTestHost.StartAsync();

        var card = await WarningAsync(host, "No trauma, no fall, chronic low back pain", "M54.50");

        var detail = card["detail"]!.GetValue<string>();
        Assert.Single(detail.Split('\n'), l => l.Contains("\"No trauma, no fall, chronic low back pain\": not counted", StringComparison.Ordinal));
        Assert.Contains("- \"No trauma, no fall, chronic low back pain\": not counted as trauma less than 4 weeks before the order (negated)", detail, StringComparison.Ordinal);
        Assert.Contains("- Diagnosis code M54.50: low back, sacral or tailbone pain", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WarningCard_CoccyxPain_CoccyxAdviceNotSacroiliitis()
    {
        await using var host = await CdsTestHost.StartAsync();

        var detail = (await WarningAsync(host, "coccyx pain w/ sitting x 3 months"))["detail"]!.GetValue<string>();

        Assert.Contains("cushion", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("sacroiliac", detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sacroiliitis", detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WarningCard_SuspectedSacroiliitis_SacroiliacAdvice()
    {
        await using var host = await CdsTestHost.StartAsync();

        var detail = (await WarningAsync(host, "LBP, r/o sacroiliitis"))["detail"]!.GetValue<string>();

        Assert.Contains("radiographs of the sacroiliac joints come first", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("cushion", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WarningCard_PlainLowBackPain_DefaultAdviceAndTheGuidelinesLinked()
    {
        await using var host = await CdsTestHost.StartAsync();

        var card = await WarningAsync(host, "chronic low back pain", "M54.50");

        var detail = card["detail"]!.GetValue<string>();
        Assert.Contains("staying active", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("sacroiliac", detail, StringComparison.OrdinalIgnoreCase);
        var urls = card["links"]!.AsArray().Select(l => l!["url"]!.GetValue<string>()).ToList();
        Assert.Contains("https://acsearch.acr.org/docs/69483/Narrative/", urls);
        Assert.Contains("https://www.nice.org.uk/guidance/ng59", urls);
        Assert.Contains("https://www.acpjournals.org/doi/10.7326/0003-4819-147-7-200710020-00006", urls);
        Assert.Equal(urls.Count, urls.Distinct().Count());
    }

    [Fact]
    public async Task InfoCard_NoIndication_NoInternalIdAndTheProtocolsBasis()
    {
        await using var host = await CdsTestHost.StartAsync();
        var request = CardRequests.WithReason("x");
        request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!.AsObject().Remove("reasonCode");

        var response = await host.PostOkAsync(Select, request.ToJsonString());

        var card = Assert.Single(response["cards"]!.AsArray())!.AsObject();
        Assert.Equal("info", card["indicator"]!.GetValue<string>());
        var detail = card["detail"]!.GetValue<string>();
        Assert.False(InternalId().IsMatch(detail), detail);
        Assert.Contains("Imaging is usually not appropriate for low back or tailbone pain without red flags", detail, StringComparison.Ordinal);
    }

    private static async Task<JsonObject> WarningAsync(CdsTestHost host, string reason, string? code = null)
    {
        var response = await host.PostOkAsync(Select, CardRequests.WithReason(reason, code).ToJsonString());
        var card = Assert.Single(response["cards"]!.AsArray())!.AsObject();
        Assert.Equal("warning", card["indicator"]!.GetValue<string>());
        return card;
    }
}
