using F23.StringSimilarity;

namespace ImagingValue.Core.Text;

/// <summary>
/// The "did you mean" of a configuration error: the one valid name a misspelt one most likely meant. A typo in a
/// protocol key, a map profile column or a protocol id is refused (never guessed at); naming the likely intended name
/// saves reading the whole list of valid ones.
/// </summary>
public static class NearestName
{
    // Optimal string alignment: insertions, deletions, substitutions and transpositions of neighbours ("cocnepts")
    // each count one.
    private static readonly OptimalStringAlignment _distance = new();

    /// <summary>
    /// The name among <paramref name="valid"/> within two edits of <paramref name="given"/> (ignoring case, and fewer
    /// edits than half its length, so that short names do not match anything; a name that differs only in case is
    /// nearest of all), when exactly one is nearest; else null.
    /// </summary>
    public static string? Of(string given, IEnumerable<string> valid)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(valid);
        var lowered = given.ToLowerInvariant();
        string? best = null;
        var bestDistance = double.MaxValue;
        var tied = false;
        foreach (var name in valid.Distinct(StringComparer.Ordinal))
        {
            var distance = _distance.Distance(lowered, name.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance, tied) = (name, distance, false);
            }
            else if (distance == bestDistance)
            {
                tied = true;
            }
        }

        return best is not null && !tied && bestDistance <= 2 && bestDistance < given.Length / 2.0 ? best : null;
    }

    /// <summary>"; did you mean X?" for an error message, or nothing.</summary>
    public static string Hint(string given, IEnumerable<string> valid) =>
        Of(given, valid) is { } name ? $"; did you mean {name}?" : string.Empty;
}
