using ImagingValue.Core.Protocols;
using ImagingValue.Core.Screening;

namespace ImagingValue.Core.Tests.Screening;

public class ScreeningEvidenceFormatterTests
{
    private static readonly TextSpan _span = new(0, 4);

    public static TheoryData<ScreeningEvidence, string> Lines => new()
    {
        { new ExamMatch(true, ExamMatchReason.Code, "sacrum MRI", "72195", "MR PELVIS", null).Evidence, "procedure code 72195 is sacrum MRI" },
        { new ExamMatch(true, ExamMatchReason.Name, "sacrum MRI", null, "MRI SACRUM \"WO\"", null).Evidence, "procedure \"MRI SACRUM \"WO\"\" is sacrum MRI" },
        { new ExamMatch(false, ExamMatchReason.ExcludedTerm, "sacrum MRI", null, "MRI SACRUM ARTHROGRAM", "arthrogram").Evidence, "procedure \"MRI SACRUM ARTHROGRAM\" names arthrogram" },
        { new ExamMatch(false, ExamMatchReason.NotModality, "sacrum MRI", null, "CT SACRUM", null).Evidence, "procedure \"CT SACRUM\" is not this modality" },
        { new ExamMatch(false, ExamMatchReason.NotBodyPart, "sacrum MRI", null, null, null).Evidence, "procedure \"\" is not this body part" },
        { new(EvidenceSource.OrderStatus, EvidenceRole.Unmet, Text: "cancelled"), "status: cancelled" },
        { new(EvidenceSource.ReasonCode, EvidenceRole.Counted, For: "tumor", Code: "C79.51"), "reason_code: C79.51 [tumor]" },
        { new(EvidenceSource.Requirement, EvidenceRole.Counted, For: "trauma_older", Concept: "age 70 or older", Text: "patient 72"), "requirement: age 70 or older: patient 72 [trauma_older]" },
        { new(EvidenceSource.Requirement, EvidenceRole.Unmet, For: "persistent", Concept: "with conservative_care", Text: "not mentioned"), "unmet requirement: with conservative_care: not mentioned [persistent]" },
        { new(EvidenceSource.ConditionCode, EvidenceRole.Counted, For: "tumor", Code: "Z85.3", Since: new DateOnly(2012, 4, 1)), "condition: Z85.3 since 2012-04-01 [tumor]" },
        { new(EvidenceSource.ConditionCode, EvidenceRole.Ignored, For: "recent_trauma", Code: "S32.2XXA", Since: new DateOnly(2014, 1, 1), Qualifiers: EvidenceQualifiers.DaysBeforeOrder, DaysBeforeOrder: 441), "ignored condition: S32.2XXA since 2014-01-01 [recent_trauma, 441 days before order]" },
        { new(EvidenceSource.ConditionCode, EvidenceRole.Ignored, For: "tumor", Code: "C61", KnownFrom: new DateOnly(2016, 2, 1)), "ignored condition: C61 first known 2016-02-01, after the order [tumor]" },
        { new(EvidenceSource.ConditionCode, EvidenceRole.Ignored, For: "tumor", Code: "C61"), "ignored condition: C61 has no onset or recorded date [tumor]" },
        { new(EvidenceSource.ConditionText, EvidenceRole.Counted, For: "tumor", Concept: "tumor", Text: " Malignant neoplasm of breast ", Since: new DateOnly(2012, 4, 1)), "condition text: \"Malignant neoplasm of breast\" since 2012-04-01 [tumor]" },
        { new(EvidenceSource.ConditionText, EvidenceRole.Ignored, For: "tumor", Concept: "tumor", Text: "Family history of \"cancer\"", Since: new DateOnly(2012, 4, 1), Qualifiers: EvidenceQualifiers.OtherPerson), "ignored condition text: \"Family history of 'cancer'\" since 2012-04-01 [tumor, other person]" },
        { new(EvidenceSource.Indication, EvidenceRole.Counted, For: "low_back_pain", Concept: "low_back_pain", Text: "LBP", Mention: _span, Sentence: _span), "indication: \"LBP\" [low_back_pain]" },
        { new(EvidenceSource.Indication, EvidenceRole.Counted, For: "tumor", Concept: "tumor", Text: "hx breast ca, LBP", Qualifiers: EvidenceQualifiers.Historical), "indication: \"hx breast ca, LBP\" [tumor, historical]" },
        { new(EvidenceSource.Indication, EvidenceRole.Counted, For: "tumor", Concept: "tumor", Text: "?mets", Qualifiers: EvidenceQualifiers.Suspected | EvidenceQualifiers.Undated), "indication: \"?mets\" [tumor, suspected, undated]" },
        { new(EvidenceSource.Indication, EvidenceRole.Counted, For: "recent_trauma", Concept: "fall", Text: "fell 10 days ago", Qualifiers: EvidenceQualifiers.DaysBeforeOrder, DaysBeforeOrder: 10), "indication: \"fell 10 days ago\" [recent_trauma, 10 days before order]" },
        { new(EvidenceSource.Indication, EvidenceRole.Ignored, For: "recent_trauma", Concept: "fall", Text: "?fall 2 months ago", Qualifiers: EvidenceQualifiers.Suspected | EvidenceQualifiers.DaysBeforeOrder, DaysBeforeOrder: 61), "ignored indication: \"?fall 2 months ago\" [recent_trauma, suspected, 61 days before order]" },
        { new(EvidenceSource.Indication, EvidenceRole.Ignored, For: "recent_trauma", Concept: "trauma", Text: "LBP, no trauma", Qualifiers: EvidenceQualifiers.Negated), "ignored indication: \"LBP, no trauma\" [recent_trauma, negated]" },
        { new(EvidenceSource.Indication, EvidenceRole.Ignored, For: "tumor", Concept: "tumor", Text: "if cancer", Qualifiers: EvidenceQualifiers.Hypothetical), "ignored indication: \"if cancer\" [tumor, hypothetical]" },
        { new(EvidenceSource.Indication, EvidenceRole.Ignored, For: "tumor", Concept: "tumor", Text: "?ca", Qualifiers: EvidenceQualifiers.SuspectedOnly), "ignored indication: \"?ca\" [tumor, suspected only]" },
        { new(EvidenceSource.Indication, EvidenceRole.Missing), "indication: (none)" },
        { new(EvidenceSource.Indication, EvidenceRole.Unmet, For: "low back pain", Text: "hip \"pain\""), "indication: \"hip \"pain\"\" is not low back pain" },
        { ScreeningEvidence.FromLegacyText("indication: \"x | y\" [tumor]"), "indication: \"x | y\" [tumor]" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Format_EachKind_TheLegacyLine(ScreeningEvidence evidence, string expected)
    {
        Assert.Equal(expected, ScreeningEvidenceFormatter.Format(evidence));
        Assert.Equal(expected, evidence.ToString());
    }

    [Fact]
    public void Join_SeveralItems_SeparatedByBars()
    {
        ScreeningEvidence[] items = [new(EvidenceSource.Indication, EvidenceRole.Missing), new(EvidenceSource.ReasonCode, EvidenceRole.Counted, For: "tumor", Code: "C79.51")];

        Assert.Equal("indication: (none) | reason_code: C79.51 [tumor]", ScreeningEvidenceFormatter.Join(items));
        Assert.Equal(string.Empty, ScreeningEvidenceFormatter.Join([]));
    }
}
