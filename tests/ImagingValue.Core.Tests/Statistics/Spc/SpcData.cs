namespace ImagingValue.Core.Tests.Statistics.Spc;

/// <summary>Data sets D1 and D6 of the QI statistics vectors: qicharts2 0.8.1 package data, numbers as the package stores them.</summary>
internal static class SpcData
{
    /// <summary>D1: qicharts2 <c>cdi</c> hospital C. difficile infections, Nov 2012–Oct 2015 (24 pre, 12 post).</summary>
    public static readonly double[] CdiCounts =
    [
        17, 12, 27, 20, 20, 18, 22, 19, 19, 24, 17, 16, 24, 19, 19, 22, 25, 19, 17, 6, 25, 17, 11, 14,
        9, 11, 7, 13, 5, 5, 3, 5, 9, 4, 5, 9,
    ];

    /// <summary>D1: risk days × 24 as stored in qicharts2 <c>cdi</c> (risk days = value / 24).</summary>
    public static readonly double[] CdiRiskDaysTimes24 =
    [
        354442, 347048, 388246, 341436, 355590, 344047, 359149, 343869, 316814, 332535, 331068, 337700,
        347924, 343974, 358248, 320691, 337395, 345314, 352162, 339685, 331937, 340113, 351311, 353114,
        354015, 357160, 364890, 326154, 362677, 329519, 333116, 333500, 315376, 320950, 335025, 340352,
    ];

    /// <summary>D6: qicharts2 <c>nhs_accidents</c> (Mohammed et al., BMJ Qual Saf 2013;22:362–368), seen within 4 h.</summary>
    public static readonly double[] NhsSeen =
    [
        266501, 264225, 276532, 281461, 269071, 261215, 270409, 279778, 270483, 270320,
        267923, 271478, 255353, 256820, 261835, 259144, 255910, 260863, 264465, 260989,
    ];

    /// <summary>D6: attendances.</summary>
    public static readonly double[] NhsAttendances =
    [
        280443, 276823, 291681, 296155, 282343, 275888, 283867, 295251, 284468, 282529,
        279618, 283932, 266629, 268091, 276803, 271578, 266005, 273520, 278574, 273772,
    ];

    public static double[] CdiRiskDays => [.. CdiRiskDaysTimes24.Select(v => v / 24)];
}
