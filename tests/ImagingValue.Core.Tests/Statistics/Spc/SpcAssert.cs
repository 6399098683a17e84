namespace ImagingValue.Core.Tests.Statistics.Spc;

/// <summary>Relative-tolerance comparisons (README: 1e-8 closed forms, 1e-6 for 10-significant-digit values).</summary>
internal static class SpcAssert
{
    public const double ClosedForm = 1e-8;
    public const double TenDigits = 1e-6;

    public static void Close(double expected, double actual, double relative = TenDigits)
    {
        var tolerance = relative * Math.Max(Math.Abs(expected), 1e-12);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R} (relative tolerance {relative})");
    }

    public static void Range(double expectedMin, double expectedMax, IReadOnlyList<double> actual, double relative = TenDigits)
    {
        Close(expectedMin, actual.Min(), relative);
        Close(expectedMax, actual.Max(), relative);
    }
}
