using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// Numbered SQL scripts (<c>Sqlite/Migrations/NNNN_name.sql</c>, embedded) applied in order, each in its own
/// transaction with the version bump, so a workspace is always at a whole version.
/// </summary>
internal static class SqliteMigrations
{
    private const string ResourcePrefix = "ImagingValue.Storage.Sqlite.Migrations.";

    private static readonly IReadOnlyList<(int Version, string Name)> _scripts = Assembly.GetExecutingAssembly()
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
        .Select(n => (int.Parse(n.AsSpan(ResourcePrefix.Length, 4), CultureInfo.InvariantCulture), n))
        .OrderBy(s => s.Item1)
        .ToList();

    public static int Latest => _scripts[^1].Version;

    public static void Apply(SqliteConnection connection)
    {
        SqliteConnections.Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        var current = CurrentVersion(connection);
        if (current > Latest)
        {
            throw new InvalidOperationException($"workspace schema version {current} is newer than this program's {Latest}: update imaging-value");
        }

        foreach (var (version, name) in _scripts.Where(s => s.Version > current))
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var sql = reader.ReadToEnd();
            using var transaction = connection.BeginTransaction();
            SqliteConnections.Execute(connection, sql, transaction);
            SqliteConnections.Execute(connection, $"DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ({version})", transaction);
            transaction.Commit();
        }
    }

    private static int CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(version) FROM schema_version";
        return command.ExecuteScalar() is long version ? (int)version : 0;
    }
}
