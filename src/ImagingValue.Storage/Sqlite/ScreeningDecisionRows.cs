using System.Text.Json;
using ImagingValue.Core.Screening;
using Microsoft.Data.Sqlite;
using static ImagingValue.Storage.Sqlite.SqliteRows;

namespace ImagingValue.Storage.Sqlite;

/// <summary>How a screening decision is stored in <c>screening_decisions</c> and read back unchanged.</summary>
internal static class ScreeningDecisionRows
{
    public const string Columns = "order_id, decision, is_target, reason, reasons, evidence";

    private const string Separator = " | ";

    /// <summary>
    /// The evidence items in one text column: joined with " | " as workspaces have always stored them, or, when an item
    /// itself holds " | " (free text can), as a JSON array, so that reading gives back exactly what was screened.
    /// Evidence items start with their source ("indication:", "condition:"...), never with '['.
    /// </summary>
    public static string EncodeEvidence(IReadOnlyList<string> evidence)
    {
        foreach (var item in evidence)
        {
            if (item.Contains(Separator, StringComparison.Ordinal) || item.StartsWith('['))
            {
                return JsonSerializer.Serialize(evidence);
            }
        }

        return string.Join(Separator, evidence);
    }

    public static IReadOnlyList<string> DecodeEvidence(string? stored) =>
        stored is not { Length: > 0 } ? []
        : stored[0] == '[' ? JsonSerializer.Deserialize<string[]>(stored) ?? []
        : stored.Split(Separator);

    /// <summary>A decision from a row of <see cref="Columns"/>.</summary>
    public static ScreeningDecision Read(SqliteDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1) switch
            {
                "included" => Decision.Included,
                "excluded" => Decision.Excluded,
                _ => Decision.NotTarget,
            },
            r.GetInt64(2) != 0,
            Text(r, 3),
            Text(r, 4) is { Length: > 0 } reasons ? reasons.Split(';') : [],
            DecodeEvidence(Text(r, 5)));
}
