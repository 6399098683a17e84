using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using ImagingValue.Protocols;

namespace ImagingValue.Import.Tests.Protocols;

/// <summary>
/// The engine features later protocols need, driven from YAML only: red flags that need an age, a symptom duration or
/// companion concepts (prior treatment, surgical candidacy), and an indication named by a symptom and a site in either
/// order (built-in rule set lumbar_targets). Traps: negation, other people, history, durations and ages at the thresholds.
/// </summary>
public class RedFlagRequirementTests
{
    private const string Yaml = """
        id: engine-test
        target_exam: {label: MRI of the lumbar spine, modality_terms: [mri], body_terms: [lumbar]}
        text_rules: {targets: [lbp_targets, lumbar_targets]}
        qualifying_indication: {label: low back pain, concepts: [low_back_pain]}
        red_flags:
          - id: trauma_older
            concepts: [trauma]
            max_days_before_order: 28
            min_age: 70
          - id: persistent_after_care
            concepts: [low_back_pain]
            historical_counts: true
            min_duration_days: 42
            with_concepts: [conservative_care, intervention_candidate]
          - id: child
            concepts: [low_back_pain]
            max_age: 17
        """;

    private static readonly DateTime OrderedAt = new(2024, 6, 15, 10, 0, 0);
    private static readonly Screener Screener = ProtocolLoader.Parse(Yaml, "engine-test.yaml").Screener;

    private static ScreeningDecision Decide(string text, int? age = 45, DateTime? orderedAt = null, DateOnly? birth = null)
    {
        var at = orderedAt ?? OrderedAt;
        var born = birth ?? (age is { } a ? DateOnly.FromDateTime(at).AddYears(-a) : null);
        return Screener.Screen(new ImagingOrder("O1", "P1", null, at, at, null, "MRI LUMBAR SPINE", text, [], null, null, null, born, OrderStatus.Completed), []);
    }

    private static string Outcome(ScreeningDecision d) => d.Decision == Decision.Included ? "included" : d.Reason!;

    [Theory]
    // Trauma counts only at 70 or older (completed years at the order).
    [InlineData("LBP after fall yesterday", 70, "trauma_older")]
    [InlineData("LBP after fall yesterday", 71, "trauma_older")]
    [InlineData("LBP after fall yesterday", 69, "included")]
    [InlineData("LBP after fall yesterday", 45, "included")]
    [InlineData("slipped on ice 3 days ago, low back pain", 82, "trauma_older")]
    [InlineData("LBP, no fall", 80, "included")]
    [InlineData("LBP, denies trauma", 90, "included")]
    [InlineData("LBP. Her mother fell last week.", 80, "included")]
    [InlineData("LBP, fell 2 months ago", 80, "included")]
    [InlineData("LBP, hx of fall years ago", 80, "included")]
    // Persistent after conservative care: 6 weeks or more, care tried, and a candidate for surgery or injection.
    [InlineData("LBP x 3 months, failed PT, surgical candidate", 45, "persistent_after_care")]
    [InlineData("LBP for 7 weeks despite PT, surgical candidate", 45, "persistent_after_care")]
    [InlineData("LBP for 6 weeks despite PT, surgical candidate", 45, "persistent_after_care")]
    [InlineData("LBP for 5 weeks despite PT, surgical candidate", 45, "included")]
    [InlineData("LBP x 3 weeks, failed PT, surgical candidate", 45, "included")]
    [InlineData("LBP for 10 days, surgical candidate, PT", 45, "included")]
    [InlineData("LBP for 41 days, failed physiotherapy, surgical candidate", 45, "included")]
    [InlineData("LBP for 42 days, failed physiotherapy, surgical candidate", 45, "persistent_after_care")]
    [InlineData("low back pain since January, failed physiotherapy, candidate for injection", 45, "persistent_after_care")]
    [InlineData("LBP after two months of physiotherapy, surgical candidate", 45, "persistent_after_care")]
    [InlineData("chronic LBP. 8 weeks of physical therapy without relief. Referred to neurosurgery.", 45, "persistent_after_care")]
    [InlineData("LBP x 3 months, no treatment so far, surgical candidate", 45, "included")]
    [InlineData("LBP x 3 months, has not tried physical therapy, surgical candidate", 45, "included")]
    [InlineData("LBP x 3 months, failed PT", 45, "included")]
    [InlineData("LBP x 3 months, pt requests MRI, surgical candidate", 45, "included")]
    [InlineData("LBP x 3 months, surgical candidate. Mother had physical therapy.", 45, "included")]
    [InlineData("LBP, failed PT, surgical candidate", 45, "included")]
    // History versus now: the current episode's own time decides.
    [InlineData("LBP x 2 weeks, failed PT, surgical candidate. Hx of LBP 10 years ago.", 45, "included")]
    [InlineData("LBP x 2 weeks, PT 2 years ago, surgical candidate", 45, "included")]
    [InlineData("LBP x 3 months, PT 2 years ago, surgical candidate", 45, "persistent_after_care")]
    [InlineData("hx of LBP, now LBP for 3 days, failed physiotherapy, surgical candidate", 45, "included")]
    // Age limits at the other end.
    [InlineData("LBP", 12, "child")]
    [InlineData("LBP", 17, "child")]
    [InlineData("LBP", 18, "included")]
    // Symptom and site in either order.
    [InlineData("ache in the tailbone region", 45, "included")]
    [InlineData("lumbar area discomfort", 45, "included")]
    [InlineData("discomfort of the lower back", 45, "included")]
    [InlineData("sore lower back", 45, "included")]
    [InlineData("aching over the left sacrum", 45, "included")]
    [InlineData("hip pain after lumbar fusion", 45, "no_qualifying_indication")]
    [InlineData("neck pain and lumbar stiffness", 45, "no_qualifying_indication")]
    [InlineData("lumbar, hip pain", 45, "no_qualifying_indication")]
    [InlineData("no lumbar area discomfort, hip pain", 45, "no_qualifying_indication")]
    [InlineData("upper back pain", 45, "no_qualifying_indication")]
    [InlineData("father with lumbar area pain, knee pain", 45, "no_qualifying_indication")]
    public void Screen_RequirementsAndPairings_DecideAsTheProtocolSays(string text, int age, string expected) =>
        Assert.Equal(expected, Outcome(Decide(text, age)));

