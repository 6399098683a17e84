using ImagingValue.Core.Storage;

namespace ImagingValue.Storage.Tests.Contracts;

/// <summary>
/// The base of every store's contract tests: each test gets a new, empty workspace from the provider under test
/// (a concrete class per provider and way of opening), and the tests use the store interfaces only.
/// </summary>
public abstract class WorkspaceContract : IDisposable
{
    private IWorkspace? _workspace;

    /// <summary>The workspace of this test, created on first use.</summary>
    protected IWorkspace Workspace => _workspace ??= CreateWorkspace();

    /// <summary>A new, empty workspace of the provider under test.</summary>
    protected abstract IWorkspace CreateWorkspace();

    /// <summary>Removes what <see cref="CreateWorkspace"/> made.</summary>
    protected virtual void DeleteWorkspace()
    {
    }

    public void Dispose()
    {
        _workspace?.Dispose();
        DeleteWorkspace();
        GC.SuppressFinalize(this);
    }
}
