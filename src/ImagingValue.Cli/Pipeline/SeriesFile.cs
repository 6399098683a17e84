using System.Globalization;
using ImagingValue.Import.Csv;

namespace ImagingValue.Cli.Pipeline;

/// <summary>
/// series.csv for the stats commands (contracts section 6): a header; <c>x</c> (a label or date), <c>y</c> (count or
/// value), optional <c>n</c> (denominator), and any other numeric column an option may name. Errors name file, line, field.
/// </summary>
internal sealed class SeriesFile
{
    private readonly Dictionary<string, List<double>> _columns;

    private SeriesFile(List<string> x, Dictionary<string, List<double>> columns)
    {
        X = x;
        _columns = columns;
    }

    public IReadOnlyList<string> X { get; }

    public IReadOnlyList<double> Y => _columns["y"];

    public IReadOnlyList<double>? N => _columns.GetValueOrDefault("n");

    /// <summary>A numeric column by (case-insensitive) name.</summary>
    public IReadOnlyList<double> Column(string name) =>
        _columns.TryGetValue(name.ToLowerInvariant(), out var values) ? values : throw new FormatException($"no column '{name}' in the series (columns: {string.Join(", ", _columns.Keys)})");

    /// <summary>Calendar months of x when every x is a date (yyyy-MM or yyyy-MM-dd); null otherwise.</summary>
    public IReadOnlyList<double>? Months()
    {
        var months = new List<double>();
        foreach (var x in X)
        {
            if (!DateTime.TryParseExact(x, ["yyyy-MM", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return null;
            }

            months.Add(date.Month);
        }

        return months;
    }

    /// <summary>Reads the file; a missing or empty y cell is NaN (a gap), any other non-number is an error.</summary>
    public static SeriesFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FormatException($"{path}: file not found");
        }

        using var reader = new CsvRecordReader(File.OpenRead(path));
        var header = new List<string>();
        if (!reader.Read(header))
        {
            throw new FormatException($"{path}: the file is empty: a header row is required");
        }

        var names = header.Select(h => h.Trim().ToLowerInvariant()).ToList();
        if (!names.Contains("y"))
        {
            throw new FormatException($"{path}:1: y: required column missing from the header");
        }

        var xIndex = names.IndexOf("x");
        var columns = names.Where((name, i) => i != xIndex && name.Length > 0).ToDictionary(name => name, _ => new List<double>(), StringComparer.Ordinal);
        var x = new List<string>();
        var fields = new List<string>();
        while (reader.Read(fields))
        {
            if (fields.Count != header.Count)
            {
                throw new FormatException($"{path}:{reader.RecordLine}: row has {fields.Count} fields, the header has {header.Count}");
            }

            x.Add(xIndex >= 0 ? fields[xIndex].Trim() : (x.Count + 1).ToString(CultureInfo.InvariantCulture));
            for (var i = 0; i < names.Count; i++)
            {
                if (i == xIndex || names[i].Length == 0)
                {
                    continue;
                }

                var text = fields[i].Trim();
                if (text.Length == 0)
                {
                    columns[names[i]].Add(double.NaN);
                }
                else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    columns[names[i]].Add(value);
                }
                else
                {
                    throw new FormatException($"{path}:{reader.RecordLine}: {header[i].Trim()}: '{text}' is not a number");
                }
            }
        }

        if (x.Count == 0)
        {
            throw new FormatException($"{path}: no data rows");
        }

        return new SeriesFile(x, columns);
    }
}
