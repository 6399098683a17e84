using System.Text;

namespace ImagingValue.Import.Tests.Synthetic;

/// <summary>Tiny RFC 4180 reader for the tests: returns the header and the records as dictionaries.</summary>
internal static class CsvTestReader
{
    public static (List<string> Header, List<Dictionary<string, string>> Rows, List<int> FieldCounts) Read(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var records = Parse(text);
        var header = records[0];
        var rows = new List<Dictionary<string, string>>();
        var counts = new List<int>();
        foreach (var record in records.Skip(1))
        {
            counts.Add(record.Count);
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Count && i < record.Count; i++)
            {
                row[header[i]] = record[i];
            }

            rows.Add(row);
        }

        return (header, rows, counts);
    }

    public static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
            }
            else
            {
                field.Append(c);
            }

            i++;
        }

        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }

        return records;
    }
}
