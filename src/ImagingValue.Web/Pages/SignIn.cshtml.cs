using System.Security.Claims;
using ImagingValue.Core.Review;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ImagingValue.Web.Pages;

/// <summary>Sign-in with a local account; wrong passwords count towards a lockout. Logs name the account, never the password.</summary>
public sealed partial class SignInModel(ReviewWorkspace workspace, IOptions<ReviewWorkspaceOptions> options, ILogger<SignInModel> log) : ReviewPageModel
{
    private const string Refused = "Wrong name or password.";
    private static readonly Lazy<WorkspaceUser> _nobody = new(() => new("-", UserRole.Viewer, Passwords.Hash(Guid.NewGuid().ToString()), 0, null));

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var name = Name?.Trim() ?? string.Empty;
        var password = Password ?? string.Empty;
        Password = null;
        var now = workspace.Time.GetUtcNow();
        var user = name.Length == 0 ? null : await workspace.Users.FindUserAsync(name, cancellationToken);
        if (user is null)
        {
            // Same work as a real check, so timing does not tell which names exist.
            Passwords.Verify(_nobody.Value, password);
            LogUnknown(log);
            Error = Refused;
            return Page();
        }

        if (user.IsLockedAt(now))
        {
            LogLocked(log, user.Name);
            Error = LockedMessage;
            return Page();
        }

        if (!Passwords.Verify(user, password))
        {
            var limits = options.Value;
            var after = await workspace.Users.RegisterFailedSignInAsync(user.Name, limits.MaxFailedSignIns, now.AddMinutes(limits.LockoutMinutes), cancellationToken);
            var locked = after?.IsLockedAt(now) == true;
            LogFailed(log, user.Name, locked);
            Error = locked ? LockedMessage : Refused;
            return Page();
        }

        await workspace.Users.ResetFailedSignInsAsync(user.Name, cancellationToken);
        var roleName = UserRoles.Name(user.Role);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, roleName)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        LogSignedIn(log, user.Name, roleName);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }

    private string LockedMessage => $"Too many wrong passwords: this account is locked for {options.Value.LockoutMinutes} minutes.";

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "review sign-in: {User} signed in as {Role}")]
    private static partial void LogSignedIn(ILogger log, string user, string role);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "review sign-in: wrong password for {User} (locked now: {Locked})")]
    private static partial void LogFailed(ILogger log, string user, bool locked);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "review sign-in: refused for locked account {User}")]
    private static partial void LogLocked(ILogger log, string user);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "review sign-in: unknown account")]
    private static partial void LogUnknown(ILogger log);
}
