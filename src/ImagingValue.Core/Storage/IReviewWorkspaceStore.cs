using ImagingValue.Core.Data;
using ImagingValue.Core.Review;

namespace ImagingValue.Core.Storage;

/// <summary>
/// The review workspace's storage: accounts, reviews saved in the browser (the same <c>reviews</c> rows that
/// <c>analyze</c> reads) and the append-only audit trail. Safe to call from concurrent requests.
/// </summary>
public interface IReviewWorkspaceStore
{
    /// <summary>The account by name (case-insensitive), or null.</summary>
    Task<WorkspaceUser?> FindUserAsync(string name, CancellationToken cancellationToken);

    /// <summary>Adds an account; false (and nothing changed) when the name is taken.</summary>
    Task<bool> AddUserAsync(WorkspaceUser user, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every account, by name.</summary>
    Task<IReadOnlyList<WorkspaceUser>> GetUsersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Counts a wrong password in one statement; at <paramref name="maxAttempts"/> the account locks until
    /// <paramref name="lockUntil"/> and the count starts again. Returns the account as it is now.
    /// </summary>
    Task<WorkspaceUser?> RegisterFailedSignInAsync(string name, int maxAttempts, DateTimeOffset lockUntil, CancellationToken cancellationToken);

    /// <summary>Clears the failure count after a successful sign-in.</summary>
    Task ResetFailedSignInsAsync(string name, CancellationToken cancellationToken);

    /// <summary>The included exams of the latest screening run of <paramref name="protocolId"/>; empty when never screened.</summary>
    Task<IReadOnlyList<IncludedExam>> GetIncludedExamsAsync(string protocolId, CancellationToken cancellationToken);

    /// <summary>Every decision of the latest screening run of <paramref name="protocolId"/> (for the dashboard); empty when never screened.</summary>
    Task<IReadOnlyList<Screening.ScreeningDecision>> GetLatestDecisionsAsync(string protocolId, CancellationToken cancellationToken);

    /// <summary>One order's decision in the latest screening run of <paramref name="protocolId"/>, or null.</summary>
    Task<Screening.ScreeningDecision?> GetLatestDecisionAsync(string protocolId, string orderId, CancellationToken cancellationToken);

    /// <summary>One order, or null.</summary>
    Task<ImagingOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>The patient's other orders performed (or ordered) on <paramref name="date"/>.</summary>
    Task<IReadOnlyList<ImagingOrder>> GetSameDayOrdersAsync(string patientId, DateOnly date, string exceptOrderId, CancellationToken cancellationToken);

    /// <summary>The report text of an order (by order id, else by accession), or null.</summary>
    Task<string?> GetReportTextAsync(string orderId, string? accession, CancellationToken cancellationToken);

    /// <summary>Every review of every exam, with revisions (for the worklist).</summary>
    Task<IReadOnlyList<StoredReview>> GetAllReviewsAsync(CancellationToken cancellationToken);

    /// <summary>The reviews of one exam, with revisions.</summary>
    Task<IReadOnlyList<StoredReview>> GetExamReviewsAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Saves one reviewer's review of one exam (key: order and reviewer) if its revision is still
    /// <paramref name="expectedRevision"/>; otherwise changes nothing and returns the conflict. Every changed field
    /// goes to the audit trail with <paramref name="user"/> and <paramref name="at"/>.
    /// </summary>
    Task<ReviewSaveResult> SaveReviewAsync(ReviewDraft draft, long expectedRevision, string user, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The audit trail of one exam, oldest first.</summary>
    Task<IReadOnlyList<ReviewAuditEntry>> GetAuditTrailAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>What an analysis of <paramref name="protocolId"/> would be made from, as three numbers: one query, so a page can tell whether a kept analysis is still current.</summary>
    Task<AnalysisInputs> GetAnalysisInputsAsync(string protocolId, CancellationToken cancellationToken);
}

/// <summary>Names the inputs of an analysis: an analysis kept for the same three numbers is still current.</summary>
/// <param name="RunId">The latest screening run of the protocol; null when never screened.</param>
/// <param name="DataRevision">The screening-inputs revision (<see cref="IWorkspaceStore.GetScreeningInputsRevisionAsync"/>).</param>
/// <param name="ReviewRevision">Changes whenever any review changes, by import or in the browser (the newest audit-trail entry).</param>
public sealed record AnalysisInputs(long? RunId, long DataRevision, long ReviewRevision);
