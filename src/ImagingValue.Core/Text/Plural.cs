using System.Globalization;

namespace ImagingValue.Core.Text;

/// <summary>
/// A count with its noun, as every output writes it: "1 exam", "0 exams", "2 included exams", "1.5 months".
/// The noun is the singular; the plural adds "s" unless given (<c>Plural.Count(2, "analysis", "analyses")</c>).
/// Only exactly one takes the singular (English: "0 exams", "1.5 months").
/// </summary>
public static class Plural
{
    /// <summary>"1 exam", "3 exams"; the number in invariant culture.</summary>
    public static string Count(long count, string noun, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {Noun(count, noun, plural)}");

    /// <summary>"1 month", "1.5 months", "0.33 months": the number as <c>0.##</c>.</summary>
    public static string Count(double count, string noun, string? plural = null) =>
        $"{count.ToString("0.##", CultureInfo.InvariantCulture)} {Noun(count, noun, plural)}";

    /// <summary>The noun alone, for sentences that print the number elsewhere ("of the 12 included exams").</summary>
    public static string Noun(double count, string noun, string? plural = null)
    {
        ArgumentNullException.ThrowIfNull(noun);
        return Math.Round(count, 2) == 1 ? noun : plural ?? noun + "s";
    }
}
