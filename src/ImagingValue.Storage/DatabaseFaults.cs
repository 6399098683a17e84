using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Storage;

/// <summary>
/// Which database errors mean "the database cannot answer now" rather than "this statement is wrong": the first is
/// an outage to wait out or fail open on (the web app's 503, the CDS service's no cards, a command's one-line error),
/// the second a bug to report.
/// </summary>
public static class DatabaseFaults
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>
    /// The error in <paramref name="exception"/> (or one it wraps) that says the database cannot answer now: the
    /// provider calls it transient (Npgsql: a lost connection, a timeout), its SQLSTATE is a connection failure (class
    /// 08) or an operator's intervention (57P: the server shutting down or starting up), or SQLite stayed busy or
    /// locked past the command timeout (another process, such as an import, held the write lock all that time).
    /// Null when there is none.
    /// </summary>
    public static DbException? Unavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException db && (db.IsTransient || db.SqlState is { } state && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal))))
            {
                return db;
            }

            // Microsoft.Data.Sqlite already retried these until the timeout and does not call them transient.
            if (IsSqliteBusy(e))
            {
                return (DbException)e;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="exception"/> (or one it wraps) is SQLite's busy or locked past the timeout: the
    /// database is there, and another process holds its write lock (an import, for as long as it runs).
    /// </summary>
    public static bool IsBusy(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (IsSqliteBusy(e))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSqliteBusy(Exception e) => e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };
}
