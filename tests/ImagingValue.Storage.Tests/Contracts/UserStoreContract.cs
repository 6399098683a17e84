using ImagingValue.Core.Review;
using ImagingValue.Core.Storage;

namespace ImagingValue.Storage.Tests.Contracts;

/// <summary>What every provider's accounts do: unique names ignoring case, failed sign-ins counted to a lockout.</summary>
public abstract class UserStoreContract : WorkspaceContract
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset At = Seed.At;

    private IUserStore Store => Workspace.Users;

    [Fact]
    public async Task AddUser_NameTakenInAnyCase_RefusedAndListedOnce()
    {
        Assert.True(await Store.AddUserAsync(new WorkspaceUser("Ana", UserRole.Reviewer, "HASH", 0, null), At, Ct));
        Assert.False(await Store.AddUserAsync(new WorkspaceUser("ana", UserRole.Admin, "OTHER", 0, null), At, Ct));
        Assert.True(await Store.AddUserAsync(new WorkspaceUser("ben", UserRole.Viewer, "HASH", 0, null), At, Ct));

        Assert.Equal(["Ana", "ben"], (await Store.GetUsersAsync(Ct)).Select(u => u.Name));
        Assert.Equal(UserRole.Reviewer, (await Store.FindUserAsync("ANA", Ct))!.Role);
        Assert.Null(await Store.FindUserAsync("cy", Ct));
    }

    [Fact]
    public async Task FailedSignIns_LockAtTheLimit_ThenCountAgain()
    {
        await Store.AddUserAsync(new WorkspaceUser("Ana", UserRole.Reviewer, "HASH", 0, null), At, Ct);

        var until = At.AddMinutes(15);
        var one = await Store.BeginSignInAttemptAsync("ana", 3, At, until, Ct);
        var two = await Store.BeginSignInAttemptAsync("ana", 3, At, until, Ct);
        var three = await Store.BeginSignInAttemptAsync("ana", 3, At, until, Ct);

        Assert.Equal((1, false), (one!.FailedAttempts, one.IsLockedAt(At)));
        Assert.Equal((2, false), (two!.FailedAttempts, two.IsLockedAt(At)));
        Assert.True(three!.IsLockedAt(At));
        Assert.False(three.IsLockedAt(until));
        Assert.Equal(0, three.FailedAttempts);
        Assert.Null(await Store.BeginSignInAttemptAsync("ana", 3, At, until, Ct));
        var afterLock = await Store.BeginSignInAttemptAsync("ana", 3, until, until.AddMinutes(15), Ct);
        Assert.Equal((1, (DateTimeOffset?)null), (afterLock!.FailedAttempts, afterLock.LockedUntil));
        Assert.Null(await Store.BeginSignInAttemptAsync("nobody", 3, At, until, Ct));

        await Store.ResetFailedSignInsAsync("ANA", Ct);
        var user = await Store.FindUserAsync("ana", Ct);
        Assert.Equal(("Ana", UserRole.Reviewer, "HASH", 0, null), (user!.Name, user.Role, user.PasswordHash, user.FailedAttempts, user.LockedUntil));
        await Store.ChangeUserAsync("ana", new AccountChange(Disabled: true), Ct);
        Assert.Null(await Store.BeginSignInAttemptAsync("ana", 3, At, until, Ct));
    }

    [Fact]
    public async Task ChangeUser_EachChangeButUnlockRenewsTheStamp()
    {
        await Store.AddUserAsync(new WorkspaceUser("Ana", UserRole.Reviewer, "HASH", 0, null), At, Ct);
        var added = (await Store.FindUserAsync("ana", Ct))!;
        Assert.False(added.Disabled);
        Assert.NotEqual(string.Empty, added.SecurityStamp);
        await Store.BeginSignInAttemptAsync("ana", 1, At, At.AddMinutes(15), Ct);

        var unlocked = await Store.ChangeUserAsync("ANA", new AccountChange(Unlock: true), Ct);
        var promoted = await Store.ChangeUserAsync("ana", new AccountChange(Role: UserRole.Adjudicator), Ct);
        await Store.BeginSignInAttemptAsync("ana", 1, At, At.AddMinutes(15), Ct);
        var disabled = await Store.ChangeUserAsync("ana", new AccountChange(Disabled: true), Ct);
        var signedOut = await Store.ChangeUserAsync("ana", new AccountChange(EndSessions: true), Ct);
        var reset = await Store.ChangeUserAsync("ana", new AccountChange(PasswordHash: "NEW"), Ct);

        Assert.Equal((added.SecurityStamp, false), (unlocked!.SecurityStamp, unlocked.IsLockedAt(At)));
        Assert.Equal(UserRole.Adjudicator, promoted!.Role);
        Assert.True(disabled!.Disabled);
        Assert.Equal(UserRole.Adjudicator, disabled.Role);
        Assert.Equal(5, new[] { added, promoted, disabled, signedOut!, reset! }.Select(u => u.SecurityStamp).Distinct().Count());
        Assert.Equal(("NEW", false, true), (reset!.PasswordHash, reset.IsLockedAt(At), reset.Disabled));
        Assert.Null(await Store.ChangeUserAsync("nobody", new AccountChange(Disabled: true), Ct));
    }
}
