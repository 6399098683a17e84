namespace ImagingValue.Core.Tests.Support;

/// <summary>Finds files copied from <c>TestData/</c> into the test output directory (provenance in each folder's README).</summary>
internal static class TestData
{
    public static string PathOf(string relative)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", relative);
        return File.Exists(path) ? path : throw new FileNotFoundException("test data missing from the test output directory (TestData/" + relative + ")", path);
    }
}
