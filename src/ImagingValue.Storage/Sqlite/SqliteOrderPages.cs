using System.Buffers;
using System.Text;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using static ImagingValue.Storage.Sqlite.SqliteRows;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// Reads orders a page at a time through SQLitePCL's raw API, copying each page's bytes out of SQLite; turning them
/// into orders (<see cref="OrderPage.Decode"/>) is left to whichever thread screens the page. Decoding on the
/// reading thread through <see cref="SqliteDataReader"/> cost that thread 4.8 s for a million orders and made it the
/// slowest stage of <c>screen</c>; copying the bytes costs it a fraction of that.
/// </summary>
internal sealed class SqliteOrderPages : IDisposable
{
    private static readonly int Columns = OrderColumnNames.Length;

    /// <summary>Set on a cell's end offset when the value is NULL.</summary>
    private const int NullBit = int.MinValue;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _select;
    private readonly int _pageSize;

    public SqliteOrderPages(SqliteConnection connection, int pageSize)
    {
        _db = connection.Handle!;
        _pageSize = pageSize;
        var rc = raw.sqlite3_prepare_v2(_db, $"SELECT {OrderColumns()} FROM orders WHERE row_key > ?1 ORDER BY row_key LIMIT {pageSize}", out _select);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>The orders after <paramref name="after"/> (by order id), up to a page; empty at the end.</summary>
    public Page ReadAfter(string after)
    {
        // Rented, not allocated: a page's arrays are large-object-heap sized, and allocating them per page kept the
        // background GC busy (13 % of a core for a million orders).
        var cells = ArrayPool<int>.Shared.Rent((_pageSize * Columns) + 1);
        var data = ArrayPool<byte>.Shared.Rent(256 * _pageSize);
        cells[0] = 0;
        var rows = 0;
        var cell = 0;
        raw.sqlite3_bind_text16(_select, 1, after.AsSpan());
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_select)) == raw.SQLITE_ROW)
            {
                for (var column = 0; column < Columns; column++, cell++)
                {
                    var start = cells[cell] & ~NullBit;
                    if (raw.sqlite3_column_type(_select, column) == raw.SQLITE_NULL)
                    {
                        cells[cell + 1] = start | NullBit;
                        continue;
                    }

                    var bytes = raw.sqlite3_column_blob(_select, column);
                    if (start + bytes.Length > data.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(data.Length * 2, start + bytes.Length));
                        data.AsSpan(0, start).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(data);
                        data = larger;
                    }

                    bytes.CopyTo(data.AsSpan(start));
                    cells[cell + 1] = start + bytes.Length;
                }

                rows++;
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(data);
            ArrayPool<int>.Shared.Return(cells);
            throw;
        }
        finally
        {
            raw.sqlite3_reset(_select);
        }

        return new Page(rows, data, cells);
    }

    public void Dispose() => _select.Dispose();

    /// <summary>
    /// One page's values as SQLite stored them (UTF-8), cell by cell in <see cref="OrderColumnNames"/> order: cell k
    /// runs from cells[k] to cells[k + 1], and is NULL when cells[k + 1] carries <see cref="NullBit"/>.
    /// </summary>
    internal sealed class Page(int count, byte[] data, int[] cells) : OrderPage
    {
        private byte[]? _data = data;
        private int[]? _cells = cells;

        public override int Count => count;

        /// <summary>The last order's id, where the next page starts.</summary>
        public string LastOrderId => Encoding.UTF8.GetString(Cell((count - 1) * Columns));

        public override IReadOnlyList<ImagingOrder> Decode()
        {
            ObjectDisposedException.ThrowIf(_data is null, this); // Decoded once: the bytes go back to the pool.
            var repeats = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            var codeLists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var orders = new ImagingOrder[count];
            for (var row = 0; row < count; row++)
            {
                var at = row * Columns;
                orders[row] = new ImagingOrder(
                    Unique(at)!,
                    Unique(at + 1)!,
                    Unique(at + 2),
                    DateTimeAt(at + 3)!.Value,
                    DateTimeAt(at + 4),
                    Repeated(at + 5, repeats),
                    Repeated(at + 6, repeats)!,
                    Unique(at + 7),
                    Codes(Repeated(at + 8, repeats), codeLists),
                    Repeated(at + 9, repeats),
                    Repeated(at + 10, repeats),
                    Repeated(at + 11, repeats),
                    DateOf(Repeated(at + 12, repeats)),
                    Repeated(at + 13, repeats)!);
            }

            ArrayPool<byte>.Shared.Return(_data);
            ArrayPool<int>.Shared.Return(_cells!);
            _data = null;
            _cells = null;
            return orders;
        }

        private bool IsNull(int cell) => (_cells![cell + 1] & NullBit) != 0;

        private ReadOnlySpan<byte> Cell(int cell)
        {
            var start = _cells![cell] & ~NullBit;
            return _data.AsSpan(start, (_cells[cell + 1] & ~NullBit) - start);
        }

        private string? Unique(int cell) => IsNull(cell) ? null : Encoding.UTF8.GetString(Cell(cell));

        /// <summary>Stored date-times are yyyy-MM-ddTHH:mm:ss (written by the importer): read the digits in place.</summary>
        private DateTime? DateTimeAt(int cell)
        {
            if (IsNull(cell))
            {
                return null;
            }

            var t = Cell(cell);
            return t.Length == 19
                ? new DateTime(Digits(t, 0, 4), Digits(t, 5, 2), Digits(t, 8, 2), Digits(t, 11, 2), Digits(t, 14, 2), Digits(t, 17, 2))
                : DateTimeOf(Encoding.UTF8.GetString(t));
        }

        /// <summary>A value that repeats across orders (status, procedure, department, provider): one string per page.</summary>
        private string? Repeated(int cell, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> repeats)
        {
            if (IsNull(cell))
            {
                return null;
            }

            var bytes = Cell(cell);
            if (bytes.Length > 256)
            {
                return Encoding.UTF8.GetString(bytes);
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
                list = CanonicalValues.SplitCodes(codes);
                lists.Add(codes, list);
            }

            return list;
        }

        private static int Digits(ReadOnlySpan<byte> text, int start, int count)
        {
            var value = 0;
            foreach (var digit in text.Slice(start, count))
            {
                value = (value * 10) + (digit - (byte)'0');
            }

            return value;
        }
    }
}
