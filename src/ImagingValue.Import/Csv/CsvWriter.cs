using System.Buffers;
using System.Text;

namespace ImagingValue.Import.Csv;

/// <summary>Writes RFC 4180 CSV: UTF-8 without BOM, LF line ends, fields quoted only when they must be.</summary>
public sealed class CsvWriter : IDisposable
{
    private static readonly SearchValues<char> _needsQuotes = SearchValues.Create(",\"\r\n");
    private readonly TextWriter _writer;

    /// <summary>Writes to <paramref name="path"/>, creating its folder if needed.</summary>
    public CsvWriter(string path)
        : this(new StreamWriter(CreateFolder(path), append: false, new UTF8Encoding(false)))
    {
    }

    public CsvWriter(TextWriter writer)
    {
        _writer = writer;
        _writer.NewLine = "\n";
    }

    public void WriteRow(IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                _writer.Write(',');
            }

            first = false;
            _writer.Write(Escape(field));
        }

        _writer.WriteLine();
    }

    /// <summary>A field as it must appear in CSV.</summary>
    public static string Escape(string? field) =>
        field is null ? string.Empty
        : field.AsSpan().IndexOfAny(_needsQuotes) < 0 ? field
        : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public void Dispose() => _writer.Dispose();

    private static string CreateFolder(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        return path;
    }
}
