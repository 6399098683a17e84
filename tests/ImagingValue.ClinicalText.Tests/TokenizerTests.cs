namespace ImagingValue.ClinicalText.Tests;

public class TokenizerTests
{
    private static string[] Norms(string text) => Tokenizer.Tokenize(text).Select(t => t.Norm).ToArray();

    [Theory]
    [InlineData("s/p fall", new[] { "s/p", "fall" })]
    [InlineData("h/o CA", new[] { "h/o", "ca" })]
    [InlineData("r/o fx", new[] { "r/o", "fx" })]
    [InlineData("?fracture", new[] { "?", "fracture" })]
    [InlineData("p.o. meds", new[] { "po", "meds" })]
    [InlineData("Low-Back pain", new[] { "low", "back", "pain" })]
    [InlineData("pt's mother", new[] { "pts", "mother" })]
    [InlineData("x3mo", new[] { "x", "3", "mo" })]
    [InlineData("2wks ago", new[] { "2", "wks", "ago" })]
    [InlineData("HLA-B27+", new[] { "hla", "b27", "+" })]
    [InlineData("ESR/CRP", new[] { "esr", "/", "crp" })]
    [InlineData("on 3/2/2015", new[] { "on", "3/2/2015" })]
    [InlineData("temp 38.5", new[] { "temp", "38.5" })]
    [InlineData("FH: colon ca", new[] { "fh", ":", "colon", "ca" })]
    [InlineData("fever, chills", new[] { "fever", ",", "chills" })]
    [InlineData("(LBP)", new[] { "lbp" })]
    [InlineData("?# L1, crush #", new[] { "?", "#", "l1", ",", "crush", "#" })]
    [InlineData("[ ] fever [X] none []", new[] { "[ ]", "fever", "[x]", "none", "[ ]" })]
    [InlineData("[see note] [1]", new[] { "see", "note", "1" })]
    public void Tokenize_ClinicalShorthand_TokensAsExpected(string text, string[] expected) =>
        Assert.Equal(expected, Norms(text));

    [Fact]
    public void Tokenize_Offsets_CoverTheTextAsWritten()
    {
        const string text = "Pt c/o p.o. LBP";
        var tokens = Tokenizer.Tokenize(text);
        Assert.Equal(["Pt", "c/o", "p.o.", "LBP"], tokens.Select(t => text.Substring(t.Start, t.Length)).ToArray());
        Assert.Equal("LBP", tokens[3].Cased);
    }

    [Fact]
    public void Tokenize_DateToken_HasDateKind() =>
        Assert.Equal(TokenKind.Date, Tokenizer.Tokenize("3/2/2015")[0].Kind);
}
