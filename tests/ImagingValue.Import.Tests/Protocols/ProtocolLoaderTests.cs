using ImagingValue.Core.Protocols;
using ImagingValue.Protocols;

namespace ImagingValue.Import.Tests.Protocols;

public class ProtocolLoaderTests
{
    private static readonly Protocol _sacrum = ProtocolLoader.Load("sacrum-mri-lbp").Protocol;

    [Fact]
    public void Load_BuiltInSacrum_RedFlagsInContractOrder()
    {
        Assert.Equal("sacrum-mri-lbp", _sacrum.Id);
        Assert.Equal(["tumor", "infection", "inflammatory_arthritis", "recent_trauma", "occult_fracture", "cauda_equina", "progressive_neuro_deficit", "weight_loss", "osteoporotic_collapse"], _sacrum.RedFlags.Select(f => f.Id));
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
        var protocol = ProtocolLoader.Parse(yaml, "site.yaml").Protocol;
        Assert.True(new ExamMatcher(protocol.TargetExam).Matches("IMG1234", "SITE ORDERABLE 1234"));
    }

    [Theory]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flags:\n  - {id: a, codes: [Z85]}\n  - {id: a, codes: [C00-C96]}\n", "site.yaml:6: red_flags[1].id: id 'a' appears twice")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flags:\n  - {id: a, codes: [C96-C00]}\n", "site.yaml:5: red_flags[0].codes[0]: code range 'C96-C00'")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {modality_terms: [mri]}\n", "target_exam: needs codes, or both modality_terms and body_terms")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flag: []\n", "site.yaml:4:")]
    [InlineData("title: no id\n", "site.yaml:1: id: required")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flags:\n  - id: a\n    codes: [Z85]\n    max_day_before_order: 28\n",
        "site.yaml:7: red_flags[0].max_day_before_order: unknown key in red_flags[0] (valid keys: id, label, concepts, codes, suspected_counts, historical_counts, max_days_before_order, ")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flag: []\n", "site.yaml:4: red_flag: unknown key in the protocol (valid keys: id, title, description, charge_per_exam, ")]
    [InlineData("id: x\ncharge_per_exam: lots\n", "site.yaml:2: charge_per_exam: 'lots' is not a number")]
    [InlineData("id: x\nqualifying_indication: {concepts: low_back_pain}\n", "site.yaml:2: qualifying_indication.concepts: expected a list, e.g. [a, b]")]
    [InlineData("id: x\nred_flags:\n  - {id: a, codes: [Z85], historical_counts: sometimes}\n", "site.yaml:3: red_flags[0].historical_counts: 'sometimes' is not true or false")]
    [InlineData("id: x\nred_flags: [{id: a, codes: [Z85]\n", "site.yaml:")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flags:\n  - {id: a, snomed_codes: [C50.9]}\n", "site.yaml:5: red_flags[0].snomed_codes[0]: 'C50.9' is not a SNOMED CT concept id (a)")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flags: [~]\n", "site.yaml:4: red_flags[0]: an empty list item (remove it, or give it a value)")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flags:\n  - {id: a, codes: [~, Z85]}\n", "site.yaml:5: red_flags[0].codes[0]: an empty list item")]
    [InlineData("id: x\nqualifying_indication: {concepts: [a]}\ntarget_exam: {codes: [c]}\nred_flags:\n  - {id: a, codes: [Z85, \"\"]}\n", "site.yaml:5: red_flags[0].codes[1]: an empty code")]
    [InlineData("id: x\ncharge_per_exam:\n", "site.yaml:2: charge_per_exam: no value (give one, or remove the key)")]
    [InlineData("id: x\nqualifying_indication:\n  concepts: [a]\n  codes:\n", "site.yaml:4: qualifying_indication.codes: no value")]
    public void Parse_MalformedProtocol_ErrorNamesSourceAndField(string yaml, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => ProtocolLoader.Parse(yaml, "site.yaml"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("site.yaml", ex.Message, StringComparison.Ordinal);
    }


    [Theory]
    [InlineData("id: x\nred_flags:\n  - {id: a, concept: [trauma]}\n", "; did you mean concepts?")]
    [InlineData("id: x\nred_flags:\n  - {id: a, codes: [Z85], max_day_before_order: 28}\n", "; did you mean max_days_before_order?")]
    [InlineData("id: x\nqualifying_indicaton: {concepts: [a]}\n", "; did you mean qualifying_indication?")]
    [InlineData("id: x\nred_flags:\n  - {id: a, cocnepts: [trauma]}\n", "; did you mean concepts?")]
    public void Parse_MisspeltKey_NamesTheKeyItMostLikelyMeant(string yaml, string hint)
    {
        var ex = Assert.Throws<FormatException>(() => ProtocolLoader.Parse(yaml, "site.yaml"));
        Assert.EndsWith(hint, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MisspeltBuiltInId_NamesTheProtocolItMostLikelyMeant()
    {
        var ex = Assert.Throws<FormatException>(() => ProtocolLoader.Load("sacrum-mri-lb"));
        Assert.Equal("protocol 'sacrum-mri-lb': neither a built-in protocol (head-imaging-headache, lumbar-imaging-lbp, sacrum-mri-lbp) nor a file; did you mean sacrum-mri-lbp?", ex.Message);
    }
    [Fact]
    public void Load_UnknownIdOrPath_Throws() =>
        Assert.Throws<FormatException>(() => ProtocolLoader.Load("no-such-protocol"));

    private const string Minimal = "id: x\ntarget_exam: {codes: [c]}\n";

    [Theory]
    [InlineData(Minimal + "qualifying_indication: {concepts: [low_back_pain]}\n", "site.yaml:1: text_rules.targets: required")]
    [InlineData(Minimal + "text_rules: {targets: [lbp_targets]}\nqualifying_indication: {concepts: [low_back_pain]}\nred_flags:\n  - {id: t, concepts: [tumour]}\n",
        "site.yaml:6: red_flags[0].concepts: 'tumour' is not a concept of lbp_targets (known: ")]
    [InlineData(Minimal + "text_rules: {targets: [lbp_target]}\nqualifying_indication: {concepts: [low_back_pain]}\n",
        "site.yaml:3: text_rules.targets[0]: 'lbp_target' is not a built-in target rule set (lbp_targets, lumbar_targets, headache_targets, sacrum_report_findings)")]
    [InlineData(Minimal + "text_rules: {targets: [lbp_targets], modifiers: [context_rules, site.json]}\nqualifying_indication: {concepts: [low_back_pain]}\n",
        "text_rules.modifiers[1]: 'site.json': a rule file is found relative to the protocol file")]
    [InlineData(Minimal + "text_rules: {targets: [lbp_targets]}\nqualifying_indication: {concepts: [low_back_pain]}\nreport_findings: {major: [sacroiliitis]}\n",
        "site.yaml:5: report_findings.rules: required")]
    [InlineData(Minimal + "text_rules: {targets: [lbp_targets]}\nqualifying_indication: {concepts: [low_back_pain]}\nreport_findings: {rules: [sacrum_report_findings], major: [sacroilitis]}\n",
        "report_findings.major: 'sacroilitis' is not a concept of sacrum_report_findings")]
    public void Parse_TextRulesMistake_RefusedWithLineAndWhatToDo(string yaml, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => ProtocolLoader.Parse(yaml, "site.yaml"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private const string WithSource = Minimal + "qualifying_indication: {codes: [M54.5]}\nsources:\n  - {id: acr, title: ACR, url: 'https://acsearch.acr.org/docs/69483/Narrative/'}\n";

    [Theory]
    [InlineData(WithSource + "red_flags:\n  - {id: t, codes: [C00-C96], sources: [acp]}\n", "site.yaml:7: red_flags[0].sources[0]: 'acp' is not a source of this protocol (sources: acr)")]
    [InlineData(WithSource + "card: {basis: b, basis_sources: [nice]}\n", "site.yaml:6: card.basis_sources[0]: 'nice' is not a source of this protocol")]
    [InlineData(WithSource + "card: {basis: b, advice: [{terms: [coccyx]}]}\n", "card.advice[0].text: required")]
    [InlineData(Minimal + "qualifying_indication: {codes: [M54.5]}\nsources:\n  - {id: acr, title: ACR, url: 'https://example.org/page#red-flags'}\n",
        "site.yaml:5: sources[0].url: 'https://example.org/page#red-flags' is not an http(s) address without a '#' fragment (acr)")]
    [InlineData(WithSource + "card: {basis: b, alternatives: [{label: PT, system: 'not a uri', code: '1', display: d}]}\n", "site.yaml:6: card.alternatives[0].system: 'not a uri' is not a code system URI")]
    [InlineData(WithSource + "card: {basis: b, alternatives: [{label: PT, system: 'http://snomed.info/sct', display: d}]}\n", "card.alternatives[0].code: required")]
    [InlineData(WithSource + "education:\n  guidelines:\n    - {text: t, sources: [nice]}\n", "site.yaml:8: education.guidelines[0].sources[0]: 'nice' is not a source of this protocol (sources: acr)")]
    [InlineData(WithSource + "education:\n  guidelines:\n    - {sources: [acr]}\n", "education.guidelines[0].text: required")]
    public void Parse_SourcesOrCardMistake_RefusedWithLine(string yaml, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => ProtocolLoader.Parse(yaml, "site.yaml"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BuiltInSacrum_EveryRedFlagCitesAGuidelineAndTheCardAdvisesByIndication()
    {
        Assert.All(_sacrum.RedFlags, f => Assert.NotEmpty(_sacrum.SourcesOf(f.Sources ?? [])));
        var card = _sacrum.Card!;
        Assert.Contains("cushion", card.For("coccydynia x 3 months", [])!.Text, StringComparison.Ordinal);
        Assert.Contains("cushion", card.For(null, ["M53.3"])!.Text, StringComparison.Ordinal);
        Assert.Contains("sacroiliac joints", card.For("LBP, r/o sacroiliitis", [])!.Text, StringComparison.Ordinal);
        Assert.Contains("staying active", card.For("chronic LBP", ["M54.50"])!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CardAlternativesByIndication_OfferedForTheReasonsTheyName()
    {
        var card = ProtocolLoader.Parse(WithSource + """
            card:
              basis: b
              alternatives:
                - {label: Order radiographs instead, system: 'http://www.ama-assn.org/go/cpt', code: '72220', display: XR sacrum, terms: [coccyx], codes: [M53.3]}
                - {label: Refer to physical therapy, system: 'http://snomed.info/sct', code: '91251008', display: Physical therapy procedure}
            """, "site.yaml").Protocol.Card!;

        Assert.Equal(["Refer to physical therapy"], card.AlternativesFor("low back pain", []).Select(a => a.Label));
        Assert.Equal(["Order radiographs instead", "Refer to physical therapy"], card.AlternativesFor("coccyx pain", []).Select(a => a.Label));
        Assert.Equal(["Order radiographs instead", "Refer to physical therapy"], card.AlternativesFor(null, ["M53.3"]).Select(a => a.Label));
        var physio = card.Alternatives[1];
        Assert.Equal(("Refer to physical therapy", "Physical therapy procedure"), (physio.Action, physio.Text));   // action and text default to label and display
        Assert.Null(card.Cancel);
    }

    [Fact]
    public void Load_BuiltIns_EducationStatementsCiteTheirOwnSourcesAndTheLumbarCardOffersNoSacrumExam()
    {
        foreach (var id in new[] { "sacrum-mri-lbp", "lumbar-imaging-lbp" })
        {
            var protocol = ProtocolLoader.Load(id).Protocol;
            Assert.All(protocol.Education!.Guidelines, g => Assert.NotEmpty(protocol.SourcesOf(g.Sources)));
            Assert.NotEmpty(protocol.Education.Instead);
            Assert.NotEmpty(protocol.Synthetic!.Reports);
        }

        var lumbar = ProtocolLoader.Load("lumbar-imaging-lbp").Protocol.Card!;
        Assert.Equal(["91251008"], lumbar.Alternatives.Select(a => a.Code));
        Assert.Equal("Cancel the MRI order", ProtocolLoader.Load("sacrum-mri-lbp").Protocol.Card!.Cancel);
    }

    [Fact]
    public void Parse_CodesOnlyProtocol_NeedsNoTextRules()
    {
        var runtime = ProtocolLoader.Parse("id: x\ntarget_exam: {codes: [c]}\nqualifying_indication: {codes: [M54.5]}\nred_flags:\n  - {id: t, codes: [C00-C96]}\n", "site.yaml");
        Assert.Equal("x", runtime.Protocol.Id);
        Assert.Null(runtime.FindingSuggester);
    }

    [Fact]
    public void Load_BuiltIn_BuiltOncePerProcess() =>
        Assert.Same(ProtocolLoader.Load("sacrum-mri-lbp"), ProtocolLoader.Load("sacrum-mri-lbp"));

    [Fact]
    public void Load_SiteRuleFileChanged_FingerprintChangesAndRulesApply()
    {
        var dir = Directory.CreateTempSubdirectory("iv-protocol-").FullName;
        try
        {
            var protocol = Path.Combine(dir, "site.yaml");
            File.WriteAllText(protocol, "id: site\ntext_rules: {targets: [site_targets.json]}\ntarget_exam: {codes: [c]}\nqualifying_indication: {concepts: [pain]}\n");
            File.WriteAllText(Path.Combine(dir, "site_targets.json"), """{"target_rules": [{"literal": "knee pain", "category": "pain"}]}""");
            var first = ProtocolLoader.Load(protocol);
            Assert.Single(first.IndicationText.Analyze("knee pain"));
            Assert.Empty(first.IndicationText.Analyze("gonalgia"));

            File.WriteAllText(Path.Combine(dir, "site_targets.json"), """{"target_rules": [{"literal": "knee pain", "category": "pain"}, {"literal": "gonalgia", "category": "pain"}]}""");
            var second = ProtocolLoader.Load(protocol);
            Assert.NotEqual(first.Fingerprint, second.Fingerprint);
            Assert.Single(second.IndicationText.Analyze("gonalgia"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Load_SiteRuleFileMalformed_ErrorNamesTheRuleFileAndTheProtocolLine()
    {
        var dir = Directory.CreateTempSubdirectory("iv-protocol-").FullName;
        try
        {
            var protocol = Path.Combine(dir, "site.yaml");
            File.WriteAllText(protocol, "id: site\ntext_rules:\n  targets: [site_targets.json]\ntarget_exam: {codes: [c]}\nqualifying_indication: {concepts: [pain]}\n");
            File.WriteAllText(Path.Combine(dir, "site_targets.json"), """{"target_rules": [{"literal": "knee pain"}]}""");
            var ex = Assert.Throws<FormatException>(() => ProtocolLoader.Load(protocol));
            Assert.StartsWith(Path.Combine(dir, "site_targets.json") + ":", ex.Message, StringComparison.Ordinal);
            Assert.Contains("category", ex.Message, StringComparison.Ordinal);
            Assert.Contains("site.yaml:3: text_rules.targets[0]", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
