using System.Globalization;
using ImagingValue.Core.Data;

namespace ImagingValue.Import.Hl7;

/// <summary>
/// HL7 DTM values (<c>YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]</c>) as canonical text. A time with an offset is an
/// instant and becomes the site's local time; a time without one is already local and is kept as written.
/// </summary>
public static class Hl7Time
{
    /// <summary>A date-time in canonical form, or an error text.</summary>
    public static bool TryParseDateTime(string value, TimeZoneInfo siteZone, out string? canonical, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(siteZone);
        canonical = null;
        if (!TrySplit(value, out var digits, out var offset, out error))
        {
            return false;
        }

        // Precision below a day keeps what was given: 2016 or 201603 is not a time an order was placed.
        if (digits.Length < 8)
        {
            error = $"{CanonicalValues.Quote(value)} is not precise to the day";
            return false;
        }

        var padded = digits.Length >= 14 ? digits[..14] : digits.PadRight(14, '0');
        if (!DateTime.TryParseExact(padded, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            error = $"{CanonicalValues.Quote(value)} is not a date-time (YYYYMMDD[HHMM[SS]][+ZZZZ])";
            return false;
        }

        if (offset is { } o)
        {
            var instant = new DateTimeOffset(local, o);
            local = TimeZoneInfo.ConvertTime(instant, siteZone).DateTime;
        }

        return Bounded(local, value, digits.Length == 8 ? CanonicalValues.DateFormat : CanonicalValues.DateTimeFormat, out canonical, out error);
    }

    /// <summary>A calendar date (birth dates): the day as written, whatever time or offset follows.</summary>
    public static bool TryParseDate(string value, out string? canonical, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        canonical = null;
        if (!TrySplit(value, out var digits, out _, out error))
        {
            return false;
        }

        if (digits.Length < 8 || !DateTime.TryParseExact(digits[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            error = $"{CanonicalValues.Quote(value)} is not a date (YYYYMMDD)";
            return false;
        }

        return Bounded(day, value, CanonicalValues.DateFormat, out canonical, out error);
    }

    private static bool Bounded(DateTime value, string raw, string format, out string? canonical, out string? error)
    {
        if (value < CanonicalValues.EarliestDate.ToDateTime(TimeOnly.MinValue) || value > CanonicalValues.LatestDate.ToDateTime(TimeOnly.MaxValue))
        {
            canonical = null;
            error = $"{CanonicalValues.Quote(raw)} is outside {CanonicalValues.EarliestDate.Year}..{CanonicalValues.LatestDate.Year}";
            return false;
        }

        canonical = value.ToString(format, CultureInfo.InvariantCulture);
        error = null;
        return true;
    }

    private static bool TrySplit(string value, out string digits, out TimeSpan? offset, out string? error)
    {
        var text = value.Trim();
        offset = null;
        error = null;
        var sign = text.IndexOfAny(['+', '-']);
        var main = sign < 0 ? text : text[..sign];
        var point = main.IndexOf('.', StringComparison.Ordinal);
        digits = point < 0 ? main : main[..point];
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || (point >= 0 && !main[(point + 1)..].All(char.IsAsciiDigit)))
        {
            error = $"{CanonicalValues.Quote(value)} is not a date-time (YYYYMMDD[HHMM[SS]][+ZZZZ])";
            return false;
        }

        if (sign >= 0)
        {
            var zone = text[(sign + 1)..];
            if (zone.Length != 4 || !zone.All(char.IsAsciiDigit)
                || int.Parse(zone[..2], CultureInfo.InvariantCulture) > 14 || int.Parse(zone[2..], CultureInfo.InvariantCulture) > 59)
            {
                error = $"{CanonicalValues.Quote(value)} has an offset that is not +/-HHMM";
                return false;
            }

            var span = new TimeSpan(int.Parse(zone[..2], CultureInfo.InvariantCulture), int.Parse(zone[2..], CultureInfo.InvariantCulture), 0);
            offset = text[sign] == '-' ? -span : span;
        }

        return true;
    }
}
