using ImagingValue.Core.Alerts;
using ImagingValue.Core.Tests.Support;

namespace ImagingValue.Core.Tests.Alerts;

public sealed class AlertActivityTests
{
    private const string Protocol = "sacrum-mri-lbp";
    private static readonly DateTimeOffset Nov = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Dec = new(2026, 12, 1, 0, 30, 0, TimeSpan.Zero);

    private static PointOfOrderAlert Alert(string consult, DateTimeOffset at, string? card, string? provider, string rating = "not-appropriate", string? department = null, string protocol = Protocol) =>
        new(consult, at, $"{protocol}-select", protocol, "order-select", "h-" + consult, null, "ServiceRequest/" + consult, rating, card, provider, department);

    private static AlertFeedback Feedback(string card, string outcome, DateTimeOffset at, string? reason = null) =>
        new($"{Protocol}-select", card, outcome, at, outcome == AlertFeedback.Accepted ? ["s-1"] : [], reason is null ? null : "urn:imaging-value:cds:override-reason", reason, null, at);

    [Fact]
    public void Summarize_NoAlertsOfTheProtocol_Null()
    {
        var other = Alert("c-1", Nov, "card-1", null, protocol: "head-ct-headache");

        Assert.Null(AlertActivity.Summarize(Protocol, [other], [], []));
    }

    [Fact]
    public void Summarize_WarningsWithOutcomes_CountsPerMonthAndDepartment()
    {
        var orders = new[]
        {
            Some.Order(department: "Family Medicine") with { OrderingProvider = "Dr. Adams" },
            Some.Order(department: "Family Medicine") with { OrderingProvider = "Dr. Adams" },
            Some.Order(department: "Emergency") with { OrderingProvider = "Dr. Adams" },
            Some.Order(department: "Orthopedics") with { OrderingProvider = "Dr. Baker" },
        };
        var alerts = new[]
        {
            Alert("c-1", Nov, "card-1", "Dr. Adams"),
            Alert("c-2", Nov, "card-2", "Dr. Adams"),
            Alert("c-3", Nov, null, "Dr. Adams", rating: "appropriate"),
            Alert("c-4", Nov, "card-4", "Dr. Baker"),
            Alert("c-5", Dec, "card-5", "Dr. Unknown"),
            Alert("c-6", Dec, "card-6", "Dr. Baker", department: "Spine Clinic"),
        };
        var feedback = new[]
        {
            Feedback("card-1", AlertFeedback.Accepted, Nov.AddMinutes(1)),
            Feedback("card-2", AlertFeedback.Overridden, Nov.AddMinutes(1), "tumor"),
            Feedback("card-4", AlertFeedback.Overridden, Nov.AddMinutes(2), "other"),
            Feedback("card-5", AlertFeedback.Overridden, Dec.AddMinutes(1), "tumor"),
        };

        var activity = AlertActivity.Summarize(Protocol, alerts, feedback, orders)!;

        Assert.Equal((6, 5, 1, 3, 1), (activity.Rated, activity.Warned, activity.Accepted, activity.Overridden, activity.NoFeedback));
        Assert.Equal(new Dictionary<string, int> { ["other"] = 1, ["tumor"] = 2 }, activity.OverrideReasons);
        Assert.Equal(
            [("2026-11", "Family Medicine", 3, 2, 1, 1), ("2026-11", "Orthopedics", 1, 1, 0, 1), ("2026-12", "Spine Clinic", 1, 1, 0, 0), ("2026-12", "unknown", 1, 1, 0, 1)],
            activity.ByMonthAndDepartment.Select(r => (r.Month, r.Department, r.Rated, r.Warned, r.Accepted, r.Overridden)));
    }

    [Fact]
    public void Summarize_ThreeCallsForOneDraftOrder_OneOrderFeedbackOnAnyCardCounts()
    {
        // Each edit of the draft fires order-select again, with a new hookInstance, consult id and card.
        PointOfOrderAlert Edit(string consult, DateTimeOffset at) =>
            Alert(consult, at, "card-" + consult, "Dr. Adams") with { PatientId = "pat-1", EncounterId = "enc-1", OrderReference = "ServiceRequest/sr-1" };
        var alerts = new[]
        {
            Edit("c-1", Nov),
            Edit("c-2", Nov.AddMinutes(1)),
            Edit("c-3", Nov.AddMinutes(2)),
            Alert("c-4", Nov, "card-c-4", "Dr. Adams") with { PatientId = "pat-2", EncounterId = "enc-2", OrderReference = "ServiceRequest/sr-1" },
        };

        var activity = AlertActivity.Summarize(Protocol, alerts, [Feedback("card-c-2", AlertFeedback.Overridden, Nov.AddMinutes(3), "weight_loss")], [])!;

        Assert.Equal((2, 2, 0, 1, 1), (activity.Rated, activity.Warned, activity.Accepted, activity.Overridden, activity.NoFeedback));
        Assert.Equal(new Dictionary<string, int> { ["weight_loss"] = 1 }, activity.OverrideReasons);
    }

    [Fact]
    public void Summarize_SameDraftIdInAnotherEncounterOrWithoutPatient_SeparateOrders()
    {
        var alerts = new[]
        {
            Alert("c-1", Nov, "card-1", null) with { PatientId = "pat-1", EncounterId = "enc-1" },
            Alert("c-2", Nov, "card-2", null) with { PatientId = "pat-1", EncounterId = "enc-2" },
            Alert("c-3", Nov, "card-3", null),   // kept before patients were recorded
            Alert("c-4", Nov, "card-4", null) with { PatientId = "pat-1", EncounterId = "enc-1", OrderReference = "ServiceRequest/c-1", OrderIdentified = false },
        };

        Assert.Equal(4, AlertActivity.Summarize(Protocol, alerts, [], [])!.Rated);
    }

    [Fact]
    public void Summarize_CardAcceptedAfterAnOverride_TheLatestOutcomeCounts()
    {
        var feedback = new[]
        {
            Feedback("card-1", AlertFeedback.Accepted, Nov.AddMinutes(5)),
            Feedback("card-1", AlertFeedback.Overridden, Nov.AddMinutes(1), "trauma"),
        };

        var activity = AlertActivity.Summarize(Protocol, [Alert("c-1", Nov, "card-1", null)], feedback, [])!;

        Assert.Equal((1, 0), (activity.Accepted, activity.Overridden));
        Assert.Empty(activity.OverrideReasons);
    }
}
