using System.Data.Common;
using Microsoft.Data.Sqlite;
using ImagingValue.Core.Text;

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

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

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

    /// <summary>
    /// Whether <paramref name="exception"/> (or one it wraps) says the database cannot answer now, rather than that
    /// a query is wrong: the provider calls it transient, its SQLSTATE is a connection failure (class 08) or an
    /// operator's intervention (57P: the server shutting down or starting up), or SQLite stayed busy or locked past
    /// the command timeout (another process, such as an import, held the write lock all that time).
    /// </summary>
    public static bool IsOutage(Exception? exception) => OutageError(exception) is not null;

    /// <summary>
    /// Whether <paramref name="exception"/> (or one it wraps) is SQLite's busy or locked past the timeout: the
    /// database is there, and another process holds its write lock (an import, for as long as it runs).
    /// </summary>
    public static bool IsBusy(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked })
            {
                return true;
            }
        }

        return false;
    }

    private static DbException? OutageError(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException db && (db.IsTransient || db.SqlState is { } state && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal))))
            {
                return db;
            }

            // Microsoft.Data.Sqlite already retried these until the timeout and does not call them transient.
            if (e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } busy)
            {
                return busy;
            }
        }

        return null;
    }

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
            catch (Exception ex) when (OutageError(ex) is { } error && !context.Response.HasStarted)
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
