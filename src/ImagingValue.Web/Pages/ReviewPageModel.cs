using System.Security.Claims;
using ImagingValue.Core.Review;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ImagingValue.Web.Pages;

/// <summary>What every review page knows about the signed-in person.</summary>
public abstract class ReviewPageModel : PageModel
{
    /// <summary>The account name (also the reviewer name on saved reviews).</summary>
    public string UserName => User.Identity?.Name ?? string.Empty;

    public UserRole Role => RoleOf(User);

    public static UserRole RoleOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return UserRoles.TryParse(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : UserRole.Viewer;
    }
}
