namespace ImagingValue.ClinicalText;

/// <summary>
/// Splits clinical text into tokens with offsets. Rules and text go through the same tokenizer, so matching is
/// simply token-by-token equality: "low-back pain" and "low back pain" both become <c>low back pain</c>.
/// </summary>
internal static class Tokenizer
{
    // Punctuation that carries meaning in clinical shorthand ("?fracture", "FH:", "esr/crp", "denies fever, chills",
    // "?# L1", British for a fracture) stays a token; everything else ('.', '-', quotes, brackets) is dropped so
    // hyphenation and brackets don't break phrase matches.
    private const string KeptPunctuation = ",;:?/+!&=<>#";

    private static readonly string[] PunctStrings = BuildPunctStrings();

    public static List<Token> Tokenize(string text) => Tokenize(text, 0, text.Length);

    public static List<Token> Tokenize(string text, int start, int end)
    {
        var tokens = new List<Token>(Math.Max(4, (end - start) / 5));
        Tokenize(text, start, end, tokens);
        return tokens;
    }

    public static void Tokenize(string text, int start, int end, List<Token> tokens)
    {
        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (char.IsDigit(c))
            {
                i = ReadNumber(text, i, end, tokens);
            }
            else if (char.IsLetter(c))
            {
                i = ReadWord(text, i, end, tokens);
            }
            else if (c == '[' && CheckBox(text, i, end) is { Length: > 0 } box)
            {
                tokens.Add(new Token(i, box.Length, box.Norm, box.Norm, TokenKind.Punct));
                i += box.Length;
            }
            else
            {
                var p = KeptPunctuation.IndexOf(c);
                if (p >= 0)
                {
                    tokens.Add(new Token(i, 1, PunctStrings[p], PunctStrings[p], TokenKind.Punct));
                }

                i++;
            }
        }
    }

    // Digits, decimals ("2.5") and slash dates ("3/2/2015"). Letters straight after digits start a new token,
    // so "3mo", "2wks" and "10d" read as a number and a unit.
    private static int ReadNumber(string text, int start, int end, List<Token> tokens)
    {
        var i = SkipDigits(text, start, end);
        var kind = TokenKind.Number;
        if (i + 1 < end && text[i] == '.' && char.IsDigit(text[i + 1]))
        {
            i = SkipDigits(text, i + 1, end);
        }
        else
        {
            while (i + 1 < end && text[i] == '/' && char.IsDigit(text[i + 1]))
            {
                kind = TokenKind.Date;
                i = SkipDigits(text, i + 1, end);
            }
        }

        var s = text.Substring(start, i - start);
        tokens.Add(new Token(start, i - start, s, s, kind));
        return i;
    }

    // A run of letters, optionally followed by digits ("b27", "l5"). Folds shorthand into one token:
    // "s/p", "h/o", "r/o", "w/o" (short letter groups around a slash), "p.o.", "e.g." (dotted initials), "pt's".
    private static int ReadWord(string text, int start, int end, List<Token> tokens)
    {
        Span<char> buffer = stackalloc char[64];
        var n = 0;
        var i = start;
        var folded = false;
        var dotted = false;
        while (true)
        {
            var runStart = i;
            while (i < end && char.IsLetter(text[i]))
            {
                Append(buffer, ref n, text[i]);
                i++;
            }

            var runLength = i - runStart;

            // "x3" (times three): the x stands alone so the number can be read.
            if (n == 1 && (buffer[0] == 'x' || buffer[0] == 'X') && i < end && char.IsDigit(text[i]))
            {
                break;
            }

            if (i < end - 1 && text[i] == '\'' && char.IsLetter(text[i + 1]))
            {
                folded = true;
                i++;
                continue;
            }

            if (runLength <= 2 && i < end - 2 && text[i] == '.' && char.IsLetter(text[i + 1]) && text[i + 2] == '.')
            {
                folded = true;
                dotted = true;
                i++;
                continue;
            }

            if (runLength <= 2 && n == runLength && i < end - 1 && text[i] == '/' && char.IsLetter(text[i + 1])
                && ShortLetterRun(text, i + 1, end))
            {
                Append(buffer, ref n, '/');
                i++;
                continue;
            }

            while (i < end && char.IsDigit(text[i]))
            {
                Append(buffer, ref n, text[i]);
                i++;
            }

            break;
        }

        // The trailing dot of a dotted abbreviation ("p.o.") belongs to it.
        if (dotted && i < end && text[i] == '.')
        {
            i++;
        }

        var length = i - start;
        string cased;
        if (n <= buffer.Length)
        {
            cased = folded || n != length ? new string(buffer[..n]) : text.Substring(start, length);
        }
        else
        {
            cased = text.Substring(start, length).Replace(".", string.Empty, StringComparison.Ordinal)
                .Replace("'", string.Empty, StringComparison.Ordinal);
        }

        tokens.Add(new Token(start, length, cased.ToLowerInvariant(), cased, TokenKind.Word));
        return i;
    }

    // An order-entry template's check box, "[ ]" (empty: the item was not chosen) or "[x]" (ticked), as one token so
    // the context rules can read it; other brackets are dropped.
    private static (int Length, string Norm) CheckBox(string text, int i, int end)
    {
        if (i + 1 < end && text[i + 1] == ']')
        {
            return (2, "[ ]");
        }

        if (i + 2 < end && text[i + 2] == ']')
        {
            return text[i + 1] switch
            {
                ' ' => (3, "[ ]"),
                'x' or 'X' => (3, "[x]"),
                _ => (0, string.Empty),
            };
        }

        return (0, string.Empty);
    }

    private static bool ShortLetterRun(string text, int start, int end)
    {
        var i = start;
        while (i < end && char.IsLetter(text[i]))
        {
            i++;
        }

        return i - start <= 2 && (i >= end || !char.IsLetterOrDigit(text[i]));
    }

    private static void Append(Span<char> buffer, ref int n, char c)
    {
        if (n < buffer.Length)
        {
            buffer[n] = c;
        }

        n++;
    }

    private static int SkipDigits(string text, int i, int end)
    {
        while (i < end && char.IsDigit(text[i]))
        {
            i++;
        }

        return i;
    }

    private static string[] BuildPunctStrings()
    {
        var result = new string[KeptPunctuation.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = KeptPunctuation[i].ToString();
        }

        return result;
    }
}
