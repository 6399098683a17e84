namespace ImagingValue.Import.Hl7;

/// <summary>One message cut from a file, with the line it starts on (for <c>file:line</c> messages).</summary>
public readonly record struct Hl7RawMessage(int Line, ReadOnlyMemory<byte> Bytes);

/// <summary>
/// Cuts a file of HL7 v2 messages into messages: MLLP-framed (<c>0x0B</c> message <c>0x1C 0x0D</c>, as interface
/// engines archive them) or plain, where each message starts at a line beginning with <c>MSH</c>.
/// </summary>
public static class Hl7Framing
{
    public const byte StartBlock = 0x0B;
    public const byte EndBlock = 0x1C;
    public const byte CarriageReturn = 0x0D;

    public static IEnumerable<Hl7RawMessage> Split(ReadOnlyMemory<byte> file) =>
        file.Span.IndexOf(StartBlock) >= 0 ? SplitFramed(file) : SplitPlain(file);

    private static IEnumerable<Hl7RawMessage> SplitFramed(ReadOnlyMemory<byte> file)
    {
        var lines = new LineCounter();
        var position = 0;
        while (position < file.Length)
        {
            var start = file.Span[position..].IndexOf(StartBlock);
            if (start < 0)
            {
                yield break;
            }

            start += position + 1;
            var end = file.Span[start..].IndexOf(EndBlock);
            var stop = end < 0 ? file.Length : start + end;
            yield return new Hl7RawMessage(lines.LineOf(file.Span, start), file[start..stop]);
            position = end < 0 ? file.Length : stop + 1;
        }
    }

    private static IEnumerable<Hl7RawMessage> SplitPlain(ReadOnlyMemory<byte> file)
    {
        var starts = new List<int>();
        var span = file.Span;
        for (var i = 0; i + 3 <= span.Length; i++)
        {
            if ((i == 0 || span[i - 1] is (byte)'\r' or (byte)'\n') && span[i] == 'M' && span[i + 1] == 'S' && span[i + 2] == 'H')
            {
                starts.Add(i);
            }
        }

        if (starts.Count == 0 && !span.Trim("\r\n\t "u8).IsEmpty)
        {
            // Not a message at all: hand it on whole, so the parser names what is wrong.
            starts.Add(0);
        }

        var lines = new LineCounter();
        for (var k = 0; k < starts.Count; k++)
        {
            var stop = k + 1 < starts.Count ? starts[k + 1] : file.Length;
            yield return new Hl7RawMessage(lines.LineOf(file.Span, starts[k]), file[starts[k]..stop]);
        }
    }

    /// <summary>Line numbers as an editor counts them (CRLF is one break), counted forward once over the file.</summary>
    private sealed class LineCounter
    {
        private int _offset;
        private int _line = 1;

        public int LineOf(ReadOnlySpan<byte> file, int offset)
        {
            for (; _offset < offset; _offset++)
            {
                if (file[_offset] == '\n' || (file[_offset] == '\r' && (_offset + 1 >= file.Length || file[_offset + 1] != '\n')))
                {
                    _line++;
                }
            }

            return _line;
        }
    }
}
