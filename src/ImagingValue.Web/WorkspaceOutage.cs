using ImagingValue.Core.Text;
using ImagingValue.Storage;

namespace ImagingValue.Web;

/// <summary>
/// When the workspace's database goes away (a PostgreSQL server stopped or restarting, a connection refused or timed
/// out), the review pages answer 503 with a short page instead of an error: no stack trace, nothing
/// about the connection. The next request tries the database again, so the pages come back with it, no restart. The
/// CDS endpoints answer no cards on their own (fail open) and never get here.
/// </summary>
public static partial class WorkspaceOutage
{
    /// <summary>How long a browser or proxy is told to wait before asking again.</summary>
    public const int RetryAfterSeconds = 10;

    private const string Page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Service unavailable · ImagingValue review</title>
            <link rel="stylesheet" href="/review-assets/review.css">
        </head>
        <body>
            <header class="site"><strong>ImagingValue review</strong></header>
            <main id="main">
                <h1>Service unavailable</h1>
                <p class="message error" role="alert">The review workspace cannot use its database just now. Nothing saved before is lost; a form you were sending was not saved.</p>
                <p>Try again in a minute. If this goes on, tell the person who runs the service.</p>
            </main>
        </body>
        </html>
        """;

    /// <summary>Whether <paramref name="exception"/> says the database cannot answer now (<see cref="DatabaseFaults.Unavailable"/>).</summary>
    public static bool IsOutage(Exception? exception) => DatabaseFaults.Unavailable(exception) is not null;

    /// <summary>Answers 503 with the unavailable page when a request fails because the database is away.</summary>
    public static IApplicationBuilder UseWorkspaceOutagePage(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkspaceOutage).FullName!);
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (DatabaseFaults.Unavailable(ex) is { } error && !context.Response.HasStarted)
            {
                // The type and SQLSTATE only: a database error's message can name the server and the account.
                LogUnavailable(log, context.Request.Method, context.Request.Path.Value ?? "/", error.GetType().FullName ?? "?", error.SqlState ?? "-");
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.Headers.CacheControl = "no-store";
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(Page, CancellationToken.None);
            }
        });
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "{Method} {Path}: the workspace database is unavailable ({ExceptionType}, SQLSTATE {SqlState}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, LogValue method, LogValue path, LogValue exceptionType, LogValue sqlState);
}
