using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;

namespace ImagingValue.Core.Tests.Support;

/// <summary>Valid domain values with optional overrides, so a test names only what it is about.</summary>
internal static class Some
{
    private static int _next;

    public static string Id(string prefix) => $"{prefix}{Interlocked.Increment(ref _next):D6}";

    public static ImagingOrder Order(
        string? orderId = null,
        string? patientId = null,
        DateTime? orderedAt = null,
        DateTime? performedAt = null,
        string procedureName = "MRI SACRUM WO CONTRAST",
        string? procedureCode = "72195",
        string? indication = "low back pain",
        IReadOnlyList<string>? reasonCodes = null,
        string? sex = "F",
        DateOnly? birthDate = null,
        string status = "completed",
        string? department = "Family Medicine")
    {
        var ordered = orderedAt ?? new DateTime(2015, 3, 17, 14, 18, 0);
        return new ImagingOrder(
            orderId ?? Id("O"),
            patientId ?? Id("P"),
            null,
            ordered,
            performedAt ?? (status == "completed" ? ordered.AddDays(3) : null),
            procedureCode,
            procedureName,
            indication,
            reasonCodes ?? [],
            "Dr. Test",
            department,
            PatientSexes.Parse(sex),
            birthDate ?? new DateOnly(1967, 5, 2),
            OrderStatuses.Parse(status));
    }

    public static ExamReview Review(
        string orderId,
        string reviewer = "resident1",
        bool major = false,
        bool minor = false,
        bool incidental = false,
        string management = "none",
        string? role = "primary",
        DateTime? reviewedAt = null) =>
        new(orderId, reviewer, major, minor, incidental, null, ManagementChanges.Parse(management), role, reviewedAt ?? new DateTime(2018, 1, 1));

    public static ScreeningDecision Included(ImagingOrder order) => new(order.OrderId, Decision.Included, true, null, [], [ScreeningEvidence.FromLegacyText("test")]);

    public static ScreeningDecision Excluded(ImagingOrder order, string reason) => new(order.OrderId, Decision.Excluded, true, reason, [reason], [ScreeningEvidence.FromLegacyText("test")]);

    public static ScreeningDecision NotTarget(ImagingOrder order, bool isTarget = false) => new(order.OrderId, Decision.NotTarget, isTarget, null, [], [ScreeningEvidence.FromLegacyText("test")]);
}

/// <summary>A small protocol built in code, shaped like the built-in sacrum one.</summary>
internal static class TestProtocol
{
    public static Core.Protocols.Protocol Sacrum { get; } = new(
        "test-sacrum",
        "Test sacrum MRI",
        "test",
        4900m,
        new Core.Protocols.ExamDefinition("MRI sacrum", ["mri", "mr"], ["sacrum", "coccyx"], ["sacroiliac", "lumbar"], ["36059-4"]),
        new Dictionary<string, Core.Protocols.ExamDefinition>
        {
            ["lumbar_spine_mri"] = new("MRI lumbar spine", ["mri", "mr"], ["lumbar"], [], ["72148"]),
        },
        new Core.Protocols.QualifyingIndication("low back pain", ["low_back_pain"], [Core.Protocols.CodeRange.Parse("M54.50-M54.59")]),
        [
            new("tumor", "Tumor", ["tumor"], [Core.Protocols.CodeRange.Parse("C00-C96"), Core.Protocols.CodeRange.Parse("Z85")], true, true, null, true, null),
            new("recent_trauma", "Recent trauma", ["trauma"], [Core.Protocols.CodeRange.Parse("S32")], true, false, 28, true, null),
        ]);
}
