using System.Buffers;
using System.Text;
using System.Text.Json;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using static ImagingValue.Storage.Sqlite.SqliteRows;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// Reads orders a page at a time for the screening run's million-order read. SQLite packs each row into one JSON array
/// (<c>json_array</c>), the reading thread copies the page's bytes out, and turning them into orders
/// (<see cref="OrderPage.Decode"/>) is left to whichever thread screens the page. The reading thread is the one part of
/// <c>screen</c> that cannot run on every core: through <see cref="SqliteDataReader"/> it spent 4.8 s on a million
/// orders, column by column through SQLitePCL's raw API 2.4 s (28 checked native calls a row); one call a row leaves
/// it little but SQLite's own work.
/// </summary>
internal sealed class SqliteOrderPages : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _select;
    private readonly int _pageSize;

    public SqliteOrderPages(SqliteConnection connection, int pageSize)
    {
        _db = connection.Handle!;
        _pageSize = pageSize;
        var rc = raw.sqlite3_prepare_v2(_db, $"SELECT json_array({OrderColumns()}) FROM orders WHERE row_key > ?1 ORDER BY row_key LIMIT {pageSize}", out _select);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>The orders after <paramref name="after"/> (by order id), up to a page; empty at the end.</summary>
    public Page ReadAfter(string after)
    {
        var rows = new int[_pageSize + 1];
        // Rented, not allocated: a page's bytes are large-object-heap sized, and allocating them per page kept the
        // background GC busy (13 % of a core for a million orders).
        var data = ArrayPool<byte>.Shared.Rent(256 * _pageSize);
        var count = 0;
        raw.sqlite3_bind_text16(_select, 1, after.AsSpan());
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_select)) == raw.SQLITE_ROW)
            {
                var row = raw.sqlite3_column_blob(_select, 0);
                var start = rows[count];
                if (start + row.Length > data.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Max(data.Length * 2, start + row.Length));
                    data.AsSpan(0, start).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(data, clearArray: true);
                    data = larger;
                }

                row.CopyTo(data.AsSpan(start));
                rows[++count] = start + row.Length;
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(data, clearArray: true);
            throw;
        }
        finally
        {
            raw.sqlite3_reset(_select);
        }

        if (count == 0)
        {
            ArrayPool<byte>.Shared.Return(data); // The end: nothing will decode this page.
            data = [];
        }

        return new Page(count, data, rows);
    }

    public void Dispose() => _select.Dispose();

    /// <summary>One page of orders, row k a JSON array from rows[k] to rows[k + 1], values in <see cref="OrderColumnNames"/> order.</summary>
    internal sealed class Page(int count, byte[] data, int[] rows) : OrderPage
    {
        private byte[]? _data = data;

        public override int Count => count;

        /// <summary>The last order's id, where the next page starts.</summary>
        public string LastOrderId
        {
            get
            {
                var reader = Row(_data ?? throw new ObjectDisposedException(nameof(Page)), count - 1);
                return Next(ref reader)!;
            }
        }

        public override IReadOnlyList<ImagingOrder> Decode()
        {
            // Decoded once: the bytes go back to the pool (taken atomically, so two callers cannot both return them).
            var data = Interlocked.Exchange(ref _data, null);
            ObjectDisposedException.ThrowIf(data is null, this);
            var repeats = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            var codeLists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var orders = new ImagingOrder[count];
            for (var row = 0; row < count; row++)
            {
                // Arguments are evaluated left to right, in column order.
                var r = Row(data, row);
                orders[row] = new ImagingOrder(
                    Next(ref r)!,
                    Next(ref r)!,
                    Next(ref r),
                    NextDateTime(ref r)!.Value,
                    NextDateTime(ref r),
                    NextRepeated(ref r, repeats),
                    NextRepeated(ref r, repeats)!,
                    Next(ref r),
                    Codes(NextRepeated(ref r, repeats), codeLists),
                    NextRepeated(ref r, repeats),
                    NextRepeated(ref r, repeats),
                    NextSex(ref r),
                    DateOf(NextRepeated(ref r, repeats)),
                    NextStatus(ref r));
            }

            if (data.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(data, clearArray: true); // Patient text does not linger in the shared pool.
            }

            return orders;
        }

        private Utf8JsonReader Row(byte[] data, int row)
        {
            var reader = new Utf8JsonReader(data.AsSpan(rows[row], rows[row + 1] - rows[row]));
            reader.Read(); // [
            return reader;
        }

        private static string? Next(ref Utf8JsonReader reader)
        {
            reader.Read();
            return reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
        }

        /// <summary>Read from the bytes in place unless JSON escaped them.</summary>
        private static DateTime? NextDateTime(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            return reader.ValueIsEscaped ? DateTimeOf(reader.GetString()!) : DateTimeOf(reader.ValueSpan);
        }

        /// <summary>The stored sex word (F, M, O, U) read in place: no string per order.</summary>
        private static PatientSex? NextSex(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            Span<char> chars = stackalloc char[16];
            return !reader.ValueIsEscaped && Word(reader.ValueSpan, chars, out var word) && PatientSexes.TryParse(word, out var sex)
                ? sex
                : throw new FormatException($"'{reader.GetString()}' is not a canonical patient sex");
        }

        /// <summary>The stored status word read in place: no string per order.</summary>
        private static OrderStatus NextStatus(ref Utf8JsonReader reader)
        {
            reader.Read();
            Span<char> chars = stackalloc char[16];
            return reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && Word(reader.ValueSpan, chars, out var word) && OrderStatuses.TryParse(word, out var status)
                ? status
                : throw new FormatException($"'{(reader.TokenType == JsonTokenType.String ? reader.GetString() : reader.TokenType.ToString())}' is not a canonical order status");
        }

        /// <summary>A short word's bytes widened into <paramref name="chars"/> (the stored words are ASCII); false when too long.</summary>
        private static bool Word(ReadOnlySpan<byte> bytes, Span<char> chars, out ReadOnlySpan<char> word)
        {
            if (bytes.Length > chars.Length)
            {
                word = default;
                return false;
            }

            for (var i = 0; i < bytes.Length; i++)
            {
                chars[i] = (char)bytes[i];
            }

            word = chars[..bytes.Length];
            return true;
        }

        /// <summary>A value that repeats across orders (procedure, department, provider): one string per page.</summary>
        private static string? NextRepeated(ref Utf8JsonReader reader, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> repeats)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            var bytes = reader.ValueSpan;
            if (reader.ValueIsEscaped || bytes.Length > 256)
            {
                return reader.GetString();
            }

            Span<char> chars = stackalloc char[256];
            var text = chars[..Encoding.UTF8.GetChars(bytes, chars)];
            if (!repeats.TryGetValue(text, out var value))
            {
                value = new string(text);
                repeats.Dictionary.Add(value, value);
            }

            return value;
        }

        private static IReadOnlyList<string> Codes(string? codes, Dictionary<string, IReadOnlyList<string>> lists)
        {
            if (codes is null)
            {
                return [];
            }

            if (!lists.TryGetValue(codes, out var list))
            {
                // Shared by the page's orders with the same codes, so read-only even to a cast.
                list = CanonicalValues.SplitCodes(codes).ToList().AsReadOnly();
                lists.Add(codes, list);
            }

            return list;
        }
    }
}
