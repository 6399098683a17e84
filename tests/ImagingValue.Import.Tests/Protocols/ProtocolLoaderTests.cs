using ImagingValue.Core.Protocols;
using ImagingValue.Import.Protocols;

namespace ImagingValue.Import.Tests.Protocols;

public class ProtocolLoaderTests
{
    private static readonly Protocol _sacrum = ProtocolLoader.Load("sacrum-mri-lbp");

    [Fact]
    public void Load_BuiltInSacrum_RedFlagsInContractOrder()
    {
        Assert.Equal("sacrum-mri-lbp", _sacrum.Id);
        Assert.Equal(["tumor", "infection", "inflammatory_arthritis", "recent_trauma", "occult_fracture"], _sacrum.RedFlags.Select(f => f.Id));
        Assert.Equal(4900m, _sacrum.ChargePerExam);
        Assert.Equal("no_qualifying_indication", _sacrum.ExclusionReasons[^1]);
    }

    [Fact]
    public void Load_BuiltInSacrum_FlagRulesAsThePaperDefines()
    {
        var flags = _sacrum.RedFlags.ToDictionary(f => f.Id);
        Assert.True(flags["tumor"].SuspectedCounts);
        Assert.True(flags["infection"].SuspectedCounts);
        Assert.True(flags["occult_fracture"].SuspectedCounts);
        Assert.False(flags["inflammatory_arthritis"].SuspectedCounts);
        Assert.Equal(28, flags["recent_trauma"].MaxDaysBeforeOrder);
        Assert.Contains(flags["tumor"].Codes, r => r.Contains("Z85.3"));
        Assert.DoesNotContain(flags["tumor"].Codes, r => r.Contains("D25.9"));
        Assert.DoesNotContain(flags["tumor"].Codes, r => r.Contains("Z80.3"));
        Assert.Contains("363346000", flags["tumor"].SnomedCodes!);
        Assert.Contains("9631008", flags["inflammatory_arthritis"].SnomedCodes!);
        Assert.Contains("60168000", flags["infection"].SnomedCodes!);
    }

    [Theory]
    [InlineData("72195", "MRI SACRUM WO CONTRAST", true)]
    [InlineData("72195", "MR SACRUM/COCCYX W/O", true)]
    [InlineData("MRCOC", "MRI COCCYX WITHOUT CONTRAST", true)]
    [InlineData("72197", "MR SACRUM WO+W CONTRAST", true)]
    [InlineData(null, "MRI SACRUM-COCCYX W/O CON", true)]
    [InlineData("36060-2", "SACRUM COCCYX STUDY", true)]
    [InlineData(null, "Magnetic resonance tailbone", true)]
    [InlineData("72195", "MRI PELVIS WO CONTRAST", false)]
    [InlineData("72196", "MRI PELVIS W CONTRAST", false)]
    [InlineData("72195", "MRI SACROILIAC JOINTS WO CONTRAST", false)]
    [InlineData("72195", "MRI SI JOINTS WO", false)]
    [InlineData("72148", "MRI LUMBAR SPINE WO CONTRAST", false)]
    [InlineData(null, "MRI LUMBOSACRAL SPINE", false)]
    [InlineData(null, "CT SACRUM COCCYX WO CONTRAST", false)]
    [InlineData("72220", "XR SACRUM AND COCCYX 2+ VIEWS", false)]
    [InlineData("72195", null, false)]
    public void TargetExam_BuiltInSacrum_RecognisesSacrumMriOnly(string? code, string? name, bool expected) =>
        Assert.Equal(expected, new ExamMatcher(_sacrum.TargetExam).Matches(code, name));

    [Fact]
    public void Load_SiteCopyWithExtraLocalCode_RecognisesIt()
    {
        var yaml = ProtocolLoader.BuiltInYaml("sacrum-mri-lbp").Replace("codes: [\"36059-4\", \"36060-2\"]", "codes: [\"36059-4\", \"36060-2\", \"IMG1234\"]", StringComparison.Ordinal);
        var protocol = ProtocolLoader.Parse(yaml, "site.yaml");
        Assert.True(new ExamMatcher(protocol.TargetExam).Matches("IMG1234", "SITE ORDERABLE 1234"));
    }

    [Theory]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flags:\n  - {id: a, codes: [Z85]}\n  - {id: a, codes: [C00-C96]}\n", "red_flags: id 'a' appears twice")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flags:\n  - {id: a, codes: [C96-C00]}\n", "red_flags[0].codes: code range 'C96-C00'")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {modality_terms: [mri]}\n", "target_exam: needs codes, or both modality_terms and body_terms")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flag: []\n", "site.yaml:4:")]
    [InlineData("title: no id\n", "id: required")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flags:\n  - {id: a, snomed_codes: [C50.9]}\n", "red_flags[0].snomed_codes (a): 'C50.9' is not a SNOMED CT concept id")]
    public void Parse_MalformedProtocol_ErrorNamesSourceAndField(string yaml, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => ProtocolLoader.Parse(yaml, "site.yaml"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("site.yaml", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownIdOrPath_Throws() =>
        Assert.Throws<FormatException>(() => ProtocolLoader.Load("no-such-protocol"));
}
