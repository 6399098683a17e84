namespace ImagingValue.Reports;

/// <summary>Every report writer creates the folder its file goes in.</summary>
internal static class OutputFolder
{
    public static void EnsureFor(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
    }
}
