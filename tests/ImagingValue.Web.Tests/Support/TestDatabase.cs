using Npgsql;

namespace ImagingValue.Web.Tests.Support;

/// <summary>A new empty database on a PostgreSQL cluster (IV_TEST_POSTGRES, set by ./test; never skipped), dropped afterwards.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly NpgsqlConnectionStringBuilder _builder;

    private TestDatabase(NpgsqlConnectionStringBuilder builder) => _builder = builder;

    /// <summary>The database's connection string (no password: the test clusters trust loopback).</summary>
    public string ConnectionString => _builder.ConnectionString;

    /// <param name="cluster">The cluster's connection string; null: IV_TEST_POSTGRES.</param>
    public static TestDatabase Create(string? cluster = null)
    {
        cluster ??= Environment.GetEnvironmentVariable("IV_TEST_POSTGRES") is { Length: > 0 } text
            ? text
            : throw new InvalidOperationException("IV_TEST_POSTGRES is not set: run ./test, which starts a throwaway PostgreSQL cluster (scripts/test-postgres.sh) and sets it");
        var name = "iv_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        using (var connection = new NpgsqlConnection(cluster))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }

        return new TestDatabase(new NpgsqlConnectionStringBuilder(cluster) { Database = name });
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_builder.ConnectionString) { Database = "postgres" }.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_builder.Database} WITH (FORCE)", connection);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The cluster is gone already (a fault test stops its own); nothing is left to drop.
        }
    }
}
