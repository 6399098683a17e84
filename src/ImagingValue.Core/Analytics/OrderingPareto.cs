namespace ImagingValue.Core.Analytics;

/// <summary>One row of a Pareto table: a department or provider, its exams, its share and the running share (0-1).</summary>
public sealed record ParetoRow(string Name, int Exams, double Share, double CumulativeShare);

/// <summary>
/// Who orders the exams: departments or providers by how many exams they ordered, most first (ties by name), with
/// cumulative shares. One table for the QI report and the review dashboard, so both name and count alike.
/// </summary>
public static class OrderingPareto
{
    /// <summary>The name of exams whose order did not record a department or provider.</summary>
    public const string NotRecorded = "(not recorded)";

    /// <summary>
    /// The name an ordering department or provider is counted under (also the dashboard's filter value): trimmed, or
    /// <paramref name="missing"/> when blank.
    /// </summary>
    public static string NameOf(string? name, string missing = NotRecorded) => string.IsNullOrWhiteSpace(name) ? missing : name.Trim();

    public static IReadOnlyList<ParetoRow> Of(IEnumerable<string?> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var counts = names.GroupBy(n => NameOf(n), StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Count: g.Count()))
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
        var total = (double)counts.Sum(c => c.Count);
        var running = 0;
        var rows = new List<ParetoRow>(counts.Count);
        foreach (var (name, count) in counts)
        {
            running += count;
            rows.Add(new ParetoRow(name, count, count / total, running / total));
        }

        return rows;
    }
}
