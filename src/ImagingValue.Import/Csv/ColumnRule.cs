using System.Globalization;
using ImagingValue.Core.Data;

namespace ImagingValue.Import.Csv;

/// <summary>
/// How a site writes one column, from its profile: a date <c>format</c> (a .NET custom format such as <c>dd.MM.yyyy</c>,
/// or <c>excel</c> for serial day numbers) or a <c>values</c> map to canonical words. It turns the site's cell into the
/// canonical spelling, which <see cref="CanonicalValues"/> then checks like any other cell.
/// </summary>
public sealed class ColumnRule
{
    /// <summary>The format name for Excel serial dates (days since 1899-12-30, the fraction the time of day).</summary>
    public const string ExcelFormat = "excel";

    private static readonly string[] _isoWithOffset =
    [
        "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    private readonly CanonicalColumn _column;
    private readonly string? _format;
    private readonly IReadOnlyDictionary<string, string>? _values;
    private readonly TimeZoneInfo? _zone;

    internal ColumnRule(CanonicalColumn column, string? format, IReadOnlyDictionary<string, string>? values, TimeZoneInfo? zone)
    {
        _column = column;
        _format = format;
        _values = values;
        _zone = zone;
    }

    /// <summary>True when <paramref name="format"/> is <c>excel</c>, or a date format that reads back what it writes.</summary>
    public static bool IsReadableFormat(string format)
    {
        if (string.Equals(format, ExcelFormat, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(format) || !format.Contains('y', StringComparison.Ordinal) || !format.Contains('M', StringComparison.Ordinal) || !format.Contains('d', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var sample = new DateTimeOffset(2016, 3, 7, 14, 9, 5, TimeSpan.FromHours(1)).ToString(format, CultureInfo.InvariantCulture);
            return DateTimeOffset.TryParseExact(sample, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out _);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="format"/> reads a UTC offset (<c>z</c> or <c>K</c>).</summary>
    public static bool ReadsOffset(string format) => format.Contains('z', StringComparison.Ordinal) || format.Contains('K', StringComparison.Ordinal);

    /// <summary>The site's cell in canonical spelling, or false with what is wrong. An empty cell stays empty (absent).</summary>
    public bool TryApply(string raw, out string? value, out string? error)
    {
        error = null;
        value = raw;
        var text = raw.Trim();
        if (text.Length == 0)
        {
            return true;
        }

        if (_values is not null)
        {
            if (_values.TryGetValue(text, out value))
            {
                return true;
            }

            error = $"{CanonicalValues.Quote(text)} is not one of the values the profile lists for {_column.Name} ({string.Join(", ", _values.Keys)})";
            return false;
        }

        if (_format is null)
        {
            // Only a time zone brought this rule: convert an ISO instant with an offset, leave a local time as it is.
            // K also matches no offset at all (then the machine's zone would be assumed): look for one first.
            if (_zone is not null && (text.EndsWith('Z') || (text.Length > 16 && text.AsSpan(16).IndexOfAny('+', '-') >= 0))
                && DateTimeOffset.TryParseExact(text, _isoWithOffset, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            {
                value = Canonical(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);
            }

            return true;
        }

        if (string.Equals(_format, ExcelFormat, StringComparison.OrdinalIgnoreCase))
        {
            // 1 is 1900-01-01 and 2958465 is 9999-12-31; an integer is a date, the fraction the time of day.
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial >= 1 && serial < 2958466)
            {
                var day = DateTime.FromOADate(serial);
                value = Canonical(new DateTime((day.Ticks + (TimeSpan.TicksPerSecond / 2)) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Unspecified));
                return true;
            }
        }
        else if (_zone is not null && ReadsOffset(_format))
        {
            if (DateTimeOffset.TryParseExact(text, _format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var instant))
            {
                value = Canonical(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);
                return true;
            }
        }
        else if (DateTime.TryParseExact(text, _format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
        {
            value = Canonical(local);
            return true;
        }

        error = $"{CanonicalValues.Quote(text)} does not match the profile's format for {_column.Name} ({_format})";
        return false;
    }

    private string Canonical(DateTime time) =>
        time.ToString(_column.Type == ColumnType.Date ? CanonicalValues.DateFormat : CanonicalValues.DateTimeFormat, CultureInfo.InvariantCulture);
}