    [Fact]
    public void Screen_AgeOnTheBirthday_CountsTheCompletedYear()
    {
        Assert.Equal("trauma_older", Outcome(Decide("LBP after fall yesterday", birth: new DateOnly(1954, 6, 15))));
        Assert.Equal("included", Outcome(Decide("LBP after fall yesterday", birth: new DateOnly(1954, 6, 16))));
    }

    [Fact]
    public void Screen_UnknownAge_DoesNotMeetTheAgeAndSaysSo()
    {
        var decision = Decide("LBP after fall yesterday", age: null);

        Assert.Equal(Decision.Included, decision.Decision);
        var evidence = ScreeningEvidenceFormatter.Join(decision.Evidence);
        Assert.Contains("ignored indication: \"LBP after fall yesterday\" [trauma_older, 1 days before order]", evidence, StringComparison.Ordinal);
        Assert.Contains("unmet requirement: age 70 or older: age unknown [trauma_older]", evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_PersistentAfterCare_EvidenceNamesTheCompanionsAndTheDuration()
    {
        var decision = Decide("LBP x 3 months, failed PT, surgical candidate");

        var evidence = ScreeningEvidenceFormatter.Join(decision.Evidence);
        Assert.Contains("[persistent_after_care]", evidence, StringComparison.Ordinal);
        Assert.Contains(decision.Evidence, e => e is { Concept: "conservative_care", Role: EvidenceRole.Counted, For: "persistent_after_care" });
        Assert.Contains(decision.Evidence, e => e is { Concept: "intervention_candidate", Role: EvidenceRole.Counted });
        Assert.Contains("requirement: symptoms for at least 42 days: 92 days [persistent_after_care]", evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_MissingCompanion_ListedAsUnmet()
    {
        var evidence = ScreeningEvidenceFormatter.Join(Decide("LBP x 3 months, failed PT").Evidence);

        Assert.Contains("unmet requirement: with intervention_candidate: not mentioned [persistent_after_care]", evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_ShortDuration_ListedAsUnmetWithTheDaysFound()
    {
        var evidence = ScreeningEvidenceFormatter.Join(Decide("LBP for 10 days, failed PT, surgical candidate").Evidence);

        Assert.Contains("unmet requirement: symptoms for at least 42 days: 10 days [persistent_after_care]", evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_RequirementsAndPairings_InWords()
    {
        var text = ProtocolDescription.Describe(ProtocolLoader.Parse(Yaml, "engine-test.yaml"));

        Assert.Contains("only in a patient 70 or older at the order", text, StringComparison.Ordinal);
        Assert.Contains("only when the symptoms have lasted at least 42 days; only with a mention of conservative_care and of intervention_candidate", text, StringComparison.Ordinal);
        Assert.Contains("text phrases (conservative_care): physical therapy, ", text, StringComparison.Ordinal);
        Assert.Contains("[pain | pains | ache", text, StringComparison.Ordinal);
        Assert.Contains("| coccygeal] in either order", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  - {id: a, concepts: [trauma], min_age: 80, max_age: 70}\n", "red_flags[0].min_age: min_age 80 is above max_age 70 (a)")]
    [InlineData("  - {id: a, concepts: [trauma], min_age: 200}\n", "red_flags[0].min_age: an age in years, 0 to 130 (a)")]
    [InlineData("  - {id: a, concepts: [trauma], min_duration_days: 0}\n", "red_flags[0].min_duration_days: a number of days above 0 (a)")]
    [InlineData("  - {id: a, concepts: [trauma], with_concepts: [physio]}\n", "red_flags[0].with_concepts: 'physio' is not a concept of lbp_targets or lumbar_targets")]
    public void Parse_BadRequirement_ErrorNamesLineAndField(string flag, string expected)
    {
        var yaml = Yaml[..Yaml.IndexOf("red_flags:", StringComparison.Ordinal)] + "red_flags:\n" + flag;
        var ex = Assert.Throws<FormatException>(() => ProtocolLoader.Parse(yaml, "engine-test.yaml"));
        Assert.StartsWith("engine-test.yaml:6: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
