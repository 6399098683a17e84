using System.Text;

namespace ImagingValue.Import.Synthetic;

/// <summary>
/// Minimal RFC 4180 writer: header row, fields quoted only when they contain a comma, a quote,
/// CR or LF (quotes doubled), "\n" record separators, UTF-8 without a byte-order mark.
/// </summary>
internal static class CsvTableWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var builder = new StringBuilder();
        AppendRecord(builder, header);
        foreach (var row in rows)
        {
            if (row.Count != header.Count)
            {
                throw new InvalidOperationException($"{Path.GetFileName(path)}: row has {row.Count} fields, header has {header.Count}.");
            }

            AppendRecord(builder, row);
        }

        File.WriteAllText(path, builder.ToString(), Utf8NoBom);
    }

    public static string Escape(string field)
    {
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return field;
        }

        return "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static void AppendRecord(StringBuilder builder, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(Escape(fields[i]));
        }

        builder.Append('\n');
    }
}
