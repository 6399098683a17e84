using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ImagingValue.Web.Tests.Instances;

/// <summary>Which failures the review pages answer 503 "Service unavailable": the database away, never a wrong query.</summary>
public sealed class WorkspaceOutageTests
{
    public static TheoryData<string> OutageStates => ["57P01", "57P03", "08006"];

    [Theory]
    [MemberData(nameof(OutageStates))]
    public void ServerShuttingDownStartingOrConnectionLost_IsAnOutage(string sqlState) =>
        Assert.True(WorkspaceOutage.IsOutage(new PostgresException("terminating connection", "FATAL", "FATAL", sqlState)));

    [Fact]
    public void ConnectionRefused_EvenWrapped_IsAnOutage()
    {
        var refused = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(WorkspaceOutage.IsOutage(refused));
        Assert.True(WorkspaceOutage.IsOutage(new InvalidOperationException("reading the worklist", refused)));
    }

    [Theory]
    [InlineData("42P01")]
    [InlineData("23505")]
    public void AWrongQueryOrAConstraint_IsNotAnOutage(string sqlState) =>
        Assert.False(WorkspaceOutage.IsOutage(new PostgresException("relation does not exist", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void SqliteLockedByAnotherWriterPastTheTimeout_IsAnOutage()
    {
        // A real "database is locked" from the engine: another connection holds the write lock (as an import does).
        var path = Path.Combine(Path.GetTempPath(), $"iv-locked-{Guid.NewGuid():N}.db");
        try
        {
            using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
            holder.Open();
            using (var create = holder.CreateCommand())
            {
                create.CommandText = "CREATE TABLE t (x INTEGER)";
                create.ExecuteNonQuery();
            }

            using var hold = holder.BeginTransaction(deferred: false);
            using var writer = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=1");
            writer.Open();
            using var insert = writer.CreateCommand();
            insert.CommandText = "INSERT INTO t VALUES (1)";
            var locked = Assert.Throws<SqliteException>(() => insert.ExecuteNonQuery());

            Assert.Equal(5, locked.SqliteErrorCode);
            Assert.True(WorkspaceOutage.IsOutage(new InvalidOperationException("saving a review", locked)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnythingElse_IsNotAnOutage()
    {
        Assert.False(WorkspaceOutage.IsOutage(new InvalidOperationException("a bug")));
        Assert.False(WorkspaceOutage.IsOutage(new SqliteException("no such table: orders", 1)));
        Assert.False(WorkspaceOutage.IsOutage(new SqliteException("UNIQUE constraint failed: reviews.id", 19)));
    }
}
