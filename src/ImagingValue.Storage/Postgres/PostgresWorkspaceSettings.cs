using ImagingValue.Core.Storage;
using static ImagingValue.Storage.Postgres.PostgresRows;

namespace ImagingValue.Storage.Postgres;

/// <summary>Workspace settings in the <c>workspace_settings</c> table.</summary>
internal sealed class PostgresWorkspaceSettings(PostgresConnections connections) : IWorkspaceSettings
{
    public Task<string?> GetAsync(string name, CancellationToken cancellationToken) =>
        connections.ReadFirstAsync("SELECT value FROM workspace_settings WHERE name = @name", r => r.GetString(0), cancellationToken, ("name", name));

    public async Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "INSERT INTO workspace_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value", cancellationToken, ("name", name), ("value", value));
    }
}
