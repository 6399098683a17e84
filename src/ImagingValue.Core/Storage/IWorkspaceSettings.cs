namespace ImagingValue.Core.Storage;

/// <summary>Settings a workspace keeps for every command and service that opens it (its site's time zone).</summary>
public interface IWorkspaceSettings
{
    /// <summary>The value of <paramref name="name"/>, or null when never set.</summary>
    Task<string?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Sets <paramref name="name"/>.</summary>
    Task SetAsync(string name, string value, CancellationToken cancellationToken);
}
