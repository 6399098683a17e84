using System.Globalization;

namespace ImagingValue.Core.Analytics;

/// <summary>An inclusive range of calendar dates, written <c>FROM..TO</c> (e.g. <c>2013-07-01..2017-06-30</c>).</summary>
public sealed record DateRange
{
    public DateRange(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            throw new ArgumentException($"range ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd})", nameof(to));
        }

        From = from;
        To = to;
    }

    /// <summary>The first day, inclusive.</summary>
    public DateOnly From { get; }

    /// <summary>The last day, inclusive.</summary>
    public DateOnly To { get; }

    public bool Contains(DateOnly date) => date >= From && date <= To;

    /// <summary>
    /// Length in calendar months: each month counts the fraction of its days inside the range,
    /// so a range aligned to month boundaries has a whole number (2013-07-01..2017-06-30 is 48).
    /// </summary>
    public decimal Months
    {
        get
        {
            decimal months = 0;
            var cursor = new DateOnly(From.Year, From.Month, 1);
            while (cursor <= To)
            {
                var monthEnd = cursor.AddMonths(1).AddDays(-1);
                var first = From > cursor ? From : cursor;
                var last = To < monthEnd ? To : monthEnd;
                var days = DateTime.DaysInMonth(cursor.Year, cursor.Month);
                months += (decimal)(last.DayNumber - first.DayNumber + 1) / days;
                cursor = cursor.AddMonths(1);
            }

            return Math.Round(months, 4, MidpointRounding.AwayFromZero);
        }
    }

    /// <summary>Parses <c>yyyy-MM-dd..yyyy-MM-dd</c>.</summary>
    public static DateRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
        {
            throw new FormatException($"'{text}' is not a date range FROM..TO (e.g. 2013-07-01..2017-06-30)");
        }

        if (to < from)
        {
            throw new FormatException($"'{text}': the range ends before it starts");
        }

        if (from < Data.CanonicalValues.EarliestDate || to > Data.CanonicalValues.LatestDate)
        {
            throw new FormatException($"'{text}': dates must lie within {Data.CanonicalValues.EarliestDate:yyyy-MM-dd}..{Data.CanonicalValues.LatestDate:yyyy-MM-dd}");
        }

        return new DateRange(from, to);
    }

    public override string ToString() => $"{From:yyyy-MM-dd}..{To:yyyy-MM-dd}";
}
