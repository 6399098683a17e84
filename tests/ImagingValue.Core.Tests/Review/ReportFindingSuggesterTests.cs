using ImagingValue.Core.Screening;
using ImagingValue.ClinicalText;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Review;

namespace ImagingValue.Core.Tests.Review;

public class ReportFindingSuggesterTests
{
    // The sacrum protocol's classes over the built-in sacrum report rules, as protocol sacrum-mri-lbp names them.
    private static readonly ReportFindingSuggester _suggester = new(
        new ReportFindingCategories(
            ["sacroiliitis", "acute_fracture", "bone_tumor", "bone_infection"],
            ["si_degeneration", "facet_arthropathy", "tarlov_cyst", "old_trauma"],
            ["disc_degeneration", "uterine_fibroid", "ovarian_cyst", "renal_lesion", "lymph_nodes", "bowel_finding"]),
        new ClinicalTextAnalyzer(ContextRuleSet.Default, TargetRuleSet.SacrumReportFindings));

    private static string Classes(string report)
    {
        var s = _suggester.Suggest("O1", report);
        return string.Join(',', new[] { s.Major ? "major" : null, s.Minor ? "minor" : null, s.Incidental ? "incidental" : null }.OfType<string>());
    }

    [Theory]
    [InlineData("FINDINGS: Bilateral sacroiliac joint bone marrow edema with erosions.\nIMPRESSION: Active sacroiliitis.", "major")]
    [InlineData("IMPRESSION: Chronic sacroiliitis with fat metaplasia; no active inflammation.", "major")]
    [InlineData("IMPRESSION: Sacral insufficiency fracture cannot be excluded.", "major")]
    [InlineData("FINDINGS: Marrow-replacing lesion in the left sacral ala. IMPRESSION: Suspicious for metastasis.", "major")]
    [InlineData("IMPRESSION: Remote healed sacral fracture; no acute fracture.", "minor")]
    [InlineData("FINDINGS: Perineural (Tarlov) cysts at S2, the largest 1.4 cm.", "minor")]
    [InlineData("IMPRESSION: Mild degenerative change of the sacroiliac joints. Moderate L5-S1 facet arthropathy.", "minor")]
    [InlineData("IMPRESSION: Incidental fibroid uterus. Partially visualized right renal lesion.", "incidental")]
    [InlineData("IMPRESSION: Lower lumbar degenerative disc disease, better evaluated on dedicated lumbar MRI.", "incidental")]
    [InlineData("FINDINGS: No fracture. No sacroiliitis. No evidence of osteomyelitis or abscess. No suspicious marrow lesion.\nIMPRESSION: Normal MRI of the sacrum.", "")]
    [InlineData("CLINICAL HISTORY: r/o sacroiliitis, hx fall\nFINDINGS: Sacroiliac joints are normal. No fracture.\nIMPRESSION: No acute abnormality.", "")]
    [InlineData("IMPRESSION: Tarlov cyst. Borderline enlarged iliac lymph nodes.", "minor,incidental")]
    public void Suggest_ReportText_ClassesTheFindings(string report, string expected) =>
        Assert.Equal(expected, Classes(report));

    [Fact]
    public void Suggest_PossibleFinding_MarkedPossibleInEvidence()
    {
        var s = _suggester.Suggest("O7", "IMPRESSION: Possible early sacroiliitis.");
        Assert.Equal("O7", s.OrderId);
        Assert.Equal(["major: \"Possible early sacroiliitis.\" [sacroiliitis, possible]"], s.Lines);
        var item = Assert.Single(s.Evidence);
        Assert.Equal(new FindingEvidence(FindingClass.Major, "sacroiliitis", "Possible early sacroiliitis.", new TextSpan(12, 28), true), item);
    }

    [Fact]
    public void Suggest_SentenceRepeatedInImpression_OneLineTwoSpansInTheWholeReport()
    {
        const string report = "HISTORY: r/o sacroiliitis.\nFINDINGS: Sacroiliitis.\nIMPRESSION: Sacroiliitis.";
        var s = _suggester.Suggest("O8", report);
        Assert.Equal(["major: \"Sacroiliitis.\" [sacroiliitis]"], s.Lines);
        Assert.Equal(["Sacroiliitis.", "Sacroiliitis."], s.Evidence.Select(e => report.Substring(e.SentenceSpan.Start, e.SentenceSpan.Length).Trim()));
        Assert.True(s.Evidence[0].SentenceSpan.Start > report.IndexOf("FINDINGS", StringComparison.Ordinal));
    }

    [Fact]
    public void SuggestAll_ReportsByOrderIdOrAccession()
    {
        var orders = new[]
        {
            Support.Some.Order(orderId: "A"),
            Support.Some.Order(orderId: "B") with { Accession = "ACC-B" },
            Support.Some.Order(orderId: "C"),
        };
        var reports = new[]
        {
            new Core.Data.RadiologyReport("A", null, "IMPRESSION: Active sacroiliitis.", null),
            new Core.Data.RadiologyReport(null, "ACC-B", "IMPRESSION: Tarlov cyst.", null),
        };

        var all = ReportFindings.SuggestAll(_suggester, orders, reports);

        Assert.Equal(["A", "B"], all.Keys.Order());
        Assert.True(all["A"].Major);
        Assert.True(all["B"].Minor);
    }
}
