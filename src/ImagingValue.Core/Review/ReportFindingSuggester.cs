using System.Text.RegularExpressions;
using ImagingValue.ClinicalText;
using ImagingValue.Core.Protocols;

namespace ImagingValue.Core.Review;

/// <summary>The classes of report findings a protocol names.</summary>
public enum FindingClass
{
    Major,
    Minor,
    Incidental,
}

/// <summary>One sentence of a report that suggests a finding.</summary>
/// <param name="Concept">The finding's concept id, e.g. <c>sacroiliitis</c>.</param>
/// <param name="Sentence">The sentence as written.</param>
/// <param name="SentenceSpan">Where the sentence is in the whole report text.</param>
/// <param name="Possible">The report says it is possible (uncertain), not that it is there.</param>
public sealed record FindingEvidence(FindingClass Class, string Concept, string Sentence, Screening.TextSpan SentenceSpan, bool Possible)
{
    /// <summary>The class as written in files and pages: major, minor or incidental.</summary>
    public string ClassText => ClassName(Class);

    /// <summary>The class as written in files and pages: major, minor or incidental.</summary>
    public static string ClassName(FindingClass findingClass) => findingClass switch
    {
        FindingClass.Major => "major",
        FindingClass.Minor => "minor",
        _ => "incidental",
    };

    /// <summary>What the mark says: <c>major: sacroiliitis, possible</c>.</summary>
    public string Label => $"{ClassText}: {Concept}{(Possible ? ", possible" : string.Empty)}";

    /// <summary>The line findings.csv carries: <c>major: "Bilateral sacroiliac joint edema ..." [sacroiliitis]</c>.</summary>
    public override string ToString() =>
        $"{ClassText}: \"{Screening.ScreeningEvidenceFormatter.Quote(Sentence)}\" [{Concept}{(Possible ? ", possible" : string.Empty)}]";
}

/// <summary>What the report text suggests a reviewer will find, with the sentences that say so.</summary>
/// <param name="Evidence">Every sentence that suggests a finding, in report order (a sentence the report repeats is here each time it occurs).</param>
public sealed record FindingSuggestion(string OrderId, bool Major, bool Minor, bool Incidental, IReadOnlyList<FindingEvidence> Evidence)
{
    /// <summary>The evidence as lines for people and findings.csv, each distinct line once (see <see cref="FindingEvidence.ToString"/>).</summary>
    public IReadOnlyList<string> Lines => [.. Evidence.Select(e => e.ToString()).Distinct(StringComparer.Ordinal)];
}

/// <summary>
/// Reads a radiology report's FINDINGS and IMPRESSION (not its clinical history, where "r/o sacroiliitis" is the
/// question, not the answer) and suggests major, minor and incidental findings by the protocol's categories.
/// Negated, hypothetical and other people's mentions do not count; a possible finding does, marked as such, because a
/// suggestion should send the reviewer to look. Its words come from the protocol (<see cref="ProtocolRuntime.FindingSuggester"/>). Thread-safe.
/// </summary>
public sealed partial class ReportFindingSuggester
{
    private readonly ClinicalTextAnalyzer _analyzer;
    private readonly Dictionary<string, FindingClass> _classOfConcept;

    public ReportFindingSuggester(ReportFindingCategories categories, ClinicalTextAnalyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(analyzer);
        _analyzer = analyzer;
        _classOfConcept = new Dictionary<string, FindingClass>(StringComparer.Ordinal);
        foreach (var (name, concepts) in new[] { (FindingClass.Major, categories.Major), (FindingClass.Minor, categories.Minor), (FindingClass.Incidental, categories.Incidental) })
        {
            foreach (var concept in concepts)
            {
                _classOfConcept.TryAdd(concept, name);
            }
        }
    }

    public FindingSuggestion Suggest(string orderId, string reportText)
    {
        ArgumentNullException.ThrowIfNull(reportText);
        var bodyStart = BodyStart(reportText);
        var body = reportText[bodyStart..];
        var evidence = new List<FindingEvidence>();
        var found = new HashSet<FindingClass>();
        foreach (var mention in _analyzer.Analyze(body))
        {
            var a = mention.Assertion;
            if (!_classOfConcept.TryGetValue(mention.Concept, out var findingClass) || a.Negated || a.Hypothetical || a.Experiencer != Experiencer.Patient)
            {
                continue;
            }

            found.Add(findingClass);
            var item = new FindingEvidence(findingClass, mention.Concept, mention.Sentence, new Screening.TextSpan(bodyStart + mention.SentenceStart, mention.Sentence.Length), a.Uncertain);
            if (!evidence.Contains(item))
            {
                evidence.Add(item);
            }
        }

        return new FindingSuggestion(orderId, found.Contains(FindingClass.Major), found.Contains(FindingClass.Minor), found.Contains(FindingClass.Incidental), evidence);
    }

    /// <summary>Where the first FINDINGS or IMPRESSION header begins; 0 (the whole text) when there is neither.</summary>
    public static int BodyStart(string report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var header = Headers().Match(report);
        return header.Success ? header.Index : 0;
    }

    [GeneratedRegex(@"(?im)^\s*(findings|impression)\s*:")]
    private static partial Regex Headers();
}

/// <summary>Suggestions for many exams: each order's report found by order id, or by accession when the export has no order id.</summary>
public static class ReportFindings
{
    public static IReadOnlyDictionary<string, FindingSuggestion> SuggestAll(
        ReportFindingSuggester suggester,
        IEnumerable<Data.ImagingOrder> orders,
        IReadOnlyList<Data.RadiologyReport> reports)
    {
        ArgumentNullException.ThrowIfNull(suggester);
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(reports);
        var byOrder = new Dictionary<string, string>(StringComparer.Ordinal);
        var byAccession = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var report in reports)
        {
            if (report.OrderId is { } orderId)
            {
                byOrder[orderId] = report.ReportText;
            }
            else if (report.Accession is { } accession)
            {
                byAccession[accession] = report.ReportText;
            }
        }

        var work = orders
            .Select(o => (o.OrderId, Text: byOrder.GetValueOrDefault(o.OrderId) ?? (o.Accession is { } a ? byAccession.GetValueOrDefault(a) : null)))
            .Where(w => w.Text is not null)
            .ToList();
        var results = new FindingSuggestion[work.Count];
        Parallel.For(0, work.Count, i => results[i] = suggester.Suggest(work[i].OrderId, work[i].Text!));
        return results.ToDictionary(r => r.OrderId, StringComparer.Ordinal);
    }
}
