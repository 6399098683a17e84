using System.Globalization;
using System.Text;

namespace ImagingValue.Core.Text;

/// <summary>
/// A value from outside (a request, an upload, a sign-in form, a stored name) as a log line may carry it: control,
/// format and line-separator characters (CR, LF, ESC, bidi overrides, lone surrogates) are written as <c>\uXXXX</c>,
/// and anything over <see cref="MaxLength"/> characters is cut to them plus "…(N chars)". So a value cannot forge a
/// log line, colour a terminal or fill the log.
/// <para>
/// Log methods take this type instead of <see cref="string"/> (a string converts implicitly), and a test fails any
/// <c>[LoggerMessage]</c> method with a string parameter, so new log lines follow the rule without thinking of it.
/// </para>
/// </summary>
public readonly struct LogValue : IEquatable<LogValue>
{
    /// <summary>The longest value written whole; longer ones are cut to this many characters.</summary>
    public const int MaxLength = 64;

    private readonly string? _raw;
    private readonly bool _cleaned;

    private LogValue(string? raw, bool cleaned)
    {
        _raw = raw;
        _cleaned = cleaned;
    }

    public static implicit operator LogValue(string? raw) => new(raw, cleaned: false);

    /// <summary>The value as written to the log.</summary>
    public override string ToString() => _cleaned ? _raw ?? "" : Clean(_raw);

    /// <summary>Same as the implicit conversion, for callers that prefer a name.</summary>
    public static LogValue FromString(string? raw) => raw;

    /// <summary>
    /// Entries joined by <paramref name="separator"/>, each cleaned and cut on its own at twice
    /// <see cref="MaxLength"/> (an entry is an identifier plus a few words), so a list (one entry per draft order,
    /// whose count the request reader caps) keeps every entry readable.
    /// </summary>
    public static LogValue Join(string separator, IEnumerable<string?> entries) =>
        new(string.Join(separator, entries.Select(entry => Clean(entry, 2 * MaxLength))), cleaned: true);

    /// <summary>
    /// <paramref name="raw"/> with control, format and separator characters escaped and cut to
    /// <see cref="MaxLength"/> characters (never inside a surrogate pair) plus "…(N chars)" giving the full length.
    /// </summary>
    public static string Clean(string? raw) => Clean(raw, MaxLength);

    private static string Clean(string? raw, int maxLength)
    {
        if (raw is null)
        {
            return "";
        }

        var keep = Math.Min(raw.Length, maxLength);
        if (keep < raw.Length && char.IsHighSurrogate(raw[keep - 1]) && char.IsLowSurrogate(raw[keep]))
        {
            keep--;
        }

        var text = new StringBuilder(keep + 16);
        for (var i = 0; i < keep; i++)
        {
            var c = raw[i];
            if (char.IsHighSurrogate(c) && i + 1 < keep && char.IsLowSurrogate(raw[i + 1]))
            {
                text.Append(c).Append(raw[++i]);
            }
            else if (IsUnsafe(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }

        if (keep < raw.Length)
        {
            text.Append(CultureInfo.InvariantCulture, $"…({raw.Length} chars)");
        }

        return text.ToString();
    }

    private static bool IsUnsafe(char c) => char.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;

    public bool Equals(LogValue other) => ToString() == other.ToString();

    public override bool Equals(object? obj) => obj is LogValue other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    public static bool operator ==(LogValue left, LogValue right) => left.Equals(right);

    public static bool operator !=(LogValue left, LogValue right) => !left.Equals(right);
}
