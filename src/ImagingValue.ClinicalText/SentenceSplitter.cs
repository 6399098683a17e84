using System.Text.Json;

namespace ImagingValue.ClinicalText;

/// <summary>A sentence or a section header, as a character range of the analysed text.</summary>
/// <param name="Section">Increments at every header and blank line; a header's modifiers reach the whole section.</param>
internal readonly record struct Segment(int Start, int End, bool IsHeader, int Section);

/// <summary>
/// Splits text into sentences and section headers. Line breaks always end a sentence; '.', '!' and '?' end one
/// only when they really close it — not in abbreviations ("Dr.", "p.o.", "e.g."), decimals ("2.5"), or a '?'
/// used as clinical shorthand ("?fracture"). List numbers ("1. LBP 2. fever") start a new sentence.
/// </summary>
internal sealed class SentenceSplitter
{
    private const int MaxHeaderLength = 50;
    private const int MinUnknownHeaderLetters = 4;

    private readonly HashSet<string> _abbreviations;
    private readonly HashSet<string> _headers;

    private SentenceSplitter(HashSet<string> abbreviations, HashSet<string> headers)
    {
        _abbreviations = abbreviations;
        _headers = headers;
    }

    public static SentenceSplitter Default { get; } = FromJson(EmbeddedRules.Read("segmentation.json"));

    public static SentenceSplitter FromJson(string json)
    {
        using var doc = RuleJson.Parse(json, "segmentation");
        return new SentenceSplitter(ReadSet(doc.RootElement, "abbreviations"), ReadSet(doc.RootElement, "section_headers"));
    }

    public List<Segment> Split(string text)
    {
        var segments = new List<Segment>();
        var section = 0;
        var pos = 0;
        while (pos < text.Length)
        {
            var lineEnd = text.IndexOf('\n', pos);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            if (string.IsNullOrWhiteSpace(text.AsSpan(pos, lineEnd - pos).ToString()))
            {
                // A blank line closes a section, so "FAMILY HISTORY:" does not reach past it.
                if (segments.Count > 0 && segments[^1].Section == section)
                {
                    section++;
                }
            }
            else
            {
                SplitLine(text, pos, lineEnd, segments, ref section);
            }

            pos = lineEnd + 1;
        }

        return segments;
    }

    private void SplitLine(string text, int start, int end, List<Segment> segments, ref int section)
    {
        var s = start;
        while (true)
        {
            while (s < end && char.IsWhiteSpace(text[s]))
            {
                s++;
            }

            if (s >= end)
            {
                return;
            }

            if (TryHeader(text, s, end, out var colon))
            {
                section++;
                segments.Add(new Segment(s, colon + 1, true, section));
                s = colon + 1;
                continue;
            }

            var i = s;
            var boundary = -1;
            var nextStart = -1;
            while (i < end)
            {
                var c = text[i];
                if (c is '.' or '!' or '?' && EndsSentence(text, s, i, end))
                {
                    boundary = i + 1;
                    nextStart = i + 1;
                    break;
                }

                if (i > s && char.IsDigit(c) && IsListMarker(text, i, end))
                {
                    boundary = i;
                    nextStart = i;
                    break;
                }

                i++;
            }

            if (boundary < 0)
            {
                Add(text, s, end, section, segments);
                return;
            }

            Add(text, s, boundary, section, segments);
            s = nextStart;
        }
    }

    /// <summary>
    /// The longest piece of text read as one sentence, in characters. Longer "sentences" are runs of clauses nobody
    /// writes as one statement (a pasted list, a template with no full stops); they are read in pieces cut at the last
    /// comma or semicolon (else space) before the limit. Scopes and clause checks cost more than linearly in a
    /// sentence's length (an 18 KB run of clauses took 21 s to screen), so this keeps the reader's work linear in the
    /// text. Clinical sentences are far shorter: the corpora's longest is under 400 characters.
    /// </summary>
    internal const int MaxSentenceLength = 1000;

