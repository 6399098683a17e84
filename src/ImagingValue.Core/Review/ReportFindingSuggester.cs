using System.Text.RegularExpressions;
using ImagingValue.ClinicalText;
using ImagingValue.Core.Protocols;

namespace ImagingValue.Core.Review;

/// <summary>What the report text suggests a reviewer will find, with the sentences that say so.</summary>
/// <param name="Evidence">Items like <c>major: "Bilateral sacroiliac joint edema ..." [sacroiliitis]</c>.</param>
public sealed record FindingSuggestion(string OrderId, bool Major, bool Minor, bool Incidental, IReadOnlyList<string> Evidence);

/// <summary>
/// Reads a radiology report's FINDINGS and IMPRESSION (not its clinical history, where "r/o sacroiliitis" is the
/// question, not the answer) and suggests major, minor and incidental findings by the protocol's categories.
/// Negated, hypothetical and other people's mentions do not count; a possible finding does, marked as such, because a
/// suggestion should send the reviewer to look. Its words come from the protocol (<see cref="ProtocolRuntime.FindingSuggester"/>). Thread-safe.
/// </summary>
public sealed partial class ReportFindingSuggester
{
    private readonly ClinicalTextAnalyzer _analyzer;
    private readonly Dictionary<string, string> _classOfConcept;

    public ReportFindingSuggester(ReportFindingCategories categories, ClinicalTextAnalyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(analyzer);
        _analyzer = analyzer;
        _classOfConcept = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, concepts) in new[] { ("major", categories.Major), ("minor", categories.Minor), ("incidental", categories.Incidental) })
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
        var body = FindingsAndImpression(reportText);
        var evidence = new List<string>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mention in _analyzer.Analyze(body))
        {
            var a = mention.Assertion;
            if (!_classOfConcept.TryGetValue(mention.Concept, out var findingClass) || a.Negated || a.Hypothetical || a.Experiencer != Experiencer.Patient)
            {
                continue;
            }

            found.Add(findingClass);
            var item = $"{findingClass}: \"{mention.Sentence.Trim().Replace('"', '\'')}\" [{mention.Concept}{(a.Uncertain ? ", possible" : string.Empty)}]";
            if (!evidence.Contains(item))
            {
                evidence.Add(item);
            }
        }

        return new FindingSuggestion(orderId, found.Contains("major"), found.Contains("minor"), found.Contains("incidental"), evidence);
    }

    /// <summary>The text from the first FINDINGS or IMPRESSION header on; the whole text when there is neither.</summary>
    private static string FindingsAndImpression(string report)
    {
        var header = Headers().Match(report);
        return header.Success ? report[header.Index..] : report;
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
