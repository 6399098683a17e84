namespace ImagingValue.ClinicalText.Tests;

public class SentenceSplitterTests
{
    private static string[] Sentences(string text) =>
        SentenceSplitter.Default.Split(text).Where(s => !s.IsHeader).Select(s => text[s.Start..s.End]).ToArray();

    [Theory]
    [InlineData("Tylenol 500 mg p.o. daily. LBP.", new[] { "Tylenol 500 mg p.o. daily.", "LBP." })]
    [InlineData("r/o fx. s/p fall.", new[] { "r/o fx.", "s/p fall." })]
    [InlineData("h/o ca. LBP", new[] { "h/o ca.", "LBP" })]
    [InlineData("Seen by Dr. Smith for LBP.", new[] { "Seen by Dr. Smith for LBP." })]
    [InlineData("Symptoms, e.g. fever, noted. LBP", new[] { "Symptoms, e.g. fever, noted.", "LBP" })]
    [InlineData("Temp 38.5 today. LBP", new[] { "Temp 38.5 today.", "LBP" })]
    [InlineData("1. LBP 2. fever", new[] { "1. LBP", "2. fever" })]
    [InlineData("LBP\nfever", new[] { "LBP", "fever" })]
    [InlineData("LBP\r\nfever", new[] { "LBP", "fever" })]
    [InlineData("?fracture. Fever", new[] { "?fracture.", "Fever" })]
    [InlineData("eval ? fx of sacrum", new[] { "eval ? fx of sacrum" })]
    [InlineData("Fracture? Fever!", new[] { "Fracture?", "Fever!" })]
    [InlineData("fracture vs. tumor", new[] { "fracture vs. tumor" })]
    public void Split_ClinicalText_SentencesAsExpected(string text, string[] expected) =>
        Assert.Equal(expected, Sentences(text));

    [Fact]
    public void Split_SectionHeaders_AreOwnSegmentsAndNewSections()
    {
        const string text = "HISTORY: LBP. FAMILY HISTORY: colon ca\nINDICATION: r/o fx";
        var segments = SentenceSplitter.Default.Split(text);
        Assert.Equal(["HISTORY:", "LBP.", "FAMILY HISTORY:", "colon ca", "INDICATION:", "r/o fx"], segments.Select(s => text[s.Start..s.End]).ToArray());
        Assert.Equal([true, false, true, false, true, false], segments.Select(s => s.IsHeader).ToArray());
        Assert.Equal(3, segments.Select(s => s.Section).Distinct().Count());
    }

    [Fact]
    public void Split_MixedCaseKnownHeader_IsHeader() =>
        Assert.True(SentenceSplitter.Default.Split("Family history: lymphoma")[0].IsHeader);

    [Theory]
    [InlineData("Pain: worse at night")]
    [InlineData("at 10:30 fell")]
    [InlineData("LBP: 3 months")]
    public void Split_ColonThatIsNotAHeader_StaysInSentence(string text) =>
        Assert.DoesNotContain(SentenceSplitter.Default.Split(text), s => s.IsHeader);

    [Fact]
    public void Analyze_SentenceBoundary_StopsNegation()
    {
        var mentions = TestText.Analyzer.Analyze("No trauma. Sacral pain after Dr. visit.");
        Assert.True(Assert.Single(mentions, m => m.Concept == "trauma").Assertion.Negated);
        var pain = Assert.Single(mentions, m => m.Concept == "low_back_pain");
        Assert.False(pain.Assertion.Negated);
        Assert.Equal("Sacral pain after Dr. visit.", pain.Sentence);
    }

    [Fact]
    public void Analyze_ListNumbers_SplitItems()
    {
        var mentions = TestText.Analyzer.Analyze("1. no LBP 2. fever");
        Assert.True(Assert.Single(mentions, m => m.Concept == "low_back_pain").Assertion.Negated);
        Assert.False(Assert.Single(mentions, m => m.Concept == "infection").Assertion.Negated);
    }

    [Fact]
    public void Split_RunOfClausesLongerThanTheLimit_ReadInPiecesCutAfterAClauseMark()
    {
        var clauses = Enumerable.Range(0, 2000).Select(i => i % 2 == 0 ? "no fever" : "denies weight loss");
        var text = "low back pain, " + string.Join(", ", clauses);

        var pieces = Sentences(text);

        Assert.True(pieces.Length > text.Length / SentenceSplitter.MaxSentenceLength, $"{pieces.Length} pieces");
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, SentenceSplitter.MaxSentenceLength));
        Assert.All(pieces[..^1], p => Assert.EndsWith(",", p, StringComparison.Ordinal));
        Assert.Equal(text.Replace(" ", string.Empty, StringComparison.Ordinal), string.Concat(pieces).Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Split_LongTextWithoutClauseMarksOrSpaces_CutAtTheLimit()
    {
        var text = new string('x', (3 * SentenceSplitter.MaxSentenceLength) + 5);
        Assert.Equal([SentenceSplitter.MaxSentenceLength, SentenceSplitter.MaxSentenceLength, SentenceSplitter.MaxSentenceLength, 5], Sentences(text).Select(p => p.Length).ToArray());
    }

    [Fact]
    public void Analyze_RunOfClausesLongerThanTheLimit_EachPieceStillReadWithItsModifiers()
    {
        var clauses = Enumerable.Range(0, 1500).Select(i => i == 1400 ? "hx of breast cancer" : "no fever");
        var mentions = TestText.Analyzer.Analyze("low back pain, " + string.Join(", ", clauses));

        var cancer = Assert.Single(mentions, m => m.Concept == "tumor");
        Assert.True(cancer.Assertion.Historical);
        Assert.False(cancer.Assertion.Negated);
        Assert.All(mentions, m => Assert.InRange(m.Sentence.Length, 1, SentenceSplitter.MaxSentenceLength));
        Assert.All(mentions.Where(m => m.Concept == "infection"), m => Assert.True(m.Assertion.Negated));
    }
}
