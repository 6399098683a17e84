using System.Globalization;

namespace ImagingValue.Core.Data;

/// <summary>
/// Checks and normalises one canonical cell. Normal forms are what storage keeps and what screening reads:
/// dates <c>yyyy-MM-dd</c>, date-times <c>yyyy-MM-ddTHH:mm:ss</c>, codes upper case joined by <c>;</c>,
/// enumerations in their canonical lower-case spelling.
/// </summary>
public static class CanonicalValues
{
    public const string DateFormat = "yyyy-MM-dd";
    public const string DateTimeFormat = "yyyy-MM-ddTHH:mm:ss";

    private static readonly string[] _dateTimeFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    private static readonly Dictionary<string, string> _sex = new(StringComparer.OrdinalIgnoreCase)
    {
        ["f"] = "F", ["female"] = "F", ["m"] = "M", ["male"] = "M",
        ["o"] = "O", ["other"] = "O", ["u"] = "U", ["unknown"] = "U",
    };

    private static readonly Dictionary<string, string> _orderStatus = new(StringComparer.OrdinalIgnoreCase)
    {
        ["completed"] = "completed", ["complete"] = "completed", ["final"] = "completed", ["finalized"] = "completed",
        ["cancelled"] = "cancelled", ["canceled"] = "cancelled",
        ["scheduled"] = "scheduled", ["in-progress"] = "in-progress", ["in progress"] = "in-progress",
        ["ordered"] = "ordered", ["active"] = "ordered", ["on-hold"] = "on-hold", ["discontinued"] = "discontinued",
        ["entered-in-error"] = "entered-in-error",
    };

    private static readonly Dictionary<string, string> _clinicalStatus = new(StringComparer.OrdinalIgnoreCase)
    {
        ["active"] = "active", ["recurrence"] = "recurrence", ["relapse"] = "relapse", ["inactive"] = "inactive",
        ["remission"] = "remission", ["resolved"] = "resolved", ["entered-in-error"] = "entered-in-error", ["refuted"] = "refuted",
    };

    private static readonly Dictionary<string, string> _yesNo = new(StringComparer.OrdinalIgnoreCase)
    {
        ["yes"] = "yes", ["y"] = "yes", ["true"] = "yes", ["1"] = "yes",
        ["no"] = "no", ["n"] = "no", ["false"] = "no", ["0"] = "no",
    };

    private static readonly Dictionary<string, string> _management = new(StringComparer.OrdinalIgnoreCase)
    {
        ["major"] = "major", ["minor"] = "minor", ["none"] = "none", ["no"] = "none",
    };

    private static readonly Dictionary<string, string> _reviewRole = new(StringComparer.OrdinalIgnoreCase)
    {
        ["primary"] = "primary", ["first"] = "primary", ["second"] = "second", ["adjudicator"] = "adjudicator", ["adjudication"] = "adjudicator",
    };

    /// <summary>
    /// Normalises <paramref name="raw"/> for <paramref name="column"/>. Returns false with a message saying what is wrong.
    /// An empty cell is absent (null), or the column's default where the contract gives one.
    /// </summary>
    public static bool TryNormalize(CanonicalColumn column, string? raw, out string? value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(column);
        error = null;
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            value = DefaultFor(column.Name);
            if (value is null && column.Required)
            {
                error = "required value is empty";
                return false;
            }

            return true;
        }

        if (text.Contains('\uFFFD', StringComparison.Ordinal))
        {
            value = null;
            error = "invalid UTF-8 (the file is not UTF-8 encoded here)";
            return false;
        }

