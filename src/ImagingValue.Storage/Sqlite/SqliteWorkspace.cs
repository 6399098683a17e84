using ImagingValue.Core.Alerts;
using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// The embedded default workspace: one SQLite file, its schema versioned and migrated on open, and every store over
/// one <see cref="SqliteConnections"/>.
/// </summary>
public sealed class SqliteWorkspace : IWorkspace
{
    /// <summary>The workspace database's file name inside the workspace folder.</summary>
    public const string FileName = "imaging-value.db";

    /// <summary>How long a service's review and account writes wait for another writer (an import).</summary>
    private const int ServiceBusyTimeoutSeconds = 30;

    /// <summary>How long the point-of-order service waits: it fails fast rather than hold up a clinician.</summary>
    private const int PointOfOrderBusyTimeoutSeconds = 5;

    private readonly SqliteConnections _connections;

    private SqliteWorkspace(SqliteConnections connections, TimeProvider time)
    {
        _connections = connections;
        var pointOfOrder = new SqlitePointOfOrderStore(connections.WithBusyTimeout(PointOfOrderBusyTimeoutSeconds));
        var reviews = new SqliteReviewStore(connections);
        Imports = new SqliteImportStore(connections, time);
        Data = new SqliteClinicalDataStore(connections);
        Screening = new SqliteScreeningRunStore(connections);
        Reviews = reviews;
        Users = reviews;
        Interventions = new SqliteInterventionStore(connections, time);
        Alerts = pointOfOrder;
        Evidence = pointOfOrder;
        Tokens = pointOfOrder;
        Feeds = new SqliteFeedStore(connections);
        Settings = new SqliteWorkspaceSettings(connections);
    }

    /// <summary>The schema version this build writes and reads.</summary>
    public static int SchemaVersion => SqliteMigrations.Latest;

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

    /// <summary>Creates the workspace folder and database, or opens and migrates an existing one, for one command.</summary>
    public static SqliteWorkspace Create(string workspaceDirectory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(workspaceDirectory);
        var path = Path.Combine(workspaceDirectory, FileName);
        if (!File.Exists(path))
        {
            // Patient data: a new workspace folder and its database are the owner's only (SQLite gives its journal the
            // database file's mode). An existing folder keeps the mode its owner chose.
            if (!Directory.Exists(workspaceDirectory))
            {
                CreateOwnerOnlyDirectory(workspaceDirectory);
            }

            if (!OperatingSystem.IsWindows())
            {
                using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
            }
        }

        return new SqliteWorkspace(SqliteConnections.OpenShared(path, SqliteOpenMode.ReadWriteCreate), time);
    }

    private static void CreateOwnerOnlyDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>
    /// Opens an existing workspace and applies pending migrations. For a command, every store shares one connection
    /// (not thread-safe, apart from a screening run reading orders while it stores decisions); for a service, each
    /// operation takes a pooled connection of its own, so the stores may be called from concurrent requests.
    /// </summary>
    /// <exception cref="WorkspaceNotFoundException">No workspace database in the folder.</exception>
    public static SqliteWorkspace Open(string workspaceDirectory, TimeProvider time, WorkspaceUse use = WorkspaceUse.Command)
    {
        ArgumentNullException.ThrowIfNull(workspaceDirectory);
        var path = Path.Combine(workspaceDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new WorkspaceNotFoundException(workspaceDirectory);
        }

        var connections = use switch
        {
            WorkspaceUse.Service => SqliteConnections.OpenPooled(path, ServiceBusyTimeoutSeconds),
            WorkspaceUse.Feed => SqliteConnections.OpenFeed(path),
            _ => SqliteConnections.OpenShared(path, SqliteOpenMode.ReadWrite),
        };
        return new SqliteWorkspace(connections, time);
    }

    public async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var lease = await _connections.OpenAsync(cancellationToken);
        foreach (var table in new[] { "orders", "conditions", "reports", "reviews", "imports", "screening_runs", "interventions", "cds_alerts", "cds_feedback", "analyses" })
        {
            using var command = lease.Connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            counts[table] = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        return counts;
    }

    public void Dispose() => _connections.Dispose();
}

/// <summary>No workspace database in the given folder.</summary>
public sealed class WorkspaceNotFoundException(string directory)
    : Exception($"{directory}: no workspace here (neither {SqliteWorkspace.FileName} nor {Postgres.PostgresLocation.FileName}); create one with `init --workspace {directory}`")
{
    public string Directory { get; } = directory;
}
