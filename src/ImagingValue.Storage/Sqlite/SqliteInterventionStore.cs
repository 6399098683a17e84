using System.Globalization;
using ImagingValue.Core.Data;
using ImagingValue.Core.Interventions;
using ImagingValue.Core.Storage;
using static ImagingValue.Storage.Sqlite.SqliteRows;

namespace ImagingValue.Storage.Sqlite;

/// <summary>Interventions in the workspace file.</summary>
internal sealed class SqliteInterventionStore(SqliteConnections connections, TimeProvider time) : IInterventionStore
{
    public async Task<long> AddInterventionAsync(Intervention intervention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intervention);
        await using var lease = await connections.OpenAsync(cancellationToken);
        using var command = lease.Connection.CreateCommand();
        command.CommandText = "INSERT INTO interventions (protocol_id, date, kind, departments, note, recorded_at) VALUES ($protocol, $date, $kind, $departments, $note, $at) RETURNING intervention_id";
        command.Parameters.AddWithValue("$protocol", (object?)intervention.ProtocolId ?? DBNull.Value);
        command.Parameters.AddWithValue("$date", intervention.Date.ToString(CanonicalValues.DateFormat, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$kind", intervention.Kind);
        command.Parameters.AddWithValue("$departments", intervention.Departments.Count == 0 ? DBNull.Value : string.Join(';', intervention.Departments));
        command.Parameters.AddWithValue("$note", (object?)intervention.Note ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task<IReadOnlyList<Intervention>> GetInterventionsAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync(
            "SELECT intervention_id, date, kind, departments, note, protocol_id FROM interventions ORDER BY date, intervention_id",
            r => new Intervention(
                r.GetInt64(0),
                DateOf(r.GetString(1))!.Value,
                r.GetString(2),
                Text(r, 3) is { } departments ? departments.Split(';') : [],
                Text(r, 4),
                Text(r, 5)),
            cancellationToken);
}
