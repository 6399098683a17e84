using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace ImagingValue.Web.Review;

/// <summary>A piece of text, marked with a label when it is evidence.</summary>
public sealed record TextSegment(string Text, string? Label);

/// <summary>Splits a text into plain and marked pieces, so a page can wrap the evidence in &lt;mark&gt; while Razor encodes every piece.</summary>
public static partial class TextHighlighter
{
    /// <summary>Where a report's FINDINGS or IMPRESSION begins (the suggester reads only from there); 0 when it has neither.</summary>
    public static int FindingsStart(string? report) => report is not null && Headers().Match(report) is { Success: true } match ? match.Index : 0;

    /// <summary>
    /// The segments as HTML with no whitespace between them (the text is shown pre-wrapped): every piece of text and
    /// every label is encoded by <see cref="TagBuilder"/> and <see cref="HtmlContentBuilder.Append(string)"/>.
    /// </summary>
    public static IHtmlContent Render(IReadOnlyList<TextSegment> segments, Func<string, string?>? markClass = null)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var html = new HtmlContentBuilder();
        foreach (var segment in segments)
        {
            if (segment.Label is null)
            {
                html.Append(segment.Text);
                continue;
            }

            var mark = new TagBuilder("mark");
            mark.Attributes["title"] = segment.Label;
            if (markClass?.Invoke(segment.Label) is { Length: > 0 } css)
            {
                mark.AddCssClass(css);
            }

            mark.InnerHtml.Append(segment.Text);
            html.AppendHtml(mark);
        }

        return html;
    }

    /// <summary>
    /// Marks every case-insensitive occurrence of each phrase; where phrases overlap, the earlier (then longer) wins.
    /// </summary>
    public static IReadOnlyList<TextSegment> Segments(string? text, IEnumerable<(string Phrase, string Label)> phrases, int startAt = 0)
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

            for (var at = text.IndexOf(phrase, Math.Clamp(startAt, 0, text.Length), StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(phrase, at + phrase.Length, StringComparison.OrdinalIgnoreCase))
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

    [GeneratedRegex(@"(?im)^\s*(findings|impression)\s*:")]
    private static partial Regex Headers();
}
