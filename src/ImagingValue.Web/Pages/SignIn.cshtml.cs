using ImagingValue.Core.Review;
using ImagingValue.Core.Text;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ImagingValue.Web.Pages;

/// <summary>Sign-in with a local account; attempts count towards a lockout until one succeeds. Logs name the account, never the password.</summary>
public sealed partial class SignInModel(ReviewWorkspace workspace, IPasswordHasher<WorkspaceUser> hasher, IOptions<ReviewWorkspaceOptions> options, ILogger<SignInModel> log) : ReviewPageModel
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
        var limits = options.Value;
        // The attempt is counted before the password is checked, in one store statement, so a burst of parallel
        // attempts checks at most MaxFailedSignIns passwords before the lock; a right password resets the count.
        var user = name.Length == 0 ? null : await workspace.Users.BeginSignInAttemptAsync(name, limits.MaxFailedSignIns, now, now.AddMinutes(limits.LockoutMinutes), cancellationToken);

        // One password check whatever the account, and one answer for every refusal (unknown, disabled, locked, wrong
        // password), so neither the words nor the time tell which names exist or which are locked.
        var checkedAgainst = user ?? _nobody.Value;
        var rightPassword = hasher.VerifyHashedPassword(checkedAgainst, checkedAgainst.PasswordHash, password) != PasswordVerificationResult.Failed;
        if (user is null)
        {
            var account = name.Length == 0 ? null : await workspace.Users.FindUserAsync(name, cancellationToken);
            if (account is { Disabled: false })
            {
                LogLocked(log, account.Name);
            }
            else
            {
                LogUnknown(log);
            }

            return Refuse();
        }

        if (!rightPassword)
        {
            LogFailed(log, user.Name, user.IsLockedAt(now));
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
    private static partial void LogSignedIn(ILogger log, LogValue user, LogValue role);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "review sign-in: wrong password for {User} (locked now: {Locked})")]
    private static partial void LogFailed(ILogger log, LogValue user, bool locked);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "review sign-in: refused for locked account {User}")]
    private static partial void LogLocked(ILogger log, LogValue user);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "review sign-in: unknown or disabled account")]
    private static partial void LogUnknown(ILogger log);
}
