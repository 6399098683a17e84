namespace ImagingValue.Core.Tests.Statistics.Regression;

/// <summary>
/// Sicily acute coronary events, Jan 2002 – Nov 2006 (59 months); public-place smoking ban from month 37 (Jan 2005).
/// Source: Lopez Bernal, Cummins &amp; Gasparrini, IJE 2017;46:348–355 (doi:10.1093/ije/dyw098), data file
/// gasparrini/2017_lopezbernal_IJE_codedata <c>sicily.csv</c> (commit 8545626), data set D5 of the QI statistics
/// vectors (that repository has no licence file, so only the numbers the tests need are written here).
/// </summary>
internal static class SicilyData
{
    public const int FirstBanMonth = 37;

    public static readonly double[] Aces =
    [
        728, 659, 791, 734, 757, 726, 760, 740, 720, 814, 795, 858,
        887, 766, 851, 769, 781, 756, 766, 752, 765, 831, 879, 928,
        914, 808, 937, 840, 916, 828, 845, 818, 860, 839, 887, 886,
        831, 796, 833, 820, 877, 758, 767, 738, 781, 843, 850, 908,
        1021, 859, 976, 888, 962, 838, 810, 876, 843, 936, 912,
    ];

    public static readonly double[] StdPop =
    [
        379875.3, 376495.5, 377040.8, 377116.4, 377383.4, 374113.1, 379513.3, 376295.5, 374653.2, 378485.6, 375955.5, 378349.7,
        376762.4, 379032.3, 379360.4, 376162, 377972.4, 381830.7, 379888.6, 380872.2, 380966.9, 381240.4, 382104.9, 381802.7,
        381656.3, 383680, 383504.2, 386462.9, 383783.1, 380836.8, 383483, 380906.2, 382926.8, 384052.4, 384449.6, 383428.4,
        388153.2, 388373.2, 386470.1, 386033.2, 383686.4, 385509.3, 385901.9, 386516.6, 388436.5, 383255.2, 390148.7, 385874.9,
        391613.6, 391750.4, 394005.6, 391364.9, 391664.6, 389022.3, 391878.5, 388575.3, 392989, 390018.8, 390712.3,
    ];

    public static double[] Time => [.. Enumerable.Range(1, Aces.Length).Select(t => (double)t)];

    public static double[] SmokBan => [.. Enumerable.Range(1, Aces.Length).Select(t => t >= FirstBanMonth ? 1.0 : 0.0)];

    public static double[] LogStdPop => [.. StdPop.Select(p => Math.Log(p))];
}
