using ImagingValue.Core.Protocols;
using ImagingValue.Core.Review;
using ImagingValue.Core.Storage;

namespace ImagingValue.Web.Review;

/// <summary>What the review pages share: the stores, the protocol, its second-review policy and the report reader.</summary>
public sealed class ReviewWorkspace(WorkspaceStores stores, ProtocolRuntime protocol, TimeProvider time)
{
    /// <summary>The workspace folder (uploads and rejects files go under it).</summary>
    public string Directory { get; } = stores.Folder;

    /// <summary>Imports of uploaded files.</summary>
    public IImportStore Imports { get; } = stores.Workspace.Imports;

    /// <summary>Orders, reports and imported reviews.</summary>
    public IClinicalDataStore Data { get; } = stores.Workspace.Data;

    /// <summary>The latest screening run's decisions.</summary>
    public IScreeningRunStore Screening { get; } = stores.Workspace.Screening;

    /// <summary>Saved reviews and their audit trail.</summary>
    public IReviewStore Reviews { get; } = stores.Workspace.Reviews;

    /// <summary>Accounts and sign-in counters.</summary>
    public IUserStore Users { get; } = stores.Workspace.Users;

    /// <summary>Interventions, which split the dashboard's monitoring chart as they split the report's.</summary>
    public IInterventionStore Interventions { get; } = stores.Workspace.Interventions;

    public Protocol Protocol { get; } = protocol.Protocol;

    public SecondReviewPolicy Policy { get; } = protocol.Protocol.SecondReview ?? SecondReviewPolicy.Default;

    public TimeProvider Time { get; } = time;

    /// <summary>Suggests findings from report text; null when the protocol lists no report findings.</summary>
    public ReportFindingSuggester? Suggester => protocol.FindingSuggester;
}
