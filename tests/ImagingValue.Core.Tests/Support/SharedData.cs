namespace ImagingValue.Core.Tests.Support;

/// <summary>Finds files in ../shared beside the repository (published test vectors).</summary>
internal static class SharedData
{
    public static string PathOf(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ImagingValue.slnx")))
        {
            dir = dir.Parent;
        }

        if (dir?.Parent is null)
        {
            throw new InvalidOperationException("repository root (ImagingValue.slnx) not found above " + AppContext.BaseDirectory);
        }

        var path = Path.Combine(dir.Parent.FullName, "shared", relative);
        return File.Exists(path) ? path : throw new FileNotFoundException("shared test data missing: expected ../shared beside the repository", path);
    }
}
