using ImagingValue.Core.Review;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ImagingValue.Web.Pages;

/// <summary>Sign-in with a local account; wrong passwords count towards a lockout. Logs name the account, never the password.</summary>
public sealed partial class SignInModel(ReviewWorkspace workspace, IOptions<ReviewWorkspaceOptions> options, ILogger<SignInModel> log) : ReviewPageModel
{
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

        // One password check whatever the account, and one answer for every refusal (unknown, disabled, locked, wrong
        // password), so neither the words nor the time tell which names exist or which are locked.
        var rightPassword = Passwords.Verify(user ?? _nobody.Value, password);
        if (user is null || user.Disabled)
        {
            LogUnknown(log);
            return Refuse();
        }

        if (user.IsLockedAt(now))
        {
            LogLocked(log, user.Name);
            return Refuse();
        }

        if (!rightPassword)
        {
            var limits = options.Value;
            var after = await workspace.Users.RegisterFailedSignInAsync(user.Name, limits.MaxFailedSignIns, now.AddMinutes(limits.LockoutMinutes), cancellationToken);
            LogFailed(log, user.Name, after?.IsLockedAt(now) == true);
            return Refuse();
        }

        await workspace.Users.ResetFailedSignInsAsync(user.Name, cancellationToken);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AccountSessions.Principal(user));
        var roleName = UserRoles.Name(user.Role);
        LogSignedIn(log, user.Name, roleName);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }

    private PageResult Refuse()
    {
        var limits = options.Value;
        Error = $"Wrong name or password. After {limits.MaxFailedSignIns} wrong passwords in a row an account is locked for {limits.LockoutMinutes} minutes; an admin can unlock it.";
        return Page();
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "review sign-in: {User} signed in as {Role}")]
    private static partial void LogSignedIn(ILogger log, string user, string role);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "review sign-in: wrong password for {User} (locked now: {Locked})")]
    private static partial void LogFailed(ILogger log, string user, bool locked);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "review sign-in: refused for locked account {User}")]
    private static partial void LogLocked(ILogger log, string user);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "review sign-in: unknown or disabled account")]
    private static partial void LogUnknown(ILogger log);
}
