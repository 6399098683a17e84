using System.Buffers;
using System.Text;

namespace ImagingValue.Import.Csv;

/// <summary>
/// A streaming RFC 4180 reader that knows the physical line each record starts on, so every error can say
/// <c>file:line</c> even when a quoted report text spans several lines. Constant memory: one buffer and one record.
/// </summary>
/// <remarks>
/// Written here rather than taken from Sylvan.Data.Csv or CsvHelper because both number records, not lines,
/// and errors must point at the line a person opens in an editor. Invalid UTF-8 is decoded to U+FFFD and
/// reported per field by the importer; a UTF-8 byte-order mark is skipped. CRLF, LF and CR all end a line.
/// Blank lines are skipped. A field longer than the reader's limit keeps only its first characters (the rest is
/// read past, never held) and is listed in <see cref="OversizedFields"/>, so one huge cell costs no more memory than
/// the limit and its row can be rejected.
/// </remarks>
public sealed class CsvRecordReader : IDisposable
{
    private static readonly SearchValues<char> _commaFieldEnds = SearchValues.Create(",\n\r");
    private static readonly char[] _delimiters = [',', ';', '\t', '|'];
    private SearchValues<char> _fieldEnds = _commaFieldEnds;
    private char _delimiter;
    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _field = new();
    private readonly List<(int Index, long Length)> _oversized = [];
    private readonly int _maxFieldChars;
    private long _fieldLength;
    private int _length;
    private int _position;
    private int _line = 1;

    /// <summary>The default limit of one field: 1 MiB characters, far above any real report text (a few KB).</summary>
    public const int DefaultMaxFieldChars = 1024 * 1024;

    /// <param name="stream">The CSV bytes (UTF-8 unless <paramref name="encoding"/> says otherwise).</param>
    /// <param name="maxFieldChars">The most characters kept of one field.</param>
    /// <param name="delimiter">The field separator; null to take the one of <c>, ; tab |</c> the header uses most (comma on a tie).</param>
    /// <param name="encoding">The file's encoding; null for UTF-8. A byte-order mark overrides it.</param>
    public CsvRecordReader(Stream stream, int maxFieldChars = DefaultMaxFieldChars, char? delimiter = null, Encoding? encoding = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFieldChars, 1);
        _maxFieldChars = maxFieldChars;
        if (delimiter is { } given)
        {
            UseDelimiter(given);
        }

