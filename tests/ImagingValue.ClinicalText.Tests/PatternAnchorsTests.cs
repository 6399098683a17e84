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
        // Each shipped regex run on sentences with and without its anchors: skipping never loses a match.
        var sentences = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Corpus", "notes.tsv")).Skip(1)
            .Concat(File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Corpus", "indications.tsv")).Skip(1))
            .Select(l => l.Split('\t')[1]).ToList();
        var patterns = ContextRuleSet.Default.Rules.Where(r => r.Pattern is not null).Select(r => r.Pattern!)
            .Concat(TargetRuleSet.LowBackPainDefaults.Rules.Concat(TargetRuleSet.SacrumReportFindings.Rules).Where(r => r.Pattern is not null && !r.CaseSensitive).Select(r => r.Pattern!))
            .ToList();
        Assert.True(patterns.Count >= 20);
        foreach (var pattern in patterns)
        {
            var anchors = PatternAnchors.FirstTokens(pattern);
            if (anchors is null)
            {
                continue;
            }

            var regex = new Regex(pattern, RegexOptions.CultureInvariant);
            foreach (var sentence in sentences)
            {
                var tokens = Tokenizer.Tokenize(sentence);
                var joined = string.Join(" ", tokens.Select(t => t.Norm));
                var hasAnchor = tokens.Any(t => anchors.Contains(t.Norm) || (t.Kind is TokenKind.Number or TokenKind.Date && anchors.Contains(PatternAnchors.Number)));
                var matchesOnBoundary = regex.Matches(joined).Any(m => (m.Index == 0 || joined[m.Index - 1] == ' ') && m.Length > 0);
                Assert.False(matchesOnBoundary && !hasAnchor, $"'{pattern}' matches '{sentence}' although none of its first tokens occur");
            }
        }
    }
}
