using ImagingValue.Core.Review;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace ImagingValue.Web.Pages;

/// <summary>Signs out (POST only, with the anti-forgery token), ending every session of the account; GET shows the button.</summary>
public sealed class SignOutModel(ReviewWorkspace workspace) : ReviewPageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // A new security stamp: a copy of the cookie saved before signing out no longer works (AccountSessions).
        // It ends the account's other sessions too, as signing out everywhere would.
        await workspace.Users.ChangeUserAsync(UserName, new AccountChange(EndSessions: true), cancellationToken);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/signin");
    }
}
