using ImagingValue.Core.Review;

namespace ImagingValue.Storage.Tests.Sqlite;

/// <summary>
/// Account writes from parallel web requests (pooled connections): each waits out the busy timeout under
/// BEGIN IMMEDIATE instead of failing with "database is locked" when another request holds the database.
/// </summary>
public sealed class SqliteUserWriteConcurrencyTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset At = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);
    private readonly SqliteTestWorkspace _folder = new();

    [Fact]
    public async Task ChangeUser_ParallelWithSignInAttemptsAndReads_EveryWriteLands()
    {
        using var workspace = _folder.Create(WorkspaceUse.Service);
        var users = workspace.Users;
        var names = Enumerable.Range(0, 8).Select(i => $"user-{i}").ToList();
        foreach (var name in names)
        {
            await users.AddUserAsync(new WorkspaceUser(name, UserRole.Reviewer, "HASH", 0, null), At, Ct);
        }

        // Enough other accounts that listing them holds a read lock while the writers commit.
        for (var i = 0; i < 500; i++)
        {
            await users.AddUserAsync(new WorkspaceUser($"other-{i}", UserRole.Viewer, "HASH", 0, null), At, Ct);
        }

        const int Rounds = 25;
        var work = new List<Task>();
        foreach (var name in names)
        {
            work.Add(Task.Run(async () =>
            {
                for (var round = 0; round < Rounds; round++)
                {
                    var changed = await users.ChangeUserAsync(name, new AccountChange(PasswordHash: $"HASH-{round}"), Ct);
                    Assert.Equal($"HASH-{round}", changed!.PasswordHash);
                }
            }));
            work.Add(Task.Run(async () =>
            {
                for (var round = 0; round < Rounds; round++)
                {
                    await users.BeginSignInAttemptAsync(name, 1000, At, At.AddMinutes(15), Ct);
                    await users.GetUsersAsync(Ct);
                }
            }));
        }

        await Task.WhenAll(work);

        foreach (var name in names)
        {
            Assert.Equal($"HASH-{Rounds - 1}", (await users.FindUserAsync(name, Ct))!.PasswordHash);
        }
    }

    public void Dispose() => _folder.Delete();
}
