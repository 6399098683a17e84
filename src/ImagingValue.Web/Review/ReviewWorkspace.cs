using ImagingValue.Core.Protocols;
using ImagingValue.Core.Review;
using ImagingValue.Core.Storage;

namespace ImagingValue.Web.Review;

/// <summary>What the review pages share: the store, the protocol, its second-review policy and the report reader.</summary>
public sealed class ReviewWorkspace(WorkspaceStores stores, ProtocolRuntime protocol, TimeProvider time)
{
    /// <summary>The workspace folder (uploads and rejects files go under it).</summary>
    public string Directory { get; } = stores.Folder;

    /// <summary>Opens the workspace's data store (one connection: dispose it after the request).</summary>
    public IWorkspaceStore OpenWorkspace() => stores.OpenWorkspace();

    public IReviewWorkspaceStore Store { get; } = stores.Reviews;

    public Protocol Protocol { get; } = protocol.Protocol;

    public SecondReviewPolicy Policy { get; } = protocol.Protocol.SecondReview ?? SecondReviewPolicy.Default;

    public TimeProvider Time { get; } = time;

    /// <summary>Suggests findings from report text; null when the protocol lists no report findings.</summary>
    public ReportFindingSuggester? Suggester => protocol.FindingSuggester;
}
