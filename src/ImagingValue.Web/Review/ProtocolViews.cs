using System.Collections.Concurrent;
using ImagingValue.Core.Protocols;

namespace ImagingValue.Web.Review;

/// <summary>
/// The read-only views of each protocol the host serves (dashboard, cohort), chosen with <c>?protocol=ID</c>: the
/// workspace's stores seen through that protocol, with its own kept analyses. The configured protocol
/// (<see cref="ReviewWorkspaceOptions.Protocol"/>) is the one the worklist and the review pages work on, and the default.
/// </summary>
public sealed class ProtocolViews(WorkspaceStores stores, ServedProtocols served, ReviewWorkspace configured, DashboardAnalyses configuredAnalyses)
{
    private readonly ConcurrentDictionary<string, Lazy<ProtocolView>> _others = new(StringComparer.Ordinal);

    /// <summary>The protocols that have a view: the configured one first, then every other one the host serves.</summary>
    public IReadOnlyList<Protocol> Protocols { get; } =
        [configured.Protocol, .. served.All.Select(p => p.Protocol).Where(p => p.Id != configured.Protocol.Id)];

    /// <summary>The view of protocol <paramref name="id"/> (null or empty: the configured one); null for an id no protocol has.</summary>
    public ProtocolView? For(string? id)
    {
        if (string.IsNullOrEmpty(id) || id == configured.Protocol.Id)
        {
            return new ProtocolView(configured, configuredAnalyses, IsConfigured: true);
        }

        return served.All.FirstOrDefault(p => p.Protocol.Id == id) is { } runtime
            ? _others.GetOrAdd(id, _ => new Lazy<ProtocolView>(() =>
            {
                var workspace = new ReviewWorkspace(stores, runtime, configured.Time);
                return new ProtocolView(workspace, new DashboardAnalyses(workspace), IsConfigured: false);
            })).Value
            : null;
    }
}

/// <summary>One protocol's view of the workspace.</summary>
/// <param name="IsConfigured">Whether it is the protocol the worklist and review pages work on (they show no other).</param>
public sealed record ProtocolView(ReviewWorkspace Workspace, DashboardAnalyses Analyses, bool IsConfigured);
