using System.Buffers.Binary;
using System.Text;

namespace ImagingValue.Storage.Postgres;

/// <summary>
/// Rows encoded in PostgreSQL's binary COPY format (a field count, then each field as its length and its bytes) into
/// one reused buffer, sent by <c>NpgsqlConnection.BeginRawBinaryCopyAsync</c>. Npgsql's typed importer did the same
/// through an async call, a parameter and a type lookup per value: about a quarter of a million-row import's client
/// CPU (perf), for a format this simple.
/// </summary>
internal sealed class BinaryCopyRows
{
    /// <summary>The stream's header: signature, no flags, no extension. Sent once before the rows of each COPY.</summary>
    public static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The stream's end: a field count of -1.</summary>
    public static ReadOnlySpan<byte> Trailer => [0xFF, 0xFF];

    // Strict as Npgsql's own text encoding: a lone surrogate is an error, not silently replaced.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer = new byte[1 << 16];
    private int _length;

    /// <summary>The bytes encoded since the last <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public int Length => _length;

    public void Clear() => _length = 0;

    public void StartRow(int fields)
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), checked((short)fields));
        _length += 2;
    }

    public void WriteInt32(int value)
    {
        var span = Reserve(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], value);
        _length += 8;
    }

    public void WriteInt64(long value)
    {
        var span = Reserve(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], value);
        _length += 12;
    }

    /// <summary>A text value in UTF-8 (the database's encoding), or NULL.</summary>
    public void WriteText(string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(Reserve(4), -1);
            _length += 4;
            return;
        }

        var span = Reserve(4 + StrictUtf8.GetMaxByteCount(value.Length));
        var bytes = StrictUtf8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, bytes);
        _length += 4 + bytes;
    }

    private Span<byte> Reserve(int bytes)
    {
        if (_buffer.Length - _length < bytes)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
        }

        return _buffer.AsSpan(_length);
    }
}
