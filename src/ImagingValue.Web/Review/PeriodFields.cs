using ImagingValue.Core.Analytics;
using ImagingValue.Core.Data;

namespace ImagingValue.Web.Review;

/// <summary>
/// The "from" and "to" date fields of the review pages (worklist, cohort, dashboard), read as the CLI reads
/// <c>--period</c>: <see cref="CanonicalValues.ParseDay"/>, so the pages share its bounds (1900-01-01..2099-12-31)
/// and its messages; an empty end is open, up to that bound.
/// </summary>
public static class PeriodFields
{
    /// <summary>
    /// The period typed; null with no error when both fields are empty; null and <paramref name="error"/> (one line
    /// naming the field) when a date does not parse, is out of bounds, or the end is before the start.
    /// </summary>
    public static DateRange? Read(string? from, string? to, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(to))
        {
            return null;
        }

        try
        {
            var first = string.IsNullOrEmpty(from) ? CanonicalValues.EarliestDate : CanonicalValues.ParseDay(from, "from");
            var last = string.IsNullOrEmpty(to) ? CanonicalValues.LatestDate : CanonicalValues.ParseDay(to, "to");
            if (last < first)
            {
                error = "to: the end of the period is before its start";
                return null;
            }

            return new DateRange(first, last);
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return null;
        }
    }
}
