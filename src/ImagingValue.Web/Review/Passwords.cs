using System.Reflection;
using ImagingValue.Core.Review;
using Microsoft.AspNetCore.Identity;

namespace ImagingValue.Web.Review;

/// <summary>
/// Password hashing and policy for the review workspace's local accounts. Hashing is ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/> (PBKDF2 with HMAC-SHA512, 100,000 iterations, 128-bit salt, version-marked so
/// stronger settings can follow). The policy: at least <see cref="MinimumLength"/> characters, not only spaces, and
/// not in the shipped list of common passwords (Review/Assets/common-passwords.txt, see the README beside it).
/// </summary>
public static class Passwords
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinimumLength = 12;

    private static readonly PasswordHasher<WorkspaceUser> _hasher = new();
    private static readonly WorkspaceUser _nobody = new("-", UserRole.Viewer, string.Empty, 0, null);

    // Compared ignoring case: "Password1234" is as guessable as "password1234".
    private static readonly Lazy<HashSet<string>> _common = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ImagingValue.Web.Review.Assets.common-passwords.txt")!;
        using var reader = new StreamReader(stream);
        var common = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            common.Add(line);
        }

        return common;
    });

    /// <summary>The salted, iterated hash to store; never store the password.</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return _hasher.HashPassword(_nobody, password);
    }

    /// <summary>Null when the password may be set, else why not (one line for the person choosing it).</summary>
    public static string? Problem(string? password) =>
        string.IsNullOrEmpty(password) ? "the password is empty"
        : string.IsNullOrWhiteSpace(password) ? "the password is only spaces"
        : password.Length < MinimumLength ? $"the password is too short: at least {MinimumLength} characters"
        : _common.Value.Contains(password) || _common.Value.Contains(password.Trim()) ? "the password is a commonly used one"
        : null;
}
