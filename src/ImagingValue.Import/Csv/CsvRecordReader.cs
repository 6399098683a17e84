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
/// Blank lines are skipped.
/// </remarks>
public sealed class CsvRecordReader : IDisposable
{
    private static readonly SearchValues<char> _fieldEnds = SearchValues.Create(",\n\r");
    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _field = new();
    private int _length;
    private int _position;
    private int _line = 1;

    public CsvRecordReader(Stream stream)
    {
        // Replacement (not exception) fallback: a bad byte becomes U+FFFD and the importer names the line and field.
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
        _reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
    }

    /// <summary>The physical line (1-based) the last record read started on.</summary>
    public int RecordLine { get; private set; }

    /// <summary>True when the last record read was not ended by a line break (the file's last line).</summary>
    public bool RecordUnterminated { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the input.</summary>
    /// <exception cref="CsvFormatException">A quoted field is still open at the end of the input.</exception>
    public bool Read(List<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.Clear();
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

        RecordLine = _line;
        RecordUnterminated = false;
        while (true)
        {
            var ended = ReadField(out var value);
            fields.Add(value);
            if (ended != FieldEnd.Delimiter)
            {
                RecordUnterminated = ended == FieldEnd.EndOfInput;
                return true;
            }
        }
    }

    public void Dispose() => _reader.Dispose();

    private enum FieldEnd
    {
        Delimiter,
        LineBreak,
        EndOfInput,
    }

    private FieldEnd ReadField(out string value)
    {
        _field.Clear();
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
                _field.Append(_buffer, start, _position - start);
                continue;
            }

            var c = _buffer[_position];
            // Most fields sit inside one buffer: make the string from it directly.
            value = _field.Length == 0 ? new string(_buffer, start, _position - start) : _field.Append(_buffer, start, _position - start).ToString();
            if (c == ',')
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
                    _field.Append('"');
                    _position++;
                    continue;
                }

                break;
            }

            if (c == '\n' || (c == '\r' && !(Fill() && _buffer[_position] == '\n')))
            {
                _line++;
            }

            _field.Append(c);
        }

        // After the closing quote: a delimiter, a line break, the end, or stray text kept as written.
        while (Fill())
        {
            var c = _buffer[_position];
            if (c == ',')
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

            _field.Append(c);
            _position++;
        }

        value = _field.ToString();
        return FieldEnd.EndOfInput;
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
