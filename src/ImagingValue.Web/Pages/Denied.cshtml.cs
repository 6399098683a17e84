namespace ImagingValue.Web.Pages;

/// <summary>Where a refused action lands; answers 403.</summary>
public sealed class DeniedModel : ReviewPageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
