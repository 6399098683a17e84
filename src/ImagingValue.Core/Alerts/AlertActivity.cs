using System.Globalization;
using ImagingValue.Core.Data;

namespace ImagingValue.Core.Alerts;

/// <summary>Point-of-order activity in one month and department, counted in distinct orders (<see cref="PointOfOrderAlert.OrderKey"/>).</summary>
/// <param name="Month">yyyy-MM, of when the service first answered for the order (UTC).</param>
/// <param name="Department">The ordering department; "unknown" when neither the call nor the imported orders tell.</param>
/// <param name="Rated">Target orders rated (an order rated on several calls, one per edit of the draft, counts once).</param>
/// <param name="Warned">Of those, orders shown a warning card on any call.</param>
/// <param name="Accepted">Warned orders whose latest outcome, on any of their cards, is accepted (a suggestion taken).</param>
/// <param name="Overridden">Warned orders whose latest outcome is overridden.</param>
/// <param name="OverrideReasons">Override reason code → count.</param>
public sealed record AlertActivityRow(
    string Month, string Department, int Rated, int Warned, int Accepted, int Overridden, IReadOnlyDictionary<string, int> OverrideReasons);

/// <summary>What the point-of-order alert did: totals, and per month and department.</summary>
/// <param name="NoFeedback">Warned orders with no outcome reported by the EHR on any of their cards.</param>
public sealed record AlertActivity(
    int Rated, int Warned, int Accepted, int Overridden, int NoFeedback, IReadOnlyDictionary<string, int> OverrideReasons, IReadOnlyList<AlertActivityRow> ByMonthAndDepartment)
{
    /// <summary>The department written when nothing names one.</summary>
    public const string UnknownDepartment = "unknown";

    /// <summary>
    /// Counts a protocol's alerts and their outcomes by order: every edit of a draft order fires order-select again with
    /// a new hookInstance, so the alerts of one order (same patient, encounter and draft ServiceRequest id:
    /// <see cref="PointOfOrderAlert.OrderKey"/>) count once, in the month and department of the first. An order's
    /// outcome is the latest reported on any of its cards. The department is the
    /// call's own when it carried one, else the department the ordering provider most often orders from in the imported
    /// orders (FHIR orders name a requester, not a department); null when the protocol has no alerts.
    /// </summary>
    public static AlertActivity? Summarize(
        string protocolId, IReadOnlyList<PointOfOrderAlert> alerts, IReadOnlyList<AlertFeedback> feedback, IReadOnlyList<ImagingOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        return Summarize(protocolId, alerts, feedback, Analytics.OrderFacts.Of(orders, [], new HashSet<(string, DateOnly)>()).DepartmentOfProvider);
    }

    /// <summary>
    /// <see cref="Summarize(string, IReadOnlyList{PointOfOrderAlert}, IReadOnlyList{AlertFeedback}, IReadOnlyList{ImagingOrder})"/>
    /// with the department each provider most often orders from already counted (<see cref="Analytics.OrderFacts.DepartmentOfProvider"/>).
    /// </summary>
    public static AlertActivity? Summarize(
        string protocolId, IReadOnlyList<PointOfOrderAlert> alerts, IReadOnlyList<AlertFeedback> feedback, IReadOnlyDictionary<string, string> departmentOfProvider)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(feedback);
        ArgumentNullException.ThrowIfNull(departmentOfProvider);
        var mine = alerts.Where(a => a.ProtocolId == protocolId).ToList();
        if (mine.Count == 0)
        {
            return null;
        }

        var outcomeByCard = feedback
            .GroupBy(f => f.CardUuid, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f.OutcomeTimestamp).ThenBy(f => f.ReceivedAt).Last(), StringComparer.Ordinal);

        string DepartmentOf(PointOfOrderAlert a) =>
            a.Department ?? (a.Provider is { } p && departmentOfProvider.TryGetValue(p, out var d) ? d : UnknownDepartment);

        AlertFeedback? OutcomeOf(List<PointOfOrderAlert> order) => order
            .Select(a => a.CardUuid is { } card && outcomeByCard.TryGetValue(card, out var f) ? f : null)
            .OfType<AlertFeedback>()
            .OrderBy(f => f.OutcomeTimestamp).ThenBy(f => f.ReceivedAt)
            .LastOrDefault();

        var alertedOrders = mine.GroupBy(a => a.OrderKey, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var rows = alertedOrders
            .GroupBy(o => (Month: o[0].ReceivedAt.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture), Department: DepartmentOf(o[0])))
            .OrderBy(g => g.Key.Month, StringComparer.Ordinal).ThenBy(g => g.Key.Department, StringComparer.Ordinal)
            .Select(g => Count(g.Key.Month, g.Key.Department, g.ToList(), OutcomeOf))
            .ToList();
        var total = Count(string.Empty, string.Empty, alertedOrders, OutcomeOf);
        return new AlertActivity(total.Rated, total.Warned, total.Accepted, total.Overridden, total.Warned - total.Accepted - total.Overridden, total.OverrideReasons, rows);
    }

    /// <param name="orders">Each order's alerts, in the order received.</param>
    private static AlertActivityRow Count(string month, string department, List<List<PointOfOrderAlert>> orders, Func<List<PointOfOrderAlert>, AlertFeedback?> outcomeOf)
    {
        var warned = orders.Where(o => o.Any(a => a.Warned)).ToList();
        var outcomes = warned.Select(outcomeOf).OfType<AlertFeedback>().ToList();
        var overridden = outcomes.Where(f => f.Outcome == AlertFeedback.Overridden).ToList();
        var reasons = overridden
            .GroupBy(f => f.OverrideReasonCode ?? "none given", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new AlertActivityRow(month, department, orders.Count, warned.Count, outcomes.Count(f => f.Outcome == AlertFeedback.Accepted), overridden.Count, reasons);
    }
}
