using System.Text.RegularExpressions;

namespace ImagingValue.ClinicalText.Tests;

/// <summary>
/// The prefilter that skips a rule regex when the sentence holds none of the words it can start with: it must read
/// the starting words right, and say "unknown" (null: always run) whenever it cannot be sure.
/// </summary>
public class PatternAnchorsTests
{
    [Theory]
    [InlineData(@"(?<=^| )(?:in|of|from) (?:his |her )?(?:mother|father)(?= |$)", "from,in,of")]
    [InlineData(@"(?:months|month|mos|mo) ago(?<=(?:^| )(?:\d+|a) (?:months|month|mos|mo) ago)(?= |$)", "mo,month,months,mos")]
    [InlineData(@"^(?:in|during) (?:19|20)\d\d(?= |$)", "during,in")]
    [InlineData(@"(?<=^| )x (?:\d+|one)(?= |$)", "x")]
    [InlineData(@": (?:denies|none)(?= ;|$)", ":")]
    [InlineData(@",(?: (?:and|but))?(?= (?:there is|she)(?: |$))", ",")]
    [InlineData(@"(?:in|at [(|)]|of \(x) the", "at,in,of")] // brackets and bars escaped or in a class are not structure
    [InlineData(@"(?<=^| )(?<!(?:jan|date) )(?:19|20)\d\d(?= |$)", PatternAnchors.Number)]
    [InlineData(@"(?:denies|no)(?= ;|$)(?<=(?:^| )(?<!(?:he|:) )(?:denies|no))", "denies,no")]
    public void FirstTokens_ReadsTheWordsAMatchStartsWith(string pattern, string expected) =>
        Assert.Equal(expected, string.Join(",", PatternAnchors.FirstTokens(pattern)!.Order(StringComparer.Ordinal)));

    [Theory]
    [InlineData(@"(?<=^| )(?:in |over )?the (?:past|last)")] // optional group: the match may start at "the"
    [InlineData(@"(?<=^| )(?:s/p|status post) (?:\w+ ){1,5}?for")] // "s/p" is several tokens
    [InlineData(@"(?<=^| )(?:1[5-9]|[2-9]\d) (?:days|d) ago")] // a character class
    [InlineData(@"(?<=^| )parents? of")] // "parent" alone is a token too
    [InlineData(@"(?<=^| )(?:diagnosed|dx'd) in")] // an apostrophe the tokenizer folds
    [InlineData(@"(?<=^| )Pt with")] // upper case: a case-sensitive rule
    [InlineData(@"\bpain\b")]
    [InlineData(@"no fever|denies")] // a bar outside any group: either branch can start the match
    public void FirstTokens_WhenUnsure_GivesNoAnchors(string pattern) =>
        Assert.Null(PatternAnchors.FirstTokens(pattern));

    [Fact]
    public void EveryShippedPattern_AnchoredOrNot_FindsTheSameMatchesWithThePrefilter()
    {
        // Each shipped regex through the matcher that ships (PhraseMatcher, prefilter included) against the plain regex
        // on every corpus sentence: whenever the regex matches on token boundaries, the matcher finds a match too.
        var views = CorpusTests.Lines("notes.tsv").Concat(CorpusTests.Lines("indications.tsv"))
            .Select(c => c[1])
            .Select(sentence => new SentenceView(sentence, 0, sentence.Length, Tokenizer.Tokenize(sentence)))
            .ToList();
        var patterns = ContextRuleSet.Default.Rules.Where(r => r.Pattern is not null).Select(r => r.Pattern!)
            .Concat(TargetRuleSet.LowBackPainDefaults.Rules.Concat(TargetRuleSet.Lumbar.Rules).Concat(TargetRuleSet.Headache.Rules).Concat(TargetRuleSet.SacrumReportFindings.Rules).Where(r => r.Pattern is not null && !r.CaseSensitive).Select(r => r.Pattern!))
            .ToList();
        Assert.True(patterns.Count >= 20);
        foreach (var pattern in patterns.Where(p => PatternAnchors.FirstTokens(p) is not null))
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant);
            var matcher = new PhraseMatcher<string>();
            matcher.AddPattern(regex, caseSensitive: false, pattern);
            foreach (var view in views)
            {
                var matchesOnBoundary = false;
                foreach (var m in regex.EnumerateMatches(view.JoinedText(false)))
                {
                    if (m.Length > 0 && view.TokenStartingAt(m.Index) >= 0 && view.TokenEndingAt(m.Index + m.Length) >= 0)
                    {
                        matchesOnBoundary = true;
                        break;
                    }
                }

                Assert.False(matchesOnBoundary && matcher.FindAll(view, 0, view.Count).Count == 0, $"'{pattern}' matches '{view.Text}' but the matcher skipped it");
            }
        }
    }
}
