using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace ImagingValue.Storage.Sqlite;

/// <summary>The content hash every canonical row is stored with: how an import tells an unchanged row from a changed one.</summary>
internal static class RowHashes
{
    /// <summary>A stable 64-bit hash of a row's content: equal rows, equal hashes, across runs and machines.</summary>
    /// <param name="hash">A hasher to reuse (reset here), so a million-row import allocates one.</param>
    public static long Of(XxHash64 hash, IReadOnlyList<string?> values, string? extraJson)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(values);
        hash.Reset();
        ReadOnlySpan<byte> separator = [0x1F];
        ReadOnlySpan<byte> absent = [0xFF];
        for (var i = 0; i <= values.Count; i++)
        {
            var value = i < values.Count ? values[i] : extraJson;
            if (value is null)
            {
                hash.Append(absent);
                continue;
            }

            hash.Append(MemoryMarshal.AsBytes(value.AsSpan()));
            hash.Append(separator);
        }

        return unchecked((long)hash.GetCurrentHashAsUInt64());
    }
}
