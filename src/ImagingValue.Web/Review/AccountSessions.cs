using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ImagingValue.Core.Review;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ImagingValue.Web.Review;

/// <summary>
/// Sign-in sessions that end when the account changes: the cookie carries the account's security stamp, and every
/// request checks it against the stored one (one small query), so a password reset, a role change, disabling the
/// account or signing out ends every session of the account at its next request, saved cookies included.
/// </summary>
public static class AccountSessions
{
    /// <summary>The claim holding the security stamp the cookie was issued with.</summary>
    public const string StampClaim = "iv:security-stamp";

    /// <summary>The signed-in person as the cookie keeps them: name, role and the account's current stamp.</summary>
    public static ClaimsPrincipal Principal(WorkspaceUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, UserRoles.Name(user.Role)), new Claim(StampClaim, user.SecurityStamp)],
            CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>The cookie handler's check on each request: a session whose account is gone, disabled or re-stamped is refused and its cookie removed.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var workspace = context.HttpContext.RequestServices.GetRequiredService<ReviewWorkspace>();
        var name = context.Principal?.Identity?.Name;
        var stamp = context.Principal?.FindFirstValue(StampClaim);
        var user = string.IsNullOrEmpty(name) ? null : await workspace.Users.FindUserAsync(name, context.HttpContext.RequestAborted);
        if (user is null || user.Disabled || stamp is null || !SameStamp(stamp, user.SecurityStamp))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static bool SameStamp(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
