using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using ImagingValue.Core.Storage;
using ImagingValue.Core.Review;
using ImagingValue.Core.Protocols;
using ImagingValue.Protocols;
using ImagingValue.Reports.Charts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ImagingValue.Web.Review;

/// <summary>
/// Mounts the review workspace (Razor Pages, cookie sign-in, roles) in the serve host, next to the CDS Hooks endpoints.
/// Everything it serves needs a signed-in user except the sign-in page and the stylesheet; the CDS endpoints keep
/// their own JWT check and are not touched.
/// </summary>
public static class ReviewWorkspaceWeb
{
    /// <summary>The page folder convention's policy: any signed-in user.</summary>
    public const string SignedIn = "signed-in";

    /// <summary>The policy of pages only an admin may use (CSV upload).</summary>
    public const string AdminOnly = "admin";

    private const string CssPath = "/review-assets/review.css";

    private static readonly Lazy<byte[]> _css = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ImagingValue.Web.Review.Assets.review.css")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The protocol reviewers work on: one the host serves, by id, else a built-in id or a protocol file.</summary>
    private static ProtocolRuntime ReviewProtocol(string idOrPath, ServedProtocols served) =>
        served.All.FirstOrDefault(p => p.Protocol.Id == idOrPath) ?? ProtocolLoader.Load(idOrPath);

    /// <summary>
    /// Adds the review services on the workspace's stores; settings come from the <c>ReviewWorkspace</c> configuration
    /// section (<see cref="ReviewWorkspaceOptions"/>), validated at startup.
    /// </summary>
    /// <param name="keyCertificate">Encrypts the data-protection keys at rest; null stores them as made.</param>
    public static IServiceCollection AddReviewWorkspace(this IServiceCollection services, WorkspaceStores workspace, X509Certificate2? keyCertificate = null)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        services.AddOptions<ReviewWorkspaceOptions>().BindConfiguration(ReviewWorkspaceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new ReviewWorkspace(
            workspace,
            ReviewProtocol(sp.GetRequiredService<IOptions<ReviewWorkspaceOptions>>().Value.Protocol, sp.GetRequiredService<ServedProtocols>()),
            sp.GetRequiredService<TimeProvider>()));
        // Injected (not static) so a test can count the password checks a sign-in makes.
        services.TryAddSingleton<IPasswordHasher<WorkspaceUser>, PasswordHasher<WorkspaceUser>>();
        services.AddSingleton<DashboardAnalyses>();
        services.AddSingleton(sp => new ProtocolViews(workspace, sp.GetRequiredService<ServedProtocols>(), sp.GetRequiredService<ReviewWorkspace>(), sp.GetRequiredService<DashboardAnalyses>()));
        services.AddSingleton<SyntheticDataMark>();
        var dataProtection = services.AddDataProtection().SetApplicationName("imaging-value-review");
        if (workspace.Workspace is IKeyXmlStore keys)
        {
            // A database workspace is served by instances that need not share a folder: the keys go in the database.
            dataProtection.AddKeyManagementOptions(options => options.XmlRepository = new WorkspaceXmlRepository(keys));
        }
        else
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(workspace.Folder, "keys")));
        }

        if (keyCertificate is not null)
        {
            dataProtection.ProtectKeysWithCertificate(keyCertificate);
        }
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = "/signin";
                cookie.LogoutPath = "/signout";
                cookie.AccessDeniedPath = "/denied";
                cookie.Cookie.Name = "iv-review";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.Events.OnValidatePrincipal = AccountSessions.ValidateAsync;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(SignedIn, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(AdminOnly, policy => policy.RequireAuthenticatedUser().RequireRole(UserRoles.Name(UserRole.Admin)));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "iv-review-af";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.FormFieldName = "__RequestVerificationToken";
        });
        services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/", SignedIn);
            pages.Conventions.AllowAnonymousToPage("/SignIn");
            pages.Conventions.AuthorizePage("/Import", AdminOnly);
            // The path forms of the exam pages, for bookmarks; links carry the id in the query (ExamLinks).
            pages.Conventions.AddPageRoute("/Exam", "/exams/{id}");
            pages.Conventions.AddPageRoute("/Audit", "/exams/{id}/audit");
        });
        return services;
    }

    /// <summary>Adds the middleware and pages; does nothing when the services were not added.</summary>
    public static void MapReviewWorkspace(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetService<ReviewWorkspace>() is null)
        {
            return;
        }

        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/cds-services", StringComparison.OrdinalIgnoreCase))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                // Exactly what the anti-forgery token generator sets on a page with a form: anything else makes it
                // override the header and log a warning on every page view (every page has the sign-out form).
                headers.CacheControl = "no-cache, no-store";
                headers.Pragma = "no-cache";
            }

            await next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapGet(CssPath, () => Results.Bytes(_css.Value, "text/css; charset=utf-8")).AllowAnonymous();
        // The dashboard's chart is the report's own (Reports/Charts), served as an image of the same analysis.
        app.MapGet("/dashboard/exams-per-year.svg", async (string? from, string? to, string? protocol, ProtocolViews views, CancellationToken cancellationToken) =>
            views.For(protocol) is { } view && await view.Analyses.ForDatesAsync(from, to, cancellationToken) is { Summary: { } summary }
                ? Results.Text(ExamsPerYearChart.Svg(summary.ExamsPerYear), "image/svg+xml; charset=utf-8")
                : Results.NotFound())
            .RequireAuthorization(SignedIn);
        app.MapGet("/dashboard/monitoring.svg", async (string? from, string? to, string? protocol, ProtocolViews views, CancellationToken cancellationToken) =>
            views.For(protocol) is { } view && await view.Analyses.ForDatesAsync(from, to, cancellationToken) is { Monitor: { } monitor }
                ? Results.Text(MonitorChart.Svg(monitor), "image/svg+xml; charset=utf-8")
                : Results.NotFound())
            .RequireAuthorization(SignedIn);
        app.MapReviewCsvEndpoints();
    }
}