        // Replacement (not exception) fallback: a bad byte becomes U+FFFD and the importer names the line and field.
        encoding ??= new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
        _reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
    }

    /// <summary>The field separator: as given, or as detected from the header once the first record is read.</summary>
    public char Delimiter => _delimiter == '\0' ? ',' : _delimiter;

    /// <summary>The physical line (1-based) the last record read started on.</summary>
    public int RecordLine { get; private set; }

    /// <summary>The limit of one field, in characters.</summary>
    public int MaxFieldChars => _maxFieldChars;

    /// <summary>The fields of the last record longer than <see cref="MaxFieldChars"/>: their index and full length.</summary>
    public IReadOnlyList<(int Index, long Length)> OversizedFields => _oversized;

    /// <summary>True when the last record read was not ended by a line break (the file's last line).</summary>
    public bool RecordUnterminated { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the input.</summary>
    /// <exception cref="CsvFormatException">A quoted field is still open at the end of the input.</exception>
    public bool Read(List<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.Clear();
        _oversized.Clear();
        while (true)
        {
            if (!Fill())
            {
                return false;
            }

            // Skip blank lines between records.
            var c = _buffer[_position];
            if (c is '\n' or '\r')
            {
                ConsumeLineBreak();
                continue;
            }

            break;
        }

        if (_delimiter == '\0')
        {
            UseDelimiter(DetectDelimiter());
        }

        RecordLine = _line;
        RecordUnterminated = false;
        while (true)
        {
            var ended = ReadField(out var value);
            if (_fieldLength > _maxFieldChars)
            {
                _oversized.Add((fields.Count, _fieldLength));
            }

            fields.Add(value);
            if (ended != FieldEnd.Delimiter)
            {
                RecordUnterminated = ended == FieldEnd.EndOfInput;
                return true;
            }
        }
    }

    public void Dispose() => _reader.Dispose();

    private void UseDelimiter(char delimiter)
    {
        _delimiter = delimiter;
        _fieldEnds = delimiter == ',' ? _commaFieldEnds : SearchValues.Create([delimiter, '\n', '\r']);
    }

    /// <summary>Counts each candidate separator on the header line (outside quotes, within the buffer) and takes the commonest.</summary>
    private char DetectDelimiter()
    {
        var counts = new int[_delimiters.Length];
        var quoted = false;
        for (var i = _position; i < _length; i++)
        {
            var c = _buffer[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\n' or '\r')
            {
                break;
            }
            else if (!quoted && Array.IndexOf(_delimiters, c) is var which && which >= 0)
            {
                counts[which]++;
            }
        }

        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return _delimiters[best];
    }

    private enum FieldEnd
    {
        Delimiter,
        LineBreak,
        EndOfInput,
    }

    private FieldEnd ReadField(out string value)
    {
        _field.Clear();
        _fieldLength = 0;
        if (Fill() && _buffer[_position] == '"')
        {
            _position++;
            return ReadQuotedField(out value);
        }

        while (Fill())
        {
            // Find the longest run without a special character in one go.
            var start = _position;
            var run = _buffer.AsSpan(start, _length - start).IndexOfAny(_fieldEnds);
            _position = run < 0 ? _length : start + run;
            if (_position == _length)
            {
                Append(start, _position - start);
                continue;
            }

            var c = _buffer[_position];
            // Most fields sit inside one buffer: make the string from it directly.
            if (_fieldLength == 0 && _position - start <= _maxFieldChars)
            {
                _fieldLength = _position - start;
                value = new string(_buffer, start, _position - start);
            }
            else
            {
                Append(start, _position - start);
                value = _field.ToString();
            }

            if (c == _delimiter)
            {
                _position++;
                return FieldEnd.Delimiter;
            }

            ConsumeLineBreak();
            return FieldEnd.LineBreak;
        }

        value = _field.ToString();
        return FieldEnd.EndOfInput;
    }

    private FieldEnd ReadQuotedField(out string value)
    {
        var openedOn = _line;
        while (true)
        {
            if (!Fill())
            {
                throw new CsvFormatException(openedOn, "a quoted field is not closed before the end of the file (truncated file?)");
            }

            var c = _buffer[_position++];
            if (c == '"')
            {
                if (Fill() && _buffer[_position] == '"')
                {
                    Append('"');
                    _position++;
                    continue;
                }

                break;
            }

            if (c == '\n' || (c == '\r' && !(Fill() && _buffer[_position] == '\n')))
            {
                _line++;
            }

            Append(c);
        }

        // After the closing quote: a delimiter, a line break, the end, or stray text kept as written.
        while (Fill())
        {
            var c = _buffer[_position];
            if (c == _delimiter)
            {
                _position++;
                value = _field.ToString();
                return FieldEnd.Delimiter;
            }

            if (c is '\n' or '\r')
            {
                ConsumeLineBreak();
                value = _field.ToString();
                return FieldEnd.LineBreak;
            }

            Append(c);
            _position++;
        }

        value = _field.ToString();
        return FieldEnd.EndOfInput;
    }

    /// <summary>Keeps up to the limit of the field and counts all of it.</summary>
    private void Append(int start, int count)
    {
        var room = (int)Math.Max(0, Math.Min(count, _maxFieldChars - _fieldLength));
        _field.Append(_buffer, start, room);
        _fieldLength += count;
    }

    private void Append(char c)
    {
        if (_fieldLength < _maxFieldChars)
        {
            _field.Append(c);
        }

        _fieldLength++;
    }

    private void ConsumeLineBreak()
    {
        var c = _buffer[_position++];
        if (c == '\r' && Fill() && _buffer[_position] == '\n')
        {
            _position++;
        }

        _line++;
    }

    private bool Fill()
    {
        if (_position < _length)
        {
            return true;
        }

        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}

/// <summary>The file cannot be read as CSV from this line on.</summary>
public sealed class CsvFormatException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}
