using System.Text.RegularExpressions;

namespace ImagingValue.ClinicalText.Tests;

public sealed class PhraseMatcherTests
{
    private static SentenceView View(string text) => new(text, 0, text.Length, Tokenizer.Tokenize(text));

    [Fact]
    public void FindAll_CompiledPatternTimesOut_RuleFallsBackToTheInterpreterAndKeepsMatching()
    {
        // (a|aa)*c backtracks exponentially on a run of a's without a c: about 0.1 s here compiled, far over the
        // 1 ms this compiled copy is given, and well inside the interpreter's 5 s.
        var matcher = new PhraseMatcher<string>();
        matcher.AddPattern(new Regex("(?:a|aa)*c", RegexOptions.Compiled | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(1)), caseSensitive: true, "rule");

        var none = matcher.FindAll(View(new string('a', 26)), 0, 1);

        Assert.Empty(none);
        Assert.True(matcher.IsInterpreted(0));
        var found = Assert.Single(matcher.FindAll(View("x aac y"), 0, 3));
        Assert.Equal((1, 2), (found.Start, found.End));
        Assert.Equal(["rule"], found.Rules);
    }

    [Fact]
    public void FindAll_CompiledPatternWithinItsBudget_StaysCompiled()
    {
        var matcher = new PhraseMatcher<string>();
        matcher.AddPattern(new Regex("(?:a|aa)*c", RegexOptions.Compiled | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5)), caseSensitive: true, "rule");

        Assert.Single(matcher.FindAll(View("x aac y"), 0, 3));
        Assert.False(matcher.IsInterpreted(0));
    }
}
