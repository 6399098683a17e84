using System.Globalization;
using ImagingValue.Core.Data;
using ImagingValue.Core.Interventions;
using ImagingValue.Core.Storage;
using ImagingValue.Storage.Sqlite;
using static ImagingValue.Storage.Postgres.PostgresRows;

namespace ImagingValue.Storage.Postgres;

/// <summary>Interventions in the workspace database.</summary>
internal sealed class PostgresInterventionStore(PostgresConnections connections, TimeProvider time) : IInterventionStore
{
    public async Task<long> AddInterventionAsync(Intervention intervention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intervention);
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await ScalarAsync(
            connection,
            "INSERT INTO interventions (protocol_id, date, kind, departments, note, recorded_at) VALUES (@protocol, @date, @kind, @departments, @note, @at) RETURNING intervention_id",
            cancellationToken,
            ("protocol", intervention.ProtocolId),
            ("date", intervention.Date.ToString(CanonicalValues.DateFormat, CultureInfo.InvariantCulture)),
            ("kind", intervention.Kind),
            ("departments", intervention.Departments.Count == 0 ? null : string.Join(';', intervention.Departments)),
            ("note", intervention.Note),
            ("at", SqliteRows.Instant(time.GetUtcNow())));
    }

    public Task<IReadOnlyList<Intervention>> GetInterventionsAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync(
            "SELECT intervention_id, date, kind, departments, note, protocol_id FROM interventions ORDER BY date, intervention_id",
            r => new Intervention(
                r.GetInt64(0),
                SqliteRows.DateOf(r.GetString(1))!.Value,
                r.GetString(2),
                Text(r, 3) is { } departments ? departments.Split(';') : [],
                Text(r, 4),
                Text(r, 5)),
            cancellationToken);
}
