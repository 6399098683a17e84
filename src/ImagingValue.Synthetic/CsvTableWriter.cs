using ImagingValue.Import.Csv;

namespace ImagingValue.Synthetic;

/// <summary>Writes one synthetic table with the project's CSV writer, checking every row against the header.</summary>
internal static class CsvTableWriter
{
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var writer = new CsvWriter(path);
        writer.WriteRow(header);
        foreach (var row in rows)
        {
            if (row.Count != header.Count)
            {
                throw new InvalidOperationException($"{Path.GetFileName(path)}: row has {row.Count} fields, header has {header.Count}.");
            }

            writer.WriteRow(row);
        }
    }
}
