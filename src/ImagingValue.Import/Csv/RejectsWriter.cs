namespace ImagingValue.Import.Csv;

/// <summary>
/// Writes rejected rows to <c>NAME.rejects.csv</c>: the line, what is wrong, then the row's fields as read, under the
/// file's own header, so a person can fix them and import the rejects file alone. Created on the first reject.
/// </summary>
internal sealed class RejectsWriter(string sourcePath, string? directory, IReadOnlyList<string> header) : IDisposable
{
    private CsvWriter? _writer;

    /// <summary>The rejects file, once one was written.</summary>
    public string? Path { get; private set; }

    /// <summary>Whether rejected rows are written at all.</summary>
    public bool Enabled => directory is not null;

    public void Write(int line, IReadOnlyList<string> fields, string problem)
    {
        if (directory is null)
        {
            return;
        }

        if (_writer is null)
        {
            Directory.CreateDirectory(directory);
            Path = System.IO.Path.Combine(directory, System.IO.Path.GetFileNameWithoutExtension(sourcePath) + ".rejects.csv");
            _writer = new CsvWriter(Path);
            _writer.WriteRow(["_line", "_errors", .. header]);
        }

        _writer.WriteRow([line.ToString(System.Globalization.CultureInfo.InvariantCulture), problem, .. fields]);
    }

    public void Dispose() => _writer?.Dispose();
}
