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
        var one = await Store.RegisterFailedSignInAsync("ana", 3, until, Ct);
        var two = await Store.RegisterFailedSignInAsync("ana", 3, until, Ct);
        var three = await Store.RegisterFailedSignInAsync("ana", 3, until, Ct);

        Assert.Equal((1, false), (one!.FailedAttempts, one.IsLockedAt(At)));
        Assert.Equal((2, false), (two!.FailedAttempts, two.IsLockedAt(At)));
        Assert.True(three!.IsLockedAt(At));
        Assert.False(three.IsLockedAt(until));
        Assert.Equal(0, three.FailedAttempts);
        Assert.Null(await Store.RegisterFailedSignInAsync("nobody", 3, until, Ct));

        await Store.ResetFailedSignInsAsync("ANA", Ct);
        var user = await Store.FindUserAsync("ana", Ct);
        Assert.Equal(("Ana", UserRole.Reviewer, "HASH", 0, null), (user!.Name, user.Role, user.PasswordHash, user.FailedAttempts, user.LockedUntil));
    }
}
