using System.Collections.Concurrent;
using ImagingValue.Core.Review;
using Microsoft.AspNetCore.Identity;

namespace ImagingValue.Web.Tests.Support;

/// <summary>The real password hasher, counting each password check by the account it was made against ("-": no real account).</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<WorkspaceUser>
{
    private readonly PasswordHasher<WorkspaceUser> _hasher = new();
    private readonly ConcurrentDictionary<string, int> _checks = new(StringComparer.Ordinal);

    /// <summary>Password checks made so far, over all accounts.</summary>
    public int Checks => _checks.Values.Sum();

    /// <summary>Password checks made against <paramref name="name"/>'s stored hash.</summary>
    public int ChecksAgainst(string name) => _checks.GetValueOrDefault(name);

    public string HashPassword(WorkspaceUser user, string password) => _hasher.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(WorkspaceUser user, string hashedPassword, string providedPassword)
    {
        ArgumentNullException.ThrowIfNull(user);
        _checks.AddOrUpdate(user.Name, 1, (_, count) => count + 1);
        return _hasher.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
