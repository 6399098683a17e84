using System.Buffers;
using System.Globalization;
using System.Text;

namespace ImagingValue.Import.Csv;

/// <summary>
/// Writes RFC 4180 CSV: UTF-8 without BOM, LF line ends, fields quoted only when they must be. Every CSV the product
/// writes goes through here, so a cell that a spreadsheet would run as a formula is neutralised here once (OWASP
/// "CSV injection": a leading <c>= + - @</c>, tab or carriage return gets a leading apostrophe). Plain numbers such as
/// <c>-5</c> or <c>+1.5</c> are kept: a spreadsheet reads them as numbers, and scripts read our columns. Import takes
/// the apostrophe away again (<see cref="Restore"/>), so an exported workspace imports as it was.
/// </summary>
public sealed class CsvWriter : IDisposable
{
    private static readonly SearchValues<char> _needsQuotes = SearchValues.Create(",\"\r\n");
    private static readonly SearchValues<char> _formulaStart = SearchValues.Create("=+-@\t\r");
    private readonly TextWriter _writer;

    // Characters encoded and written to the file at a time. The default (1,024) made screening.csv of three protocols
    // over a million orders (about 400 MB) some hundred thousand small writes (issue 17).
    private const int FileBufferChars = 64 * 1024;

    /// <summary>Writes to <paramref name="path"/>, creating its folder if needed.</summary>
    public CsvWriter(string path)
        : this(new StreamWriter(CreateFolder(path), append: false, new UTF8Encoding(false), FileBufferChars))
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

    /// <summary>
    /// Writes a row whose first field is escaped here and whose other fields come already encoded
    /// (<see cref="EncodeFields"/>): a log that repeats the same tail on many rows encodes it once.
    /// </summary>
    public void WriteRow(string? first, string encodedRest)
    {
        ArgumentNullException.ThrowIfNull(encodedRest);
        _writer.Write(Escape(first));
        _writer.Write(',');
        _writer.Write(encodedRest);
        _writer.WriteLine();
    }

    /// <summary>Fields as <see cref="WriteRow(IEnumerable{string?})"/> writes them between the line's start and end: escaped, comma-separated.</summary>
    public static string EncodeFields(IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return string.Join(',', fields.Select(Escape));
    }

    /// <summary>A field as it must appear in CSV: neutralised when a spreadsheet would run it, quoted when it must be.</summary>
    public static string Escape(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return string.Empty;
        }

        var safe = NeedsApostrophe(field) ? "'" + field : field;
        return safe.AsSpan().IndexOfAny(_needsQuotes) < 0 ? safe : "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Whether a spreadsheet would read <paramref name="field"/> as a formula (or a DDE command).</summary>
    public static bool IsFormula(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Length > 0 && _formulaStart.Contains(field[0])
            && !double.TryParse(field, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>
    /// Whether <see cref="Escape"/> prefixes an apostrophe: a formula, or a formula already behind apostrophes, so that
    /// <see cref="Restore"/> can take exactly one away and an exported value imports as it was.
    /// </summary>
    public static bool NeedsApostrophe(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return IsFormula(field.TrimStart('\''));
    }

    /// <summary>A value as it was before <see cref="Escape"/> neutralised it (import reads our own exports back exactly).</summary>
    public static string Restore(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Length > 1 && field[0] == '\'' && NeedsApostrophe(field[1..]) ? field[1..] : field;
    }

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
