using System.Xml.Linq;
using ImagingValue.Core.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ImagingValue.Web.Review;

/// <summary>
/// Data-protection keys in the workspace's database (<see cref="IKeyXmlStore"/>), so a cookie or antiforgery token
/// made by one <c>serve</c> instance is read by every other instance on the workspace.
/// </summary>
internal sealed class WorkspaceXmlRepository(IKeyXmlStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.GetAllKeyXml().Select(xml => XElement.Parse(xml))];

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        store.StoreKeyXml(friendlyName, element.ToString(SaveOptions.DisableFormatting));
    }
}
