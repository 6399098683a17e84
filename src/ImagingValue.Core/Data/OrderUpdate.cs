namespace ImagingValue.Core.Data;

/// <summary>
/// What one message of a feed says about an order: the canonical order columns it gives, normalised (columns it does
/// not give are absent, so a later message fills in what an earlier one lacked), and the columns it gave only by a
/// fallback (<see cref="Provisional"/>: an order time taken from the message time), which a real value replaces.
/// </summary>
public sealed record OrderUpdate(string OrderId, IReadOnlyDictionary<string, string> Values, IReadOnlySet<string> Provisional)
{
    /// <summary>
    /// The order after this update: <paramref name="stored"/> (null for a new order) with every column this update
    /// gives, except that a provisional value never replaces a real one nor an earlier provisional one, and a result already in (completed) is not
    /// undone by an order message that arrives after it (ordered, scheduled, in progress).
    /// </summary>
    public (Dictionary<string, string> Values, HashSet<string> Provisional) ApplyTo(IReadOnlyDictionary<string, string>? stored, IReadOnlySet<string>? storedProvisional)
    {
        var values = stored is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(stored, StringComparer.Ordinal);
        var provisional = storedProvisional is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(storedProvisional, StringComparer.Ordinal);
        foreach (var (column, value) in Values)
        {
            var isProvisional = Provisional.Contains(column);
            // A stand-in never replaces a real value; of two stand-ins (message times) the earlier stays, since the
            // first message about an order is the nearest to when it was placed.
            if (isProvisional && values.TryGetValue(column, out var before)
                && (!provisional.Contains(column) || string.CompareOrdinal(before, value) <= 0))
            {
                continue;
            }

            if (column == "status" && values.TryGetValue(column, out var current) && current == "completed" && value is "ordered" or "scheduled" or "in-progress")
            {
                continue;
            }

            values[column] = value;
            if (isProvisional)
            {
                provisional.Add(column);
            }
            else
            {
                provisional.Remove(column);
            }
        }

        return (values, provisional);
    }
}
