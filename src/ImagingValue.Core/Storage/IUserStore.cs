using ImagingValue.Core.Review;

namespace ImagingValue.Core.Storage;

/// <summary>The review workspace's accounts and their sign-in counters. Safe to call from concurrent requests.</summary>
public interface IUserStore
{
    /// <summary>The account by name (case-insensitive), or null.</summary>
    Task<WorkspaceUser?> FindUserAsync(string name, CancellationToken cancellationToken);

    /// <summary>Adds an account; false (and nothing changed) when the name is taken.</summary>
    Task<bool> AddUserAsync(WorkspaceUser user, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every account, by name.</summary>
    Task<IReadOnlyList<WorkspaceUser>> GetUsersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Counts a wrong password atomically (concurrent failures all count); at <paramref name="maxAttempts"/> the
    /// account locks until <paramref name="lockUntil"/> and the count starts again. Returns the account as it is now.
    /// </summary>
    Task<WorkspaceUser?> RegisterFailedSignInAsync(string name, int maxAttempts, DateTimeOffset lockUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> in one statement (a new security stamp when <see cref="AccountChange.RenewsStamp"/>);
    /// returns the account as it is now, or null when no account has that name.
    /// </summary>
    Task<WorkspaceUser?> ChangeUserAsync(string name, AccountChange change, CancellationToken cancellationToken);

    /// <summary>Clears the failure count and any lock after a successful sign-in.</summary>
    Task ResetFailedSignInsAsync(string name, CancellationToken cancellationToken);
}
