using ImagingValue.Core.Storage;
using ImagingValue.Storage.Postgres;
using ImagingValue.Storage.Tests.Contracts;
using Npgsql;

namespace ImagingValue.Storage.Tests.Postgres;

/// <summary>
/// A new PostgreSQL database for one test (<c>iv_</c> and random hex, made on the cluster <c>IV_TEST_POSTGRES</c>
/// names and dropped after), named by a workspace folder's <c>workspace.json</c> and opened as every command opens it.
/// </summary>
internal sealed class PostgresTestWorkspace
{
    private NpgsqlConnectionStringBuilder? _database;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("iv-pg-contract-").FullName;

    /// <summary>The test cluster's connection string, without a database.</summary>
    /// <exception cref="InvalidOperationException">IV_TEST_POSTGRES is not set: the tests fail, they are never skipped.</exception>
    public static NpgsqlConnectionStringBuilder Cluster() =>
        Environment.GetEnvironmentVariable("IV_TEST_POSTGRES") is { Length: > 0 } cluster
            ? new NpgsqlConnectionStringBuilder(cluster)
            : throw new InvalidOperationException("IV_TEST_POSTGRES is not set: run ./test, which starts a throwaway PostgreSQL cluster (scripts/test-postgres.sh) and sets it");

    /// <summary>Makes a new empty database on the test cluster; its connection string.</summary>
    public static NpgsqlConnectionStringBuilder CreateDatabase()
    {
        var cluster = Cluster();
        var name = "iv_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = name };
    }

    /// <summary>Drops a database <see cref="CreateDatabase"/> made, closing its pooled connections first.</summary>
    public static void DropDatabase(NpgsqlConnectionStringBuilder database)
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(Cluster().ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database.Database} WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }

    public IWorkspace Create(WorkspaceUse use)
    {
        _database ??= CreateDatabase();
        PostgresLocation.Write(Directory, _database);
        return Workspaces.Open(Directory, TimeProvider.System, use);
    }

    public void Delete()
    {
        if (_database is not null)
        {
            DropDatabase(_database);
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>The importStore contract on PostgreSQL, opened for one command (the CLI).</summary>
public sealed class PostgresImportStoreCommandTests : ImportStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The importStore contract on PostgreSQL, opened for a service (the web host).</summary>
public sealed class PostgresImportStoreServiceTests : ImportStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The clinicalDataStore contract on PostgreSQL, opened for one command (the CLI).</summary>
public sealed class PostgresClinicalDataStoreCommandTests : ClinicalDataStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The clinicalDataStore contract on PostgreSQL, opened for a service (the web host).</summary>
public sealed class PostgresClinicalDataStoreServiceTests : ClinicalDataStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The screeningRunStore contract on PostgreSQL, opened for one command (the CLI).</summary>
public sealed class PostgresScreeningRunStoreCommandTests : ScreeningRunStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The screeningRunStore contract on PostgreSQL, opened for a service (the web host).</summary>
public sealed class PostgresScreeningRunStoreServiceTests : ScreeningRunStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The reviewStore contract on PostgreSQL, opened for one command (the CLI).</summary>
public sealed class PostgresReviewStoreCommandTests : ReviewStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The reviewStore contract on PostgreSQL, opened for a service (the web host).</summary>
public sealed class PostgresReviewStoreServiceTests : ReviewStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The userStore contract on PostgreSQL, opened for one command (the CLI).</summary>
public sealed class PostgresUserStoreCommandTests : UserStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The userStore contract on PostgreSQL, opened for a service (the web host).</summary>
public sealed class PostgresUserStoreServiceTests : UserStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The interventionStore contract on PostgreSQL, opened for one command (the CLI).</summary>
public sealed class PostgresInterventionStoreCommandTests : InterventionStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The interventionStore contract on PostgreSQL, opened for a service (the web host).</summary>
public sealed class PostgresInterventionStoreServiceTests : InterventionStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The pointOfOrderStore contract on PostgreSQL, opened for one command (the CLI).</summary>
public sealed class PostgresPointOfOrderStoreCommandTests : PointOfOrderStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The pointOfOrderStore contract on PostgreSQL, opened for a service (the web host).</summary>
public sealed class PostgresPointOfOrderStoreServiceTests : PointOfOrderStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The feed store contract on PostgreSQL, opened for one command (the CLI).</summary>
public sealed class PostgresFeedStoreCommandTests : FeedStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The feed store contract on PostgreSQL, opened for a service (the web host).</summary>
public sealed class PostgresFeedStoreServiceTests : FeedStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The token replay cache contract on PostgreSQL, two service instances on one workspace.</summary>
public sealed class PostgresTokenReplayStoreTests : TokenReplayStoreContract
{
    private readonly PostgresTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override IWorkspace OpenSecondInstance() => Workspaces.Open(_folder.Directory, TimeProvider.System, WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}
