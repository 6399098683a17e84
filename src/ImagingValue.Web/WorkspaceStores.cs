using ImagingValue.Core.Alerts;
using ImagingValue.Core.Storage;
using ImagingValue.Storage;

namespace ImagingValue.Web;

/// <summary>
/// The workspace of the folder the host serves, opened once for a service (every operation on a pooled connection of
/// its own): its stores serve the CDS service (alert log, local evidence) and the review pages.
/// </summary>
public sealed class WorkspaceStores
{
    private WorkspaceStores(string folder, IWorkspace workspace)
    {
        Folder = folder;
        Workspace = workspace;
    }

    /// <summary>The workspace folder (uploads, rejects and the sign-in keys go under it).</summary>
    public string Folder { get; }

    /// <summary>The workspace's stores; safe to call from concurrent requests.</summary>
    public IWorkspace Workspace { get; }

    /// <summary>Opens the stores of the workspace in <paramref name="folder"/> (migrating it first).</summary>
    /// <exception cref="ImagingValue.Storage.Sqlite.WorkspaceNotFoundException">No workspace in <paramref name="folder"/>.</exception>
    public static WorkspaceStores Open(string folder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(time);
        return new WorkspaceStores(folder, Workspaces.Open(folder, time, WorkspaceUse.Service));
    }
}

/// <summary>Registers an opened workspace's stores for the features that use them.</summary>
public static class WorkspaceStoresRegistration
{
    public static IServiceCollection AddWorkspaceStores(this IServiceCollection services, WorkspaceStores stores)
    {
        ArgumentNullException.ThrowIfNull(stores);
        services.AddSingleton(stores);
        services.AddSingleton<IAlertLog>(stores.Workspace.Alerts);
        services.AddSingleton<ILocalEvidenceSource>(stores.Workspace.Evidence);
        // The readiness check reads one setting through it (WorkspaceHealthCheck).
        services.AddSingleton(stores.Workspace.Settings);
        services.AddSingleton<ITokenReplayStore>(stores.Workspace.Tokens);
        return services;
    }
}
