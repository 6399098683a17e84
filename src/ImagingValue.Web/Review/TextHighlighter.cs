using ImagingValue.Core.Review;
using ImagingValue.Core.Screening;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace ImagingValue.Web.Review;

/// <summary>A piece of text, marked with a label when it is evidence; <paramref name="Css"/> is the mark's class, if any.</summary>
public sealed record TextSegment(string Text, string? Label, string? Css = null);

/// <summary>A span of a text to mark, with the label its mark shows (its title) and an optional CSS class.</summary>
public sealed record TextMark(TextSpan Span, string Label, string? Css = null);

/// <summary>Splits a text into plain and marked pieces, so a page can wrap the evidence in &lt;mark&gt; while Razor encodes every piece.</summary>
public static class TextHighlighter
{
    /// <summary>
    /// The segments as HTML with no whitespace between them (the text is shown pre-wrapped): every piece of text and
    /// every label is encoded by <see cref="TagBuilder"/> and <see cref="HtmlContentBuilder.Append(string)"/>.
    /// </summary>
    public static IHtmlContent Render(IReadOnlyList<TextSegment> segments)
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
            if (segment.Css is { Length: > 0 } css)
            {
                mark.AddCssClass(css);
            }

            mark.InnerHtml.Append(segment.Text);
            html.AppendHtml(mark);
        }

        return html;
    }

    /// <summary>
    /// Marks each span, trimmed of surrounding white space; where spans overlap, the earlier (then longer) wins. Spans
    /// that fall outside the text are left out (a text changed since its evidence was found).
    /// </summary>
    public static IReadOnlyList<TextSegment> Segments(string? text, IEnumerable<TextMark> marks)
    {
        ArgumentNullException.ThrowIfNull(marks);
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var hits = new List<(int Start, int Length, TextMark Mark)>();
        foreach (var mark in marks)
        {
            var (start, end) = (mark.Span.Start, mark.Span.End);
            if (end > text.Length)
            {
                continue;
            }

            while (start < end && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            while (end > start && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }

            if (end > start)
            {
                hits.Add((start, end - start, mark));
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

            segments.Add(new TextSegment(text.Substring(hit.Start, hit.Length), hit.Mark.Label, hit.Mark.Css));
            position = hit.Start + hit.Length;
        }

        if (position < text.Length)
        {
            segments.Add(new TextSegment(text[position..], null));
        }

        return segments;
    }

    /// <summary>
    /// The marks of the indication evidence that counted or that says the indication is not the protocol's: each
    /// sentence, labelled with what it speaks for and its qualifiers (<c>tumor, suspected</c>), or <c>indication</c>.
    /// Ignored mentions and legacy items (stored as text only) are not marked; nor is evidence whose sentence is no
    /// longer where it was found (the order's indication changed since).
    /// </summary>
    public static IEnumerable<TextMark> IndicationMarks(string? indication, IEnumerable<ScreeningEvidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        foreach (var e in evidence)
        {
            if (e is not { Source: EvidenceSource.Indication, Role: EvidenceRole.Counted or EvidenceRole.Unmet, Sentence: { } span, Text: { } sentence }
                || !IsAt(indication, span, sentence))
            {
                continue;
            }

            var qualifiers = ScreeningEvidenceFormatter.QualifierWords(e);
            yield return new TextMark(span, e.Role == EvidenceRole.Unmet ? "indication" : qualifiers.Length == 0 ? e.For ?? string.Empty : $"{e.For}, {qualifiers}");
        }
    }

    /// <summary>The marks of a report's suggested findings: each sentence, labelled <c>major: sacroiliitis</c>; major ones with the class <c>major</c>.</summary>
    public static IEnumerable<TextMark> FindingMarks(string? report, IEnumerable<FindingEvidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return evidence
            .Where(e => IsAt(report, e.SentenceSpan, e.Sentence))
            .Select(e => new TextMark(e.SentenceSpan, e.Label, e.Class == FindingClass.Major ? "major" : null));
    }

    private static bool IsAt(string? text, TextSpan span, string expected) =>
        text is not null && span.End <= text.Length && text.AsSpan(span.Start, span.Length).SequenceEqual(expected);
}