        switch (column.Type)
        {
            case ColumnType.Date:
                if (text.Length == 10 && TryParseIsoDate(text, out _, out _, out _))
                {
                    // Already in normal form: keep the string (a million-row import parses a lot of dates).
                    value = text;
                    return true;
                }

                value = null;
                error = DateError(text, "date (yyyy-MM-dd)");
                return false;
            case ColumnType.DateTime:
                if (TryNormalizeDateTime(text, out value))
                {
                    return true;
                }

                value = null;
                error = DateError(text, "local date or date-time (yyyy-MM-dd or yyyy-MM-ddTHH:mm)");
                return false;
            case ColumnType.Sex:
                return Lookup(_sex, text, "F, M, O, U (female, male, other, unknown)", out value, out error);
            case ColumnType.OrderStatus:
                return Lookup(_orderStatus, text, "completed, cancelled, scheduled, in-progress, ordered, on-hold, discontinued, entered-in-error", out value, out error);
            case ColumnType.ClinicalStatus:
                return Lookup(_clinicalStatus, text, "active, recurrence, relapse, inactive, remission, resolved, entered-in-error, refuted", out value, out error);
            case ColumnType.YesNo:
                return Lookup(_yesNo, text, "yes or no", out value, out error);
            case ColumnType.Management:
                return Lookup(_management, text, "major, minor or none", out value, out error);
            case ColumnType.ReviewRole:
                return Lookup(_reviewRole, text, "primary, second or adjudicator", out value, out error);
            case ColumnType.Codes:
                value = NormalizeCodes(text);
                return true;
            default:
                value = text;
                return true;
        }
    }

    /// <summary>Parses a normalised or raw ISO local date-time.</summary>
    public static bool TryParseDateTime(string text, out DateTime value) =>
        System.DateTime.TryParseExact(text, _dateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value)
        && value.Year >= EarliestDate.Year && value.Year <= LatestDate.Year;

    /// <summary>
    /// <c>yyyy-MM-dd</c>, <c>yyyy-MM-ddTHH:mm</c> or <c>yyyy-MM-ddTHH:mm:ss</c> (T or space) to <c>yyyy-MM-ddTHH:mm:ss</c>
    /// without going through <see cref="DateTime"/> parsing and formatting; other shapes fall back to it.
    /// </summary>
    private static bool TryNormalizeDateTime(string text, out string? value)
    {
        value = null;
        if (text.Length is 10 or 16 or 19 && TryParseIsoDate(text, out _, out _, out _))
        {
            if (text.Length == 10)
            {
                value = text + "T00:00:00";
                return true;
            }

            if ((text[10] is 'T' or ' ') && TwoDigits(text, 11, 23) && text[13] == ':' && TwoDigits(text, 14, 59)
                && (text.Length == 16 || (text[16] == ':' && TwoDigits(text, 17, 59))))
            {
                value = text.Length == 19 && text[10] == 'T' ? text
                    : string.Concat(text.AsSpan(0, 10), "T", text.AsSpan(11, 5), text.Length == 19 ? text.AsSpan(16, 3) : ":00");
                return true;
            }
        }

        if (TryParseDateTime(text, out var parsed))
        {
            value = parsed.ToString(DateTimeFormat, CultureInfo.InvariantCulture);
            return true;
        }

        return false;
    }

    /// <summary>Checks <c>yyyy-MM-dd</c> at the start of <paramref name="text"/>, calendar included (no 2015-02-30).</summary>
    private static bool TryParseIsoDate(string text, out int year, out int month, out int day)
    {
        year = month = day = 0;
        if (text.Length < 10 || text[4] != '-' || text[7] != '-')
        {
            return false;
        }

        for (var i = 0; i < 10; i++)
        {
            if (i is not (4 or 7) && !char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        year = ((text[0] - '0') * 1000) + ((text[1] - '0') * 100) + ((text[2] - '0') * 10) + (text[3] - '0');
        month = ((text[5] - '0') * 10) + (text[6] - '0');
        day = ((text[8] - '0') * 10) + (text[9] - '0');
        return year >= EarliestDate.Year && year <= LatestDate.Year && month is >= 1 and <= 12 && day >= 1 && day <= System.DateTime.DaysInMonth(year, month);
    }

    /// <summary>
    /// The first date a record may carry. Exports use 0001-01-01 and 9999-12-31 as "none"; read as dates they would
    /// put an order centuries away and break every month count, so they are refused at import.
    /// </summary>
    public static DateOnly EarliestDate { get; } = new(1900, 1, 1);

    /// <summary>The last date a record may carry (see <see cref="EarliestDate"/>).</summary>
    public static DateOnly LatestDate { get; } = new(2099, 12, 31);

    /// <summary>
    /// A day given on a command line or a form (<c>yyyy-MM-dd</c>, within <see cref="EarliestDate"/>..<see cref="LatestDate"/>),
    /// or an error naming <paramref name="option"/> and what to give.
    /// </summary>
    public static DateOnly ParseDay(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new FormatException($"{option}: {Quote(text)} is not a date (yyyy-MM-dd)");
        }

        return day >= EarliestDate && day <= LatestDate
            ? day
            : throw new FormatException($"{option}: {Quote(text)} is outside {EarliestDate:yyyy-MM-dd}..{LatestDate:yyyy-MM-dd}");
    }

    /// <summary>A date error: outside the years allowed, or not a date at all.</summary>
    private static string DateError(string text, string format) =>
        text.Length >= 5 && text[4] == '-' && !text.AsSpan(0, 4).ContainsAnyExceptInRange('0', '9')
            && int.Parse(text.AsSpan(0, 4), CultureInfo.InvariantCulture) is var year && (year < EarliestDate.Year || year > LatestDate.Year)
            ? $"{Quote(text)} is outside {EarliestDate:yyyy-MM-dd}..{LatestDate:yyyy-MM-dd} (a placeholder for 'no date'?)"
            : $"{Quote(text)} is not an ISO 8601 {format}";

    private static bool TwoDigits(string text, int at, int max) =>
        char.IsAsciiDigit(text[at]) && char.IsAsciiDigit(text[at + 1]) && (((text[at] - '0') * 10) + (text[at + 1] - '0')) <= max;

    /// <summary>Splits a code list on <c>;</c>, <c>,</c> or <c>|</c>, trims, upper-cases, drops empties.</summary>
    public static IReadOnlyList<string> SplitCodes(string? codes) =>
        string.IsNullOrWhiteSpace(codes)
            ? []
            : codes.Split([';', ',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => c.ToUpperInvariant())
                .ToArray();

    private static string NormalizeCodes(string text) => string.Join(';', SplitCodes(text));

    private static string? DefaultFor(string column) => column switch
    {
        "status" => "completed",
        "clinical_status" => "active",
        "code_system" => "ICD-10-CM",
        _ => null,
    };

    private static bool Lookup(Dictionary<string, string> values, string text, string allowed, out string? value, out string? error)
    {
        if (values.TryGetValue(text, out value))
        {
            error = null;
            return true;
        }

        error = $"{Quote(text)} is not one of {allowed}";
        return false;
    }

    /// <summary>
    /// A value as an error message shows it: quoted when short (a mistyped date or status is what the person must
    /// see), otherwise only its length. A long value in a structured column is usually text from a shifted row, the
    /// patient's own words, and an error line is printed and shown in the browser.
    /// </summary>
    public static string Quote(string? text)
    {
        const int MaxQuoted = 40;
        text ??= string.Empty;
        return text.Length <= MaxQuoted && !text.Any(char.IsControl)
            ? $"'{text}'"
            : string.Create(CultureInfo.InvariantCulture, $"a value of {text.Length:N0} characters");
    }
}
