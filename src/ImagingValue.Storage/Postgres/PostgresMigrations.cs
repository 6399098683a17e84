using System.Globalization;
using System.Reflection;
using Npgsql;

namespace ImagingValue.Storage.Postgres;

/// <summary>
/// Numbered SQL scripts (<c>Postgres/Migrations/NNNN_name.sql</c>, embedded; their own numbering, not SQLite's)
/// applied in order in one transaction with their rows in <c>schema_migrations</c>. The transaction first takes a
/// transaction-scoped advisory lock, so two processes opening a new database at once apply each script once: the
/// second waits, then finds nothing pending.
/// </summary>
internal static class PostgresMigrations
{
    private const string ResourcePrefix = "ImagingValue.Storage.Postgres.Migrations.";

    // The advisory lock's key: any constant no other application on the database uses ("iv-migr" in ASCII).
    private const long LockKey = 0x69762D6D69677200;

    private static readonly IReadOnlyList<(int Version, string Name)> _scripts = Assembly.GetExecutingAssembly()
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
        .Select(n => (int.Parse(n.AsSpan(ResourcePrefix.Length, 4), CultureInfo.InvariantCulture), n))
        .OrderBy(s => s.Item1)
        .ToList();

    public static int Latest => _scripts[^1].Version;

    /// <summary>The versions not yet applied to the database, in order (read without applying them).</summary>
    public static IReadOnlyList<int> Pending(NpgsqlConnection connection)
    {
        var current = TableExists(connection) ? CurrentVersion(connection) : 0;
        return [.. _scripts.Where(s => s.Version > current).Select(s => s.Version)];
    }

    /// <summary>Applies every pending script; the versions applied.</summary>
    public static IReadOnlyList<int> Apply(NpgsqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({LockKey})");
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        var current = CurrentVersion(connection);
        if (current > Latest)
        {
            throw new InvalidOperationException($"workspace schema version {current} is newer than this program's {Latest}: update imaging-value");
        }

        var applied = new List<int>();
        foreach (var (version, name) in _scripts.Where(s => s.Version > current))
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            Execute(connection, reader.ReadToEnd());
            Execute(connection, $"INSERT INTO schema_migrations (version) VALUES ({version})");
            applied.Add(version);
        }

        transaction.Commit();
        return applied;
    }

    private static bool TableExists(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection);
        return (bool)command.ExecuteScalar()!;
    }

    private static int CurrentVersion(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", connection);
        return (int)command.ExecuteScalar()!;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
