namespace ImagingValue.Web.Review;

/// <summary>A piece of text, marked with a label when it is evidence.</summary>
public sealed record TextSegment(string Text, string? Label);

/// <summary>Splits a text into plain and marked pieces, so a page can wrap the evidence in &lt;mark&gt; while Razor encodes every piece.</summary>
public static class TextHighlighter
{
    /// <summary>
    /// Marks every case-insensitive occurrence of each phrase; where phrases overlap, the earlier (then longer) wins.
    /// </summary>
    public static IReadOnlyList<TextSegment> Segments(string? text, IEnumerable<(string Phrase, string Label)> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var hits = new List<(int Start, int Length, string Label)>();
        foreach (var (phrase, label) in phrases)
        {
            if (string.IsNullOrWhiteSpace(phrase))
            {
                continue;
            }

            for (var at = text.IndexOf(phrase, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(phrase, at + phrase.Length, StringComparison.OrdinalIgnoreCase))
            {
                hits.Add((at, phrase.Length, label));
            }
        }

        var segments = new List<TextSegment>();
        var position = 0;
        foreach (var hit in hits.OrderBy(h => h.Start).ThenByDescending(h => h.Length))
        {
            if (hit.Start < position)
            {
                continue;
            }

            if (hit.Start > position)
            {
                segments.Add(new TextSegment(text[position..hit.Start], null));
            }

            segments.Add(new TextSegment(text.Substring(hit.Start, hit.Length), hit.Label));
            position = hit.Start + hit.Length;
        }

        if (position < text.Length)
        {
            segments.Add(new TextSegment(text[position..], null));
        }

        return segments;
    }

    /// <summary>
    /// The quoted phrases of evidence items that start with <paramref name="source"/> (e.g. <c>indication</c>), with
    /// the bracketed concept as label: <c>indication: "low back pain" [low_back_pain]</c>. Items that start with
    /// <c>ignored</c> are left out: they did not count.
    /// </summary>
    public static IEnumerable<(string Phrase, string Label)> QuotedPhrases(IEnumerable<string> evidence, string source)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        foreach (var item in evidence)
        {
            var text = item.Trim();
            if (source.Length > 0 && !text.StartsWith(source, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var open = text.IndexOf('"', StringComparison.Ordinal);
            var close = open < 0 ? -1 : text.IndexOf('"', open + 1);
            if (close <= open + 1)
            {
                continue;
            }

            var phrase = text[(open + 1)..close];
            var bracket = text.IndexOf('[', close);
            var end = bracket < 0 ? -1 : text.IndexOf(']', bracket);
            var label = end > bracket && bracket >= 0 ? text[(bracket + 1)..end] : text[..open].TrimEnd(' ', ':');
            yield return (phrase, source.Length == 0 ? $"{text[..open].TrimEnd(' ', ':')}: {label}" : label);
        }
    }
}
