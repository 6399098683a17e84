namespace ImagingValue.Import.Fhir;

/// <summary>
/// The lines of an NDJSON file as UTF-8 bytes, without decoding them to strings: lines end at <c>\n</c> (a <c>\r</c>
/// before it is dropped), and a UTF-8 byte-order mark at the start of the file is skipped.
/// </summary>
internal sealed class Utf8Lines(Stream stream)
{
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _endOfFile;

    /// <summary>The line read last; valid until the next <see cref="ReadAsync"/>.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>The 1-based number of <see cref="Current"/>, counting blank lines too (as an editor does).</summary>
    public int Number { get; private set; }

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                Take(newline, newline + 1);
                return true;
            }

            if (_endOfFile)
            {
                if (_start == _end)
                {
                    Current = default;
                    return false;
                }

                Take(_end - _start, _end - _start);
                return true;
            }

            // Keep the unfinished line at the front; a line longer than the buffer doubles it.
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _endOfFile = read == 0;
            _end += read;
        }
    }

    private void Take(int length, int consumed)
    {
        var line = _buffer.AsMemory(_start, length);
        if (Number == 0 && line.Span.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        if (line.Span.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        Current = line;
        Number++;
        _start += consumed;
    }
}

/// <summary>A few lines copied out of the reader's buffer (which the next read overwrites), to be parsed in parallel.</summary>
internal sealed class LineBatch(int capacity)
{
    private readonly int[] _numbers = new int[capacity];
    private readonly int[] _starts = new int[capacity + 1];
    private byte[] _text = new byte[capacity * 1024];

    public int Count { get; private set; }

    public void Clear() => Count = 0;

    public void Add(int number, ReadOnlySpan<byte> line)
    {
        var start = _starts[Count];
        if (start + line.Length > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, start + line.Length));
        }

        line.CopyTo(_text.AsSpan(start));
        _numbers[Count] = number;
        _starts[++Count] = start + line.Length;
    }

    public int LineNumber(int index) => _numbers[index];

    public ReadOnlySpan<byte> Text(int index) => _text.AsSpan(_starts[index], _starts[index + 1] - _starts[index]);
}
