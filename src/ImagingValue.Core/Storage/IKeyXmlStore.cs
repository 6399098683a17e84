namespace ImagingValue.Core.Storage;

/// <summary>
/// The web host's data-protection keys (sign-in cookies, antiforgery tokens) kept in the workspace's database, so
/// every <c>serve</c> instance on it, on any machine, reads and writes the same keys. Synchronous, as ASP.NET Core's
/// key repository is: read at start and when the key ring is refreshed, written when a key is made (every 90 days).
/// Implemented by workspaces whose folder is not shared by every instance (PostgreSQL).
/// </summary>
public interface IKeyXmlStore
{
    /// <summary>Every stored key element, as XML, in the order stored.</summary>
    IReadOnlyList<string> GetAllKeyXml();

    /// <summary>Stores one key element under <paramref name="name"/> (the key's id); a repeat of a name is ignored.</summary>
    void StoreKeyXml(string name, string xml);
}
