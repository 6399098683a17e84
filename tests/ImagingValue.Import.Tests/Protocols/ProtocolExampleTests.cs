using ImagingValue.Core.Protocols;
using ImagingValue.Core.Screening;
using ImagingValue.Protocols;

namespace ImagingValue.Import.Tests.Protocols;

/// <summary>A protocol's example cases (YAML <c>examples</c>): read with their lines, screened as the audit would, failures with evidence.</summary>
public class ProtocolExampleTests
{
    private static string SacrumWith(string examples) =>
        ProtocolLoader.BuiltInYaml("sacrum-mri-lbp")[..ProtocolLoader.BuiltInYaml("sacrum-mri-lbp").IndexOf("\nexamples:", StringComparison.Ordinal)]
        + "\nexamples:\n" + examples;

    [Fact]
    public void BuiltInSacrum_ExamplesCoverEveryReasonAndAllPass()
    {
        var runtime = ProtocolLoader.Load("sacrum-mri-lbp");
        var outcomes = ProtocolExampleRunner.Run(runtime);

        Assert.True(outcomes.Count >= 15, $"{outcomes.Count} examples");
        Assert.All(outcomes, o => Assert.True(o.Passed, ProtocolDescription.Failure(o)));
        var reasons = outcomes.Select(o => o.Example.ExpectedReason).ToHashSet();
        Assert.All(runtime.Protocol.ExclusionReasons, r => Assert.Contains(r, reasons));
        Assert.Contains(outcomes, o => o.Example.Expected == Decision.Included);
        Assert.Contains(outcomes, o => o.Example.Expected == Decision.NotTarget);
    }

    [Fact]
    public void Run_WrongExpectation_FailsWithWhereWhatAndEvidence()
    {
        var yaml = SacrumWith("""
              - text: LBP, hx of breast cancer
                expect: included
                note: deliberately wrong
              - text: LBP, no trauma
                expect: included
            """);
        var outcomes = ProtocolExampleRunner.Run(ProtocolLoader.Parse(yaml, "site.yaml"));

        var failed = Assert.Single(outcomes, o => !o.Passed);
        Assert.Equal(Decision.Excluded, failed.Decision.Decision);
        var text = ProtocolDescription.Failure(failed);
        var line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("hx of breast cancer", StringComparison.Ordinal)) + 1;
        Assert.StartsWith($"site.yaml:{line}: \"LBP, hx of breast cancer\": expected included, got excluded (tumor)", text, StringComparison.Ordinal);
        Assert.Contains("evidence: indication: \"LBP, hx of breast cancer\" [tumor, historical]", text, StringComparison.Ordinal);
        Assert.Contains("note: deliberately wrong", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AgeAndConditions_BecomeThePatientAtTheOrder()
    {
        var yaml = SacrumWith("""
              - text: tailbone pain
                age: 70
                ordered_at: 2020-02-29
                conditions:
                  - {code: c50.911, onset: "2019-01-01"}
                expect: excluded
                reason: tumor
            """);
        var example = Assert.Single(ProtocolLoader.Parse(yaml, "site.yaml").Protocol.Examples);
        var order = ProtocolExampleRunner.ToOrder(ProtocolLoader.Load("sacrum-mri-lbp").Protocol.TargetExam, example, 1);

        Assert.Equal(70, order.AgeAtOrder);
        Assert.Equal(new DateTime(2020, 2, 29), order.OrderedAt);
        Assert.Equal("C50.911", Assert.Single(example.Conditions).Code);
        Assert.True(Assert.Single(ProtocolExampleRunner.Run(ProtocolLoader.Parse(yaml, "site.yaml"))).Passed);
    }

    [Theory]
    [InlineData("  - {text: LBP, expect: maybe}\n", "examples[0].expect: 'maybe' is not included, excluded or not_target")]
    [InlineData("  - {text: LBP}\n", "examples[0].expect: required")]
    [InlineData("  - {text: LBP, expect: excluded}\n", "examples[0].reason: an excluded example needs the reason id it expects, one of: tumor, ")]
    [InlineData("  - {text: LBP, expect: excluded, reason: tumour}\n", "(not 'tumour')")]
    [InlineData("  - {text: LBP, expect: included, reason: tumor}\n", "examples[0].reason: only an excluded example has a reason")]
    [InlineData("  - {text: LBP, age: 40, birth_date: 1980-01-01, expect: included}\n", "examples[0].age: give age or birth_date, not both")]
    [InlineData("  - {text: LBP, ordered_at: 15/01/2024, expect: included}\n", "examples[0].ordered_at: '15/01/2024' is not an ISO date")]
    [InlineData("  - {expect: included}\n", "examples[0]: needs text, reason_codes or conditions")]
    [InlineData("  - {text: LBP, expected: included}\n", "examples[0].expected: unknown key in examples[0] (valid keys: text, age, birth_date, ordered_at")]
    [InlineData("  - {text: LBP, expect: included, conditions: [{onset: 2020-01-01}]}\n", "examples[0].conditions[0].code: required")]
    public void Parse_MalformedExample_ErrorNamesLineAndField(string examples, string expected)
    {
        var yaml = SacrumWith(examples);
        var ex = Assert.Throws<FormatException>(() => ProtocolLoader.Parse(yaml, "site.yaml"));
        var line = yaml.Split('\n').Length - 1;
        Assert.StartsWith($"site.yaml:{line}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_BuiltInSacrum_NamesEveryRedFlagWithItsCodesAndPhrases()
    {
        var text = ProtocolDescription.Describe(ProtocolLoader.Load("sacrum-mri-lbp"));

        Assert.Contains("Target exam: MRI of the sacrum and/or coccyx", text, StringComparison.Ordinal);
        Assert.Contains("text phrases (low_back_pain): low back pain, ", text, StringComparison.Ordinal);
        Assert.Contains("1. Known or suspected tumor [tumor]", text, StringComparison.Ordinal);
        Assert.Contains("ICD-10-CM codes (order or conditions): C00-C96, D00-D09", text, StringComparison.Ordinal);
        Assert.Contains("only a known diagnosis counts (a suspicion does not)", text, StringComparison.Ordinal);
        Assert.Contains("only if it happened less than 28 days before the order", text, StringComparison.Ordinal);
        Assert.Contains("  - ACR Appropriateness Criteria, Low Back Pain", text, StringComparison.Ordinal);
        Assert.Contains("not when the name has any of: sacroiliac", text, StringComparison.Ordinal);
    }
}
