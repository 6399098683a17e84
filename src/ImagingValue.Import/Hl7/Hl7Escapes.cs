using System.Globalization;
using System.Text;

namespace ImagingValue.Import.Hl7;

/// <summary>
/// Turns an escaped HL7 value into its text: <c>\F\ \S\ \T\ \R\ \E\</c> give back the delimiters, <c>\Xhh…\</c> the
/// bytes it names in the message's character set, <c>\.br\</c> a line break (formatted text), and highlighting
/// (<c>\H\ \N\</c>) and other formatting commands are dropped. An escape that is never closed is kept as written.
/// </summary>
public static class Hl7Escapes
{
    /// <summary>Writes <paramref name="text"/> as a field value: delimiters escaped, line breaks as <c>\.br\</c>.</summary>
    public static string Escape(string text, Hl7Delimiters delimiters)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(delimiters);
        var escape = delimiters.Escape ?? '\\';
        var written = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var code = c == escape ? "E" : c == delimiters.Field ? "F" : c == delimiters.Component ? "S" : c == delimiters.Subcomponent ? "T" : c == delimiters.Repetition ? "R" : c == '\n' ? ".br" : null;
            if (code is not null)
            {
                written.Append(escape).Append(code).Append(escape);
            }
            else if (!char.IsControl(c))
            {
                written.Append(c);
            }
        }

        return written.ToString();
    }

    public static string Unescape(ReadOnlySpan<char> value, Hl7Delimiters delimiters, Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(delimiters);
        ArgumentNullException.ThrowIfNull(encoding);
        if (delimiters.Escape is not { } escape || value.IndexOf(escape) < 0)
        {
            return value.ToString();
        }

        var text = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            var close = c == escape ? value[(i + 1)..].IndexOf(escape) : -1;
            if (close < 0)
            {
                text.Append(c);
                i++;
                continue;
            }

            var sequence = value.Slice(i + 1, close);
            if (!TryAppend(text, sequence, delimiters, encoding))
            {
                text.Append(value.Slice(i, close + 2));
            }

            i += close + 2;
        }

        return text.ToString();
    }

    private static bool TryAppend(StringBuilder text, ReadOnlySpan<char> sequence, Hl7Delimiters delimiters, Encoding encoding)
    {
        if (sequence.Length == 1)
        {
            char? replacement = sequence[0] switch
            {
                'F' => delimiters.Field,
                'S' => delimiters.Component,
                'T' => delimiters.Subcomponent,
                'R' => delimiters.Repetition,
                'E' => delimiters.Escape,
                'H' or 'N' => '\0',
                _ => null,
            };
            if (replacement is not { } r)
            {
                return false;
            }

            if (r != '\0')
            {
                text.Append(r);
            }

            return true;
        }

        if (sequence.SequenceEqual(".br"))
        {
            text.Append('\n');
            return true;
        }

        if (sequence.Length > 1 && sequence[0] == 'X' && sequence.Length % 2 == 1)
        {
            var bytes = new byte[(sequence.Length - 1) / 2];
            for (var b = 0; b < bytes.Length; b++)
            {
                if (!byte.TryParse(sequence.Slice(1 + (2 * b), 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[b]))
                {
                    return false;
                }
            }

            text.Append(encoding.GetString(bytes));
            return true;
        }

        // Other formatting commands (.sp, .in, .ti, .sk, .ce, .fi, .nf) and character-set switches (\C…\, \M…\,
        // \Z…\) carry no words: drop them rather than leave control text in a report.
        return sequence.Length > 1 && (sequence[0] is '.' or 'C' or 'M' or 'Z');
    }
}
