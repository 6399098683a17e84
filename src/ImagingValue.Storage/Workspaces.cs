using ImagingValue.Core.Storage;
using ImagingValue.Storage.Postgres;
using ImagingValue.Storage.Sqlite;

namespace ImagingValue.Storage;

/// <summary>How a workspace is used: by one command, or by a service answering concurrent requests.</summary>
public enum WorkspaceUse
{
    /// <summary>One command at a time (the CLI): the stores share one long-lived connection.</summary>
    Command,

    /// <summary>A long-running service (the web host): every operation takes a pooled connection of its own.</summary>
    Service,

    /// <summary>
    /// A feed listener: one writer committing a small transaction per message, each durable before it is
    /// acknowledged (write-ahead log synced at every commit), while other processes read.
    /// </summary>
    Feed,
}

/// <summary>
/// Opens the workspace of a folder with the provider that holds it: PostgreSQL when the folder's
/// <c>workspace.json</c> names a database (<c>init --database</c>), else the SQLite file in the folder. Commands and
/// the web host do not change with the provider.
/// </summary>
public static class Workspaces
{
    /// <summary>Creates the workspace in <paramref name="folder"/>, or opens and migrates an existing one, for one command.</summary>
    public static IWorkspace Create(string folder, TimeProvider time) =>
        PostgresLocation.IsIn(folder) ? PostgresWorkspace.Open(folder, time) : SqliteWorkspace.Create(folder, time);

    /// <summary>
    /// Creates (or opens and migrates) the workspace in the PostgreSQL database <paramref name="database"/> names
    /// and records it in <paramref name="folder"/>; every later command given the folder uses that database.
    /// </summary>
    /// <exception cref="IOException">The folder holds a SQLite workspace, or the database cannot be reached.</exception>
    public static IWorkspace Create(string folder, string database, TimeProvider time)
    {
        if (File.Exists(Path.Combine(folder, SqliteWorkspace.FileName)))
        {
            throw new IOException($"{folder}: already holds a SQLite workspace ({SqliteWorkspace.FileName}); give --database a new folder");
        }

        // A folder already pointing at a database keeps it: pointing it elsewhere would silently swap every later
        // command's data (and its reviews) for another database's. The same database again only opens it.
        if (PostgresLocation.IsIn(folder))
        {
            // The account may change (a new role for the service); the server and database may not.
            var recorded = PostgresLocation.Read(folder);
            var given = PostgresLocation.Parse(database);
            if (!string.Equals(recorded.Host, given.Host, StringComparison.OrdinalIgnoreCase) || recorded.Port != given.Port || !string.Equals(recorded.Database, given.Database, StringComparison.Ordinal))
            {
                throw new IOException($"{folder}: already holds the workspace in {PostgresLocation.Describe(recorded)}; it cannot point to {PostgresLocation.Describe(given)} (give --database a new folder)");
            }
        }

        return PostgresWorkspace.Create(folder, database, time);
    }

    /// <summary>Opens the existing workspace in <paramref name="folder"/>, migrating it first.</summary>
    /// <exception cref="WorkspaceNotFoundException">No workspace in <paramref name="folder"/>.</exception>
    public static IWorkspace Open(string folder, TimeProvider time, WorkspaceUse use = WorkspaceUse.Command) =>
        // Every use of a PostgreSQL workspace takes pooled connections: the server orders concurrent writers.
        PostgresLocation.IsIn(folder) ? PostgresWorkspace.Open(folder, time, use) : SqliteWorkspace.Open(folder, time, use);

    /// <summary>Where the workspace of <paramref name="folder"/> is, for messages: its file, or its database without a password.</summary>
    public static string Describe(string folder) =>
        PostgresLocation.IsIn(folder) ? PostgresLocation.Describe(PostgresLocation.Read(folder)) : Path.Combine(folder, SqliteWorkspace.FileName);
}
