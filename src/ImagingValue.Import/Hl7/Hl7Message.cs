using System.Text;
using ImagingValue.Core.Data;

namespace ImagingValue.Import.Hl7;

/// <summary>
/// One HL7 v2 message: its segments split into fields, read with the delimiters and character set the message itself
/// declares. Values stay escaped until read, so a delimiter written as an escape never splits a field.
/// </summary>
public sealed class Hl7Message
{
    private static readonly Encoding _strictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private Hl7Message(Hl7Delimiters delimiters, Encoding encoding, IReadOnlyList<Hl7Segment> segments)
    {
        Delimiters = delimiters;
        Encoding = encoding;
        Segments = segments;
        foreach (var segment in segments)
        {
            segment.Message = this;
        }
    }

    public Hl7Delimiters Delimiters { get; }

    /// <summary>The character set the text was read with (see <see cref="TryParse"/>).</summary>
    public Encoding Encoding { get; }

    public IReadOnlyList<Hl7Segment> Segments { get; }

    /// <summary>The MSH segment.</summary>
    public Hl7Segment Header => Segments[0];

    /// <summary>MSH-9 as <c>ORM^O01</c> (message code and trigger event).</summary>
    public string MessageType
    {
        get
        {
            var code = Header.Value(9, 1) ?? "";
            var trigger = Header.Value(9, 2);
            return trigger is null ? code : $"{code}^{trigger}";
        }
    }

    /// <summary>MSH-10, the sender's id of this message (echoed in the acknowledgement).</summary>
    public string? ControlId => Header.Value(10);

    /// <summary>The segments with <paramref name="id"/>, in message order.</summary>
    public IEnumerable<Hl7Segment> All(string id) => Segments.Where(s => s.Id == id);

    /// <summary>The first segment with <paramref name="id"/>, or null.</summary>
    public Hl7Segment? First(string id) => Segments.FirstOrDefault(s => s.Id == id);

    /// <summary>
    /// Parses one message. The character set is MSH-18 (<c>ASCII</c> when empty, <c>8859/1</c>, <c>UNICODE UTF-8</c>);
    /// bytes that are well-formed UTF-8 with characters beyond ASCII are read as UTF-8 whatever MSH-18 claims, because
    /// senders that declare Latin-1 and write UTF-8 are common and Latin-1 text is almost never well-formed UTF-8.
    /// Segments end with CR, LF or CRLF; the last may lack its end.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out Hl7Message? message, out Hl7Problem? problem)
    {
        message = null;
        var start = bytes.IndexOf("MSH"u8);
        if (start < 0 || !bytes[..start].Trim(" \t\r\n"u8).IsEmpty)
        {
            problem = new Hl7Problem("MSH", 1, "the message does not start with an MSH segment");
            return false;
        }

        // The MSH line alone is read first (its bytes are ASCII whatever the character set) to learn the separators
        // and MSH-18; the whole message is then decoded and split once.
        var headerBytes = bytes[start..];
        var headerEnd = headerBytes.IndexOfAny((byte)'\r', (byte)'\n');
        var header = Encoding.Latin1.GetString(headerEnd < 0 ? headerBytes : headerBytes[..headerEnd]);
        if (!Hl7Delimiters.TryRead(header, out var delimiters, out problem))
        {
            return false;
        }

        var declared = Hl7Segment.Parse(header, delimiters).Value(18)?.Trim() ?? "";
        if (!TryChooseEncoding(declared, bytes, out var encoding))
        {
            problem = new Hl7Problem("MSH", 18, $"character set {CanonicalValues.Quote(declared)} is not supported (ASCII, 8859/1, UNICODE UTF-8)");
            return false;
        }

        var text = encoding.GetString(bytes[start..]);
        var segments = SplitSegments(text, delimiters);
        for (var i = 0; i < segments.Count; i++)
        {
            if (segments[i].Id.Length != 3 || !segments[i].Id.All(char.IsAsciiLetterOrDigit))
            {
                // Its text is not quoted: it may be a piece of a report cut off by a stray line break.
                problem = new Hl7Problem("?", null, $"segment {i + 1} of the message does not start with a three-letter id (a line break inside a field?)");
                return false;
            }
        }

        message = new Hl7Message(delimiters, encoding, segments);
        problem = null;
        return true;
    }

    private static bool TryChooseEncoding(string declared, ReadOnlySpan<byte> bytes, out Encoding encoding)
    {
        var isUtf8 = IsUtf8BeyondAscii(bytes);
        encoding = declared.ToUpperInvariant() switch
        {
            "" or "ASCII" or "8859/1" => isUtf8 ? _strictUtf8 : Encoding.Latin1,
            "UNICODE UTF-8" or "UTF-8" => Encoding.UTF8,
            _ => null!,
        };
        return encoding is not null;
    }

    private static bool IsUtf8BeyondAscii(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) < 0)
        {
            return false;
        }

        try
        {
            _ = _strictUtf8.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static List<Hl7Segment> SplitSegments(ReadOnlySpan<char> text, Hl7Delimiters delimiters)
    {
        var segments = new List<Hl7Segment>();
        foreach (var range in text.SplitAny('\r', '\n'))
        {
            var line = text[range];
            if (line.IsWhiteSpace())
            {
                continue;
            }

            segments.Add(Hl7Segment.Parse(line.ToString(), delimiters));
        }

        return segments;
    }

    /// <summary>Reads a value with this message's delimiters and character set.</summary>
    internal string Unescape(ReadOnlySpan<char> raw) => Hl7Escapes.Unescape(raw, Delimiters, Encoding);
}

/// <summary>What is wrong with a message, and where: a segment id and a field number when there is one.</summary>
/// <param name="Code">The HL7 error code (table 0357) for the ERR segment: 100 segment sequence error (a segment
/// missing or out of place), 101 required field missing, 102 data type error (a value that cannot be read).</param>
public sealed record Hl7Problem(string Segment, int? Field, string Message, int Code = Hl7Problem.DataTypeError)
{
    public const int SegmentSequenceError = 100;
    public const int RequiredFieldMissing = 101;
    public const int DataTypeError = 102;

    /// <summary>The location as HL7 writes it, e.g. <c>OBR-4</c>.</summary>
    public string Location => Field is { } number ? $"{Segment}-{number}" : Segment;

    /// <summary>The problem as one line; one that concerns no segment (the workspace is unavailable) is its words alone.</summary>
    public override string ToString() => Segment.Length == 0 ? Message : $"{Location}: {Message}";
}
