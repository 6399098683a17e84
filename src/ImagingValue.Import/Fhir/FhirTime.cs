using System.Globalization;
using ImagingValue.Core.Data;

namespace ImagingValue.Import.Fhir;

/// <summary>
/// FHIR <c>date</c>, <c>dateTime</c> and <c>instant</c> values as canonical text. A time with an offset (or <c>Z</c>)
/// is an instant and becomes the site's local time; a time without one is already local and is kept as written.
/// </summary>
public static class FhirTime
{
    /// <summary>A date-time in canonical form (<c>yyyy-MM-ddTHH:mm:ss</c>, or the day alone for a date), or an error text.</summary>
    public static bool TryParseDateTime(string value, TimeZoneInfo siteZone, out string? canonical, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(siteZone);
        canonical = null;
        error = null;
        var text = value.Trim();
        if (text.Length <= 10)
        {
            // A date (or a year or month, which is not precise enough for an order or a diagnosis date).
            if (text.Length == 10 && DateOnly.TryParseExact(text, CanonicalValues.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                canonical = text;
                return true;
            }

            error = text.Length is 4 or 7 ? $"'{text}' is not precise to the day" : $"{CanonicalValues.Quote(text)} is not a FHIR date (YYYY-MM-DD)";
            return false;
        }

        var hasOffset = text.EndsWith('Z') || (text.Length > 19 && (text[^6] is '+' or '-') && text[^3] == ':');
        if (hasOffset)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            {
                error = $"{CanonicalValues.Quote(text)} is not a FHIR dateTime (YYYY-MM-DDThh:mm:ss+zz:zz)";
                return false;
            }

            canonical = TimeZoneInfo.ConvertTime(instant, siteZone).DateTime.ToString(CanonicalValues.DateTimeFormat, CultureInfo.InvariantCulture);
            return true;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            error = $"{CanonicalValues.Quote(text)} is not a FHIR dateTime (YYYY-MM-DDThh:mm:ss+zz:zz)";
            return false;
        }

        canonical = local.ToString(CanonicalValues.DateTimeFormat, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>The local calendar day of a FHIR date or dateTime (an instant's day in the site's zone).</summary>
    public static bool TryParseDate(string value, TimeZoneInfo siteZone, out string? canonical, out string? error)
    {
        if (!TryParseDateTime(value, siteZone, out var dateTime, out error))
        {
            canonical = null;
            return false;
        }

        canonical = dateTime![..10];
        return true;
    }

}
