using ImagingValue.Core.Alerts;
using ImagingValue.Core.Storage;
using Npgsql;

namespace ImagingValue.Storage.Postgres;

/// <summary>
/// A workspace in a PostgreSQL database: the folder's <c>workspace.json</c> names it, its schema is migrated on
/// open, and every store works over one pooled <see cref="PostgresConnections"/>.
/// </summary>
public sealed class PostgresWorkspace : IWorkspace, IKeyXmlStore
{
    private readonly PostgresConnections _connections;

    private PostgresWorkspace(PostgresConnections connections, TimeProvider time, string location)
    {
        _connections = connections;
        Location = location;
        var pointOfOrder = new PostgresPointOfOrderStore(connections);
        var reviews = new PostgresReviewStore(connections);
        Imports = new PostgresImportStore(connections, time);
        Data = new PostgresClinicalDataStore(connections);
        Screening = new PostgresScreeningRunStore(connections);
        Reviews = reviews;
        Users = reviews;
        Interventions = new PostgresInterventionStore(connections, time);
        Alerts = pointOfOrder;
        Evidence = pointOfOrder;
        Tokens = pointOfOrder;
        Feeds = new PostgresFeedStore(connections);
        Settings = new PostgresWorkspaceSettings(connections);
    }

    public IReadOnlyList<string> GetAllKeyXml()
    {
        using var connection = _connections.Open();
        using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys ORDER BY key_seq", connection);
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public void StoreKeyXml(string name, string xml)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(xml);
        using var connection = _connections.Open();
        // Two instances making a key at once store both (different names); the key ring then holds both, as it would
        // with keys in one folder.
        using var command = new NpgsqlCommand("INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING", connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("xml", xml);
        command.ExecuteNonQuery();
    }

    /// <summary>The schema version this build writes and reads.</summary>
    public static int SchemaVersion => PostgresMigrations.Latest;

    /// <summary>The database, for messages: <c>postgresql://user@host:port/database</c>, never with a password.</summary>
    public string Location { get; }

    public IImportStore Imports { get; }

    public IClinicalDataStore Data { get; }

    public IScreeningRunStore Screening { get; }

    public IReviewStore Reviews { get; }

    public IUserStore Users { get; }

    public IInterventionStore Interventions { get; }

    public IAlertLog Alerts { get; }

    public ILocalEvidenceStore Evidence { get; }

    public ITokenReplayStore Tokens { get; }

    public IFeedStore Feeds { get; }

    public IWorkspaceSettings Settings { get; }

    /// <summary>
    /// Connects to <paramref name="connection"/> (a connection string or postgresql:// URI, a password in it used but
    /// never kept), migrates the database, and writes <c>workspace.json</c> in <paramref name="folder"/> naming it.
    /// </summary>
    public static PostgresWorkspace Create(string folder, string connection, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var builder = PostgresLocation.Parse(connection);
        var workspace = Connect(builder, time);
        try
        {
            PostgresLocation.Write(folder, builder);
        }
        catch
        {
            workspace.Dispose();
            throw;
        }

        return workspace;
    }

    /// <summary>
    /// Opens the database <c>workspace.json</c> in <paramref name="folder"/> names, migrating it first. A command
    /// (<see cref="WorkspaceUse.Command"/>) runs its statements without a time limit unless the connection string sets
    /// <c>Command Timeout</c>: at a health system's volume one bulk statement (the INSERT of 10,000,000 imported orders)
    /// runs for minutes, and Npgsql's 30-second default would abort it. Services keep the default, so no request
    /// waits long for a database that does not answer.
    /// </summary>
    public static PostgresWorkspace Open(string folder, TimeProvider time, WorkspaceUse use = WorkspaceUse.Command)
    {
        var builder = PostgresLocation.Read(folder);
        if (use == WorkspaceUse.Command && !SetsCommandTimeout(builder))
        {
            builder.CommandTimeout = 0;
        }

        return Connect(builder, time);
    }

    /// <summary>The seconds a statement may run before Npgsql cancels it; 0 for no limit.</summary>
    public int CommandTimeoutSeconds { get; private init; }

    /// <summary>Whether the site's connection string names a command timeout (the builder's own keys, not its defaults).</summary>
    private static bool SetsCommandTimeout(NpgsqlConnectionStringBuilder builder)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey is true for every keyword it knows; the plain builder holds only
        // the keys the string has.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = builder.ConnectionString };
        return given.ContainsKey("Command Timeout") || given.ContainsKey("CommandTimeout");
    }

    /// <summary>Opens the database of <paramref name="builder"/> and applies pending migrations.</summary>
    public static PostgresWorkspace Connect(NpgsqlConnectionStringBuilder builder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var location = PostgresLocation.Describe(builder);
        return new PostgresWorkspace(PostgresConnections.Open(builder.ConnectionString, location), time, location) { CommandTimeoutSeconds = builder.CommandTimeout };
    }

    /// <summary>
    /// The schema versions not yet applied to the database <paramref name="folder"/> names; with
    /// <paramref name="apply"/>, applies them (as opening does) and returns those applied. For sites that apply schema
    /// changes by hand, with an account allowed to change the schema.
    /// </summary>
    /// <exception cref="IOException">The server cannot be reached or refuses the connection.</exception>
    public static IReadOnlyList<int> Migrate(string folder, bool apply)
    {
        var builder = PostgresLocation.Read(folder);
        var location = PostgresLocation.Describe(builder);
        try
        {
            using var connection = new NpgsqlConnection(builder.ConnectionString);
            connection.Open();
            return apply ? PostgresMigrations.Apply(connection) : PostgresMigrations.Pending(connection);
        }
        catch (NpgsqlException ex)
        {
            throw new IOException($"{location}: cannot open the PostgreSQL workspace: {ex.Message}", ex);
        }
    }

    public async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var connection = await _connections.OpenAsync(cancellationToken);
        foreach (var table in new[] { "orders", "conditions", "reports", "reviews", "imports", "screening_runs", "interventions", "cds_alerts", "cds_feedback", "analyses" })
        {
            counts[table] = await PostgresRows.ScalarAsync(connection, $"SELECT COUNT(*) FROM {table}", cancellationToken);
        }

        return counts;
    }

    public void Dispose() => _connections.Dispose();
}
