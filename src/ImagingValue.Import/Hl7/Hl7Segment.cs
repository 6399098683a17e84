namespace ImagingValue.Import.Hl7;

/// <summary>
/// One segment: its id and its fields as written (still escaped). Numbering is HL7's own: fields, repetitions,
/// components and subcomponents count from 1, and MSH-1 is the field separator itself.
/// </summary>
public sealed class Hl7Segment
{
    private readonly string[] _fields;
    private readonly Hl7Delimiters _delimiters;

    private Hl7Segment(string id, string[] fields, Hl7Delimiters delimiters)
    {
        Id = id;
        _fields = fields;
        _delimiters = delimiters;
    }

    public string Id { get; }

    /// <summary>Set once the segment belongs to a message, so values are read in its character set.</summary>
    internal Hl7Message? Message { get; set; }

    internal static Hl7Segment Parse(string line, Hl7Delimiters delimiters)
    {
        var parts = line.Split(delimiters.Field);
        var id = parts[0];
        if (id == "MSH")
        {
            // MSH-1 is the separator between "MSH" and MSH-2: put it back so field n is parts[n] as for any segment.
            var shifted = new string[parts.Length + 1];
            shifted[0] = id;
            shifted[1] = delimiters.Field.ToString();
            Array.Copy(parts, 1, shifted, 2, parts.Length - 1);
            parts = shifted;
        }

        return new Hl7Segment(id, parts, delimiters);
    }

    /// <summary>The number of fields the segment carries (the last one written).</summary>
    public int FieldCount => _fields.Length - 1;

    /// <summary>The field as written, escapes and all; empty when absent.</summary>
    public string Raw(int field) => field >= 1 && field < _fields.Length ? _fields[field] : "";

    /// <summary>How many repetitions the field has (0 when empty).</summary>
    public int Repetitions(int field)
    {
        var raw = Raw(field);
        return raw.Length == 0 ? 0 : IsLiteral(field) ? 1 : raw.Split(_delimiters.Repetition).Length;
    }

    /// <summary>
    /// The text of a field, component and subcomponent of one repetition, unescaped; null when empty or the HL7
    /// null <c>""</c>.
    /// </summary>
    public string? Value(int field, int component = 1, int subcomponent = 1, int repetition = 1)
    {
        var raw = Raw(field).AsSpan();
        if (IsLiteral(field))
        {
            return raw.Length == 0 || component != 1 ? null : raw.ToString();
        }

        raw = Nth(raw, _delimiters.Repetition, repetition);
        raw = Nth(raw, _delimiters.Component, component);
        if (_delimiters.Subcomponent != '\0')
        {
            raw = Nth(raw, _delimiters.Subcomponent, subcomponent);
        }
        else if (subcomponent != 1)
        {
            return null;
        }

        if (raw.Length == 0 || raw.SequenceEqual("\"\""))
        {
            return null;
        }

        var text = Message is { } message ? message.Unescape(raw) : Hl7Escapes.Unescape(raw, _delimiters, System.Text.Encoding.Latin1);
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    /// <summary>1 to <see cref="Repetitions"/>, for reading every repetition of a field.</summary>
    public IEnumerable<int> RepetitionNumbers(int field) => Enumerable.Range(1, Repetitions(field));

    private bool IsLiteral(int field) => Id == "MSH" && field is 1 or 2;

    private static ReadOnlySpan<char> Nth(ReadOnlySpan<char> value, char separator, int n)
    {
        var index = 1;
        foreach (var range in value.Split(separator))
        {
            if (index++ == n)
            {
                return value[range];
            }
        }

        return [];
    }
}