    private static void Add(string text, int start, int end, int section, List<Segment> segments)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        while (end - start > MaxSentenceLength)
        {
            var cut = Cut(text, start, start + MaxSentenceLength);
            AddPiece(text, start, cut, section, segments);
            start = cut;
            while (start < end && char.IsWhiteSpace(text[start]))
            {
                start++;
            }
        }

        AddPiece(text, start, end, section, segments);
    }

    /// <summary>Where to end a piece that may reach <paramref name="limit"/>: after the last clause mark in its second half, else at the last space, else at the limit.</summary>
    private static int Cut(string text, int start, int limit)
    {
        var half = start + ((limit - start) / 2);
        var clause = text.LastIndexOfAny([',', ';'], limit - 1, limit - half);
        if (clause >= 0)
        {
            return clause + 1;
        }

        var space = text.LastIndexOf(' ', limit - 1, limit - half);
        return space >= 0 ? space : limit;
    }

    private static void AddPiece(string text, int start, int end, int section, List<Segment> segments)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end > start)
        {
            segments.Add(new Segment(start, end, false, section));
        }
    }

    private bool EndsSentence(string text, int s, int i, int end)
    {
        var next = i + 1;
        var followedBySpace = next >= end || char.IsWhiteSpace(text[next]);
        if (text[i] is '?' or '!')
        {
            // "?fracture" and "eval ? fx" are shorthand for "possible"; "fracture? Fever" closes a sentence.
            return followedBySpace && i > s && !char.IsWhiteSpace(text[i - 1]);
        }

        if (!followedBySpace)
        {
            return false; // "2.5", "p.o.x"
        }

        // The word before the dot: letters and internal dots ("p.o", "e.g", "Dr").
        var w = i;
        var sawDot = false;
        while (w > s && (char.IsLetter(text[w - 1]) || text[w - 1] == '.'))
        {
            sawDot |= text[w - 1] == '.';
            w--;
        }

        if (w == i)
        {
            // "1." opening a list item is a marker, not a sentence.
            return !IsLeadingListNumber(text, s, i);
        }

        if (sawDot)
        {
            return false;
        }

        return !_abbreviations.Contains(text[w..i].ToLowerInvariant());
    }

    private static bool IsLeadingListNumber(string text, int s, int i) =>
        i - s is 1 or 2 && text.AsSpan(s, i - s).ContainsAnyExceptInRange('0', '9') == false;

    // "2. fever" in "1. LBP 2. fever": one or two digits after whitespace, then '.' or ')' and whitespace.
    private static bool IsListMarker(string text, int i, int end)
    {
        if (!char.IsWhiteSpace(text[i - 1]))
        {
            return false;
        }

        var j = i;
        while (j < end && char.IsDigit(text[j]))
        {
            j++;
        }

        return j - i <= 2 && j + 1 < end && text[j] is '.' or ')' && char.IsWhiteSpace(text[j + 1]);
    }

    private bool TryHeader(string text, int s, int end, out int colon)
    {
        colon = text.IndexOf(':', s, Math.Min(end, s + MaxHeaderLength) - s);
        if (colon <= s || (colon + 1 < end && !char.IsWhiteSpace(text[colon + 1])))
        {
            return false;
        }

        var letters = 0;
        var allUpper = true;
        for (var k = s; k < colon; k++)
        {
            var c = text[k];
            if (char.IsLetter(c))
            {
                letters++;
                allUpper &= char.IsUpper(c);
            }
            else if (c is not (' ' or '/' or '&' or '-' or '(' or ')'))
            {
                return false;
            }
        }

        if (letters < 2)
        {
            return false;
        }

        // Known headers in any case; other ALL-CAPS text needs four letters, so "LBP: 3 months" stays a sentence.
        return _headers.Contains(text[s..colon].Trim().ToLowerInvariant()) || (allUpper && letters >= MinUnknownHeaderLetters);
    }

    private static HashSet<string> ReadSet(JsonElement root, string name)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                set.Add(item.GetString()!.ToLowerInvariant());
            }
        }

        return set;
    }
}
