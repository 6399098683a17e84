using System.Globalization;

namespace ImagingValue.Core.Text;

/// <summary>Whole dollars as every output writes them: "$4,900", and "-$585" for an interval's negative bound (not "$-585").</summary>
public static class Money
{
    public static string Dollars(double value) =>
        (value < 0 ? "-$" : "$") + Math.Abs(value).ToString("#,0", CultureInfo.InvariantCulture);
}
