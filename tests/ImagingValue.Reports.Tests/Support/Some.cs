using ImagingValue.Core.Analytics;
using ImagingValue.Core.Data;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Screening;

namespace ImagingValue.Reports.Tests.Support;

/// <summary>Valid domain values with optional overrides, so a test names only what it is about (copied from Core.Tests).</summary>
internal static class Some
{
    private static int _next;

    public static AuditOptions PaperOptions { get; } = new(
        DateRange.Parse("2013-07-01..2017-06-30"), new DateOnly(2018, 6, 30), DateRange.Parse("2018-07-01..2018-09-30"), 4900m);

    public static DateTimeOffset GeneratedAt { get; } = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static string Id(string prefix) => $"{prefix}{Interlocked.Increment(ref _next):D6}";

    public static ImagingOrder Order(
        DateTime? orderedAt = null,
        string? sex = "F",
        DateOnly? birthDate = null,
        string status = "completed",
        string? department = "Family Medicine")
    {
        var ordered = orderedAt ?? new DateTime(2015, 3, 17, 14, 18, 0);
        return new ImagingOrder(
            Id("O"),
            Id("P"),
            null,
            ordered,
            status == "completed" ? ordered.AddDays(3) : null,
            "72195",
            "MRI SACRUM WO CONTRAST",
            "low back pain",
            [],
            "Dr. Test",
            department,
            PatientSexes.Parse(sex),
            birthDate ?? new DateOnly(1967, 5, 2),
            OrderStatuses.Parse(status));
    }

    /// <summary>The paper's audit with its follow-up window after the data's last order (2018-10-04): no data for it.</summary>
    public static AuditResult UncoveredAudit() =>
        Audit(98, 2, PaperOptions with { FollowUp = DateRange.Parse("2019-01-01..2019-03-31") });

    public static ExamReview Review(string orderId, bool major = false, bool minor = false, bool incidental = false, string management = "none") =>
        new(orderId, "resident1", major, minor, incidental, null, ManagementChanges.Parse(management), "primary", new DateTime(2018, 1, 1));

    public static ScreeningDecision Included(ImagingOrder order) => new(order.OrderId, Decision.Included, true, null, [], [ScreeningEvidence.FromLegacyText("test")]);

    public static ScreeningDecision Excluded(ImagingOrder order, string reason) => new(order.OrderId, Decision.Excluded, true, reason, [reason], [ScreeningEvidence.FromLegacyText("test")]);

    /// <summary>
    /// The paper's shape: 98 included exams in 48 months (2 major, 43 minor, 85 incidental, 12 minor management changes),
    /// one in follow-up, at $4,900 each ($480,200).
    /// </summary>
    public static AuditResult PaperAudit() => Audit(98, 2);

    /// <summary>
    /// <paramref name="included"/> reviewed exams every 14 days from July 2013, the first <paramref name="major"/> with a major finding,
    /// plus one included exam in follow-up.
    /// </summary>
    public static AuditResult Audit(int included, int major) => Audit(included, major, PaperOptions, reviewed: included);

    /// <summary>As <see cref="Audit(int, int)"/>, with <paramref name="options"/> (e.g. another follow-up window).</summary>
    public static AuditResult Audit(int included, int major, AuditOptions options) => Audit(included, major, options, reviewed: included);

    /// <summary>As <see cref="Audit(int, int)"/>, but only the first <paramref name="reviewed"/> included exams have a review.</summary>
    public static AuditResult Audit(int included, int major, int reviewed) => Audit(included, major, PaperOptions, reviewed);

    /// <summary>The paper's figures (98 reviewed, 2 major) audited under <paramref name="protocol"/> (its words, labels and red flags).</summary>
    public static AuditResult PaperAudit(Protocol protocol) => Audit(98, 2, PaperOptions, 98, protocol);

    private static AuditResult Audit(int included, int major, AuditOptions options, int reviewed, Protocol? protocol = null)
    {
        var orders = new List<ImagingOrder>();
        var decisions = new List<ScreeningDecision>();
        var reviews = new List<ExamReview>();
        var start = new DateTime(2013, 7, 3, 9, 0, 0);
        for (var i = 0; i < included; i++)
        {
            var at = start.AddDays(i * 14);
            var order = Order(orderedAt: at, sex: i < 64 ? "F" : "M", birthDate: DateOnly.FromDateTime(at).AddYears(-48));
            orders.Add(order);
            decisions.Add(Included(order));
            if (i < reviewed)
            {
                reviews.Add(Review(order.OrderId, major: i < major, minor: i < 43, incidental: i < 85, management: i < 12 ? "minor" : "none"));
            }
        }

        var followUp = Order(orderedAt: new DateTime(2018, 8, 1, 10, 0, 0));
        orders.Add(followUp);
        decisions.Add(Included(followUp));

        // The export runs past the follow-up window (to 2018-10-04): other procedures are ordered after it.
        var later = Order(orderedAt: new DateTime(2018, 10, 1, 8, 0, 0));
        orders.Add(later);
        decisions.Add(new ScreeningDecision(later.OrderId, Decision.NotTarget, false, null, [], []));
        return AuditAnalyzer.Analyze(protocol ?? TestProtocol.Sacrum, options, orders, decisions, reviews);
    }
}

/// <summary>A small protocol built in code, shaped like the built-in sacrum one.</summary>
internal static class TestProtocol
{
    public static Protocol Sacrum { get; } = new(
        "test-sacrum",
        "Sacrum MRI for low back pain",
        "Sacrum MRI ordered for vague low back or tail-bone pain without red flags.",
        4900m,
        new ExamDefinition("MRI sacrum", ["mri", "mr"], ["sacrum", "coccyx"], ["sacroiliac", "lumbar"], ["36059-4"]),
        new Dictionary<string, ExamDefinition>
        {
            ["lumbar_spine_mri"] = new("MRI lumbar spine", ["mri", "mr"], ["lumbar"], [], ["72148"]),
        },
        new QualifyingIndication("low back pain", ["low_back_pain"], [CodeRange.Parse("M54.50-M54.59")]),
        [
            new("tumor", "Known or suspected tumor", ["tumor"], [CodeRange.Parse("C00-C96"), CodeRange.Parse("Z85")], true, true, null, true, null),
            new("recent_trauma", "Recent trauma (under 4 weeks)", ["trauma"], [CodeRange.Parse("S32")], true, false, 28, true, null),
            new("infection", "Suspected infection (osteomyelitis)", ["infection"], [], true, false, null, true, null),
        ]);
}
