using ImagingValue.Core.Storage;
using ImagingValue.Storage.Sqlite;
using ImagingValue.Storage.Tests.Contracts;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Storage.Tests.Sqlite;

/// <summary>A new SQLite workspace in a folder of its own, opened as a command or as a service opens it.</summary>
internal sealed class SqliteTestWorkspace
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("iv-contract-").FullName;

    public IWorkspace Create(WorkspaceUse use)
    {
        if (use == WorkspaceUse.Command)
        {
            return SqliteWorkspace.Create(Directory, TimeProvider.System);
        }

        using (SqliteWorkspace.Create(Directory, TimeProvider.System))
        {
        }

        return SqliteWorkspace.Open(Directory, TimeProvider.System, WorkspaceUse.Service);
    }

    public void Delete()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>The importStore contract on SQLite, every store sharing one connection (the CLI).</summary>
public sealed class SqliteImportStoreCommandTests : ImportStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The importStore contract on SQLite, every store sharing pooled connections (the web host).</summary>
public sealed class SqliteImportStoreServiceTests : ImportStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The clinicalDataStore contract on SQLite, every store sharing one connection (the CLI).</summary>
public sealed class SqliteClinicalDataStoreCommandTests : ClinicalDataStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The clinicalDataStore contract on SQLite, every store sharing pooled connections (the web host).</summary>
public sealed class SqliteClinicalDataStoreServiceTests : ClinicalDataStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The screeningRunStore contract on SQLite, every store sharing one connection (the CLI).</summary>
public sealed class SqliteScreeningRunStoreCommandTests : ScreeningRunStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The screeningRunStore contract on SQLite, every store sharing pooled connections (the web host).</summary>
public sealed class SqliteScreeningRunStoreServiceTests : ScreeningRunStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The reviewStore contract on SQLite, every store sharing one connection (the CLI).</summary>
public sealed class SqliteReviewStoreCommandTests : ReviewStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The reviewStore contract on SQLite, every store sharing pooled connections (the web host).</summary>
public sealed class SqliteReviewStoreServiceTests : ReviewStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The userStore contract on SQLite, every store sharing one connection (the CLI).</summary>
public sealed class SqliteUserStoreCommandTests : UserStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The userStore contract on SQLite, every store sharing pooled connections (the web host).</summary>
public sealed class SqliteUserStoreServiceTests : UserStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The interventionStore contract on SQLite, every store sharing one connection (the CLI).</summary>
public sealed class SqliteInterventionStoreCommandTests : InterventionStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The interventionStore contract on SQLite, every store sharing pooled connections (the web host).</summary>
public sealed class SqliteInterventionStoreServiceTests : InterventionStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The pointOfOrderStore contract on SQLite, every store sharing one connection (the CLI).</summary>
public sealed class SqlitePointOfOrderStoreCommandTests : PointOfOrderStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The pointOfOrderStore contract on SQLite, every store sharing pooled connections (the web host).</summary>
public sealed class SqlitePointOfOrderStoreServiceTests : PointOfOrderStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The feed store contract on SQLite, every store sharing one connection (the CLI, `listen`).</summary>
public sealed class SqliteFeedStoreCommandTests : FeedStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Command);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The feed store contract on SQLite, every store sharing pooled connections.</summary>
public sealed class SqliteFeedStoreServiceTests : FeedStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}

/// <summary>The token replay cache contract on SQLite, two service instances on one workspace.</summary>
public sealed class SqliteTokenReplayStoreTests : TokenReplayStoreContract
{
    private readonly SqliteTestWorkspace _folder = new();

    protected override IWorkspace CreateWorkspace() => _folder.Create(WorkspaceUse.Service);

    protected override IWorkspace OpenSecondInstance() => Workspaces.Open(_folder.Directory, TimeProvider.System, WorkspaceUse.Service);

    protected override void DeleteWorkspace() => _folder.Delete();
}
