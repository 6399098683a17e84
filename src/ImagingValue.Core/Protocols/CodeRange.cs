namespace ImagingValue.Core.Protocols;

/// <summary>
/// A range of ICD-10-CM codes written as in code books: <c>Z85</c> (a category and everything under it),
/// <c>C00-C96</c> (categories C00 to C96 and their children), <c>M46.20-M46.59</c>.
/// </summary>
/// <remarks>
/// Matching ignores dots and case. A code matches when its prefix of the bounds' length lies between the bounds,
/// so <c>C00-C96</c> matches <c>C50.911</c> but not <c>D25.9</c>, and <c>M46.20-M46.59</c> matches <c>M46.26</c>.
/// </remarks>
public sealed record CodeRange
{
    public CodeRange(string low, string high)
    {
        Low = Normalize(low);
        High = Normalize(high);
        if (Low.Length == 0 || Low.Length != High.Length || string.CompareOrdinal(Low, High) > 0)
        {
            throw new FormatException($"code range '{low}-{high}': bounds must be non-empty, of equal length, low before high");
        }
    }

    public string Low { get; }

    public string High { get; }

    /// <summary>The range as written in the protocol (with its dots), for people.</summary>
    public string Text { get; private init; } = string.Empty;

    /// <summary>Parses <c>X</c> or <c>X-Y</c>.</summary>
    public static CodeRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("an empty code (remove it, or give a code such as M54.5 or a range such as M54.50-M54.59)");
        }

        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        var range = parts.Length == 1 ? new CodeRange(parts[0], parts[0]) : new CodeRange(parts[0], parts[1]);
        return range with { Text = text.Trim() };
    }

    public bool Contains(string code)
    {
        var normalized = Normalize(code);
        if (normalized.Length < Low.Length)
        {
            return false;
        }

        var prefix = normalized[..Low.Length];
        return string.CompareOrdinal(prefix, Low) >= 0 && string.CompareOrdinal(prefix, High) <= 0;
    }

    public override string ToString() => Text.Length > 0 ? Text : Low == High ? Low : $"{Low}-{High}";

    private static string Normalize(string code) => code.Replace(".", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
}
