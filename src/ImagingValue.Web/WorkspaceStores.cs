using ImagingValue.Core.Alerts;
using ImagingValue.Core.Storage;
using ImagingValue.Storage.Sqlite;

namespace ImagingValue.Web;

/// <summary>
/// The stores of the workspace folder the host serves, opened once, in one place: the point-of-order store (alert log
/// and local evidence for the CDS service), the review store, and a factory for the workspace's data store.
/// </summary>
public sealed class WorkspaceStores
{
    private readonly TimeProvider _time;

    private WorkspaceStores(string folder, TimeProvider time)
    {
        Folder = folder;
        _time = time;
        PointOfOrder = SqlitePointOfOrderStore.Open(folder, time);
        Reviews = SqliteReviewStore.Open(folder, time);
    }

    /// <summary>The workspace folder (uploads, rejects and the sign-in keys go under it).</summary>
    public string Folder { get; }

    /// <summary>Rated orders and card outcomes; the latest audit figures the cards cite.</summary>
    public SqlitePointOfOrderStore PointOfOrder { get; }

    /// <summary>Accounts, the worklist and saved reviews.</summary>
    public IReviewWorkspaceStore Reviews { get; }

    /// <summary>Opens the stores of the workspace in <paramref name="folder"/> (migrating it first).</summary>
    /// <exception cref="WorkspaceNotFoundException">No workspace in <paramref name="folder"/>.</exception>
    public static WorkspaceStores Open(string folder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(time);
        return new WorkspaceStores(folder, time);
    }

    /// <summary>Opens the workspace's data store (one connection: dispose it after the request).</summary>
    public IWorkspaceStore OpenWorkspace() => SqliteWorkspaceStore.Open(Folder, _time);
}

/// <summary>Registers an opened workspace's stores for the features that use them.</summary>
public static class WorkspaceStoresRegistration
{
    public static IServiceCollection AddWorkspaceStores(this IServiceCollection services, WorkspaceStores stores)
    {
        ArgumentNullException.ThrowIfNull(stores);
        services.AddSingleton(stores);
        services.AddSingleton<IAlertLog>(stores.PointOfOrder);
        services.AddSingleton<ILocalEvidenceSource>(stores.PointOfOrder);
        services.AddSingleton(stores.Reviews);
        return services;
    }
}
