using ImagingValue.Core.Review;
using Microsoft.AspNetCore.Identity;

namespace ImagingValue.Web.Review;

/// <summary>
/// Password hashing for the review workspace's local accounts: ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>
/// (PBKDF2 with HMAC-SHA512, 100,000 iterations, 128-bit salt, version-marked so stronger settings can follow).
/// </summary>
public static class Passwords
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinimumLength = 8;

    private static readonly PasswordHasher<WorkspaceUser> _hasher = new();
    private static readonly WorkspaceUser _nobody = new("-", UserRole.Viewer, string.Empty, 0, null);

    /// <summary>The salted, iterated hash to store; never store the password.</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return _hasher.HashPassword(_nobody, password);
    }

    /// <summary>Whether <paramref name="password"/> is the account's password.</summary>
    public static bool Verify(WorkspaceUser user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        return password is not null && _hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
    }

    /// <summary>Null when acceptable, else why not (for the command line).</summary>
    public static string? Problem(string? password) =>
        string.IsNullOrEmpty(password) ? "the password is empty"
        : password.Length < MinimumLength ? $"the password is shorter than {MinimumLength} characters"
        : null;
}
