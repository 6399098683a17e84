using System.Globalization;
using ImagingValue.Core.Protocols;

namespace ImagingValue.Reports.Office;

/// <summary>How the Office writers print figures: the same forms as the HTML report (2.0%, $480,200, 0.6%–7.1%).</summary>
internal static class Figures
{
    private static readonly CultureInfo _invariant = CultureInfo.InvariantCulture;

    /// <summary>A rate 0-1 as a percent with one decimal.</summary>
    public static string Pct(double rate) => (rate * 100).ToString("0.0", _invariant) + "%";

    /// <summary>x of n with its percent, or "x of n" alone when n is 0.</summary>
    public static string OfWithPct(int count, int total) =>
        total == 0 ? $"{count} of {total}" : $"{count} of {total} ({Pct((double)count / total)})";

    public static string Interval(double low, double high) => $"95% CI {Pct(low)}–{Pct(high)}";

    public static string Money(double value) => Core.Text.Money.Dollars(value);

    public static string Num(double value) => value.ToString("0.##", _invariant);

    public static string Signed(double value) => value.ToString("+0.0;-0.0;0.0", _invariant);

    public static string Date(DateTimeOffset at) => at.ToString("yyyy-MM-dd", _invariant);

    /// <summary>An exclusion reason id as people read it: the red flag's label, or the id in words.</summary>
    public static string ReasonLabel(Protocol protocol, string reason)
    {
        var flag = protocol.RedFlags.FirstOrDefault(f => f.Id == reason);
        if (flag is not null)
        {
            return flag.Label;
        }

        var words = reason.Replace('_', ' ');
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
