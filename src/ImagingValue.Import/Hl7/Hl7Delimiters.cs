namespace ImagingValue.Import.Hl7;

/// <summary>
/// The separators a message declares in MSH-1 and MSH-2. Every message names its own; senders that repeat a character
/// in MSH-2 (a Java string's doubled backslash, <c>^~\\&amp;</c>) have the repeat ignored, so the remaining characters
/// keep their standard roles.
/// </summary>
public sealed record Hl7Delimiters(char Field, char Component, char Repetition, char? Escape, char Subcomponent)
{
    /// <summary>The delimiters of <c>MSH|^~\&amp;</c>.</summary>
    public static Hl7Delimiters Standard { get; } = new('|', '^', '~', '\\', '&');

    /// <summary>
    /// Reads the delimiters from the start of an MSH segment (<c>MSH</c>, the field separator, then the encoding
    /// characters up to the next field separator). Gives the problem, with its field, when they cannot be read.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<char> msh, out Hl7Delimiters delimiters, out Hl7Problem? error)
    {
        delimiters = Standard;
        error = null;
        if (msh.Length < 5 || !msh.StartsWith("MSH", StringComparison.Ordinal))
        {
            error = new Hl7Problem("MSH", 1, "the message does not start with an MSH segment");
            return false;
        }

        var field = msh[3];
        if (char.IsLetterOrDigit(field) || char.IsWhiteSpace(field))
        {
            error = new Hl7Problem("MSH", 1, $"'{field}' cannot be a field separator");
            return false;
        }

        var end = msh[4..].IndexOf(field);
        var encoding = end < 0 ? msh[4..] : msh.Slice(4, end);
        var distinct = new List<char>(5);
        foreach (var c in encoding)
        {
            if (c == '\r' || c == '\n')
            {
                break;
            }

            if (c != field && !distinct.Contains(c))
            {
                distinct.Add(c);
            }
        }

        if (distinct.Count < 2)
        {
            error = new Hl7Problem("MSH", 2, "the encoding characters need at least a component and a repetition separator");
            return false;
        }

        if (distinct.Exists(char.IsLetterOrDigit))
        {
            error = new Hl7Problem("MSH", 2, $"'{encoding.ToString()}' holds a letter or digit");
            return false;
        }

        // Order per the standard: component, repetition, escape, subcomponent (v2.7 adds truncation, unused here).
        // A message without an escape character has no escapes; without a subcomponent separator, none either.
        var escape = distinct.Count > 2 ? distinct[2] : (char?)null;
        var subcomponent = distinct.Count > 3 ? distinct[3] : '\0';
        delimiters = new Hl7Delimiters(field, distinct[0], distinct[1], escape, subcomponent);
        return true;
    }
}
