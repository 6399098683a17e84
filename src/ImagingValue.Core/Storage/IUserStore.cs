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
    /// Starts a sign-in attempt on an account that may sign in now (enabled, not locked): in one statement it counts the
    /// attempt as failed until a success resets it, and at <paramref name="maxAttempts"/> locks the account until
    /// <paramref name="lockUntil"/> (the count starts again). Concurrent attempts each take their own place in the
    /// count, so no more than <paramref name="maxAttempts"/> passwords are ever checked before the lock. Returns the
    /// account to check the password against, or null when no account of that name may sign in now (unknown,
    /// disabled or locked at <paramref name="now"/>).
    /// </summary>
    Task<WorkspaceUser?> BeginSignInAttemptAsync(string name, int maxAttempts, DateTimeOffset now, DateTimeOffset lockUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> in one statement (a new security stamp when <see cref="AccountChange.RenewsStamp"/>);
    /// returns the account as it is now, or null when no account has that name.
    /// </summary>
    Task<WorkspaceUser?> ChangeUserAsync(string name, AccountChange change, CancellationToken cancellationToken);

    /// <summary>Clears the failure count and any lock after a successful sign-in.</summary>
    Task ResetFailedSignInsAsync(string name, CancellationToken cancellationToken);
}
