using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace ImagingValue.Storage.Sqlite;

/// <summary>The content hash every canonical row is stored with: how an import tells an unchanged row from a changed one.</summary>
internal static class RowHashes
{
    /// <summary>
    /// A stable 64-bit hash of a row's content: equal rows, equal hashes, across runs and machines. XXH64 (seed 0) of
    /// each value's UTF-16 code units followed by 0x1F, an absent value (and an absent extra) being the byte 0xFF alone.
    /// The bytes are gathered first and hashed at once: the same hash as appending them value by value, without a
    /// streaming call (and its copy into the hasher's stripe buffer) per value, which was most of the cost.
    /// </summary>
    /// <param name="buffer">Scratch for the row's bytes, reused between rows (grown when a row needs more), so a
    /// million-row import allocates it once.</param>
    public static long Of(ref byte[]? buffer, IReadOnlyList<string?> values, string? extraJson)
    {
        ArgumentNullException.ThrowIfNull(values);
        var length = 0;
        for (var i = 0; i <= values.Count; i++)
        {
            var value = i < values.Count ? values[i] : extraJson;
            length += value is null ? 1 : (value.Length * 2) + 1;
        }

        if (buffer is null || buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, 1024)];
        }

        var written = 0;
        for (var i = 0; i <= values.Count; i++)
        {
            var value = i < values.Count ? values[i] : extraJson;
            if (value is null)
            {
                buffer[written++] = Absent;
                continue;
            }

            var bytes = MemoryMarshal.AsBytes(value.AsSpan());
            bytes.CopyTo(buffer.AsSpan(written));
            written += bytes.Length;
            buffer[written++] = Separator;
        }

        return unchecked((long)XxHash64.HashToUInt64(buffer.AsSpan(0, written)));
    }

    /// <summary>The same hash with a scratch buffer of its own, for one row at a time (a feed's message).</summary>
    public static long Of(IReadOnlyList<string?> values, string? extraJson)
    {
        byte[]? buffer = null;
        return Of(ref buffer, values, extraJson);
    }

    private const byte Separator = 0x1F;
    private const byte Absent = 0xFF;
}
