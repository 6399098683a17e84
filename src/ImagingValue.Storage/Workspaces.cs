using ImagingValue.Core.Storage;
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
/// Opens the workspace of a folder with the provider that holds it. SQLite is the only provider today; a server
/// database provider adds its own <see cref="IWorkspace"/> and is chosen here, so commands and the web host do not change.
/// </summary>
public static class Workspaces
{
    /// <summary>Creates the workspace in <paramref name="folder"/>, or opens and migrates an existing one, for one command.</summary>
    public static IWorkspace Create(string folder, TimeProvider time) => SqliteWorkspace.Create(folder, time);

    /// <summary>Opens the existing workspace in <paramref name="folder"/>, migrating it first.</summary>
    /// <exception cref="WorkspaceNotFoundException">No workspace in <paramref name="folder"/>.</exception>
    public static IWorkspace Open(string folder, TimeProvider time, WorkspaceUse use = WorkspaceUse.Command) => SqliteWorkspace.Open(folder, time, use);
}
