using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;

namespace ImagingValue.Reports.Tests.Support;

internal static class OpenXmlAssert
{
    /// <summary>Asserts the document has no Office 2019 schema or semantic error, listing them all when it does.</summary>
    public static void Valid(OpenXmlPackage package)
    {
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(package).ToList();
        Assert.True(
            errors.Count == 0,
            $"{errors.Count} validation errors:\n" + string.Join("\n", errors.Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}")));
    }
}
