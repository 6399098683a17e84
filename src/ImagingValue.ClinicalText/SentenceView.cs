using System.Text;

namespace ImagingValue.ClinicalText;

/// <summary>
/// The tokens of one sentence plus, built only when a regex rule needs it, the sentence as normalized tokens
/// joined by single spaces with a map back to token indexes.
/// </summary>
internal sealed class SentenceView
{
    private string? _normText;
    private string? _casedText;
    private int[]? _tokenAtChar;

    public SentenceView(string text, int start, int end, List<Token> tokens)
    {
        Text = text;
        Start = start;
        End = end;
        Tokens = tokens;
    }

    public string Text { get; }

    public int Start { get; }

    public int End { get; }

    public List<Token> Tokens { get; }

    public int Count => Tokens.Count;

    public string Written(int firstToken, int endToken)
    {
        var s = Tokens[firstToken].Start;
        return Text.Substring(s, Tokens[endToken - 1].End - s);
    }

    public string JoinedText(bool cased)
    {
        EnsureJoined();
        return cased ? _casedText! : _normText!;
    }

    /// <summary>Token index starting at char <paramref name="offset"/> of the joined text, or -1.</summary>
    public int TokenStartingAt(int offset)
    {
        EnsureJoined();
        return offset < _tokenAtChar!.Length && offset >= 0 ? _tokenAtChar[offset] : -1;
    }

    /// <summary>Token index ending exactly at char <paramref name="offset"/> of the joined text (exclusive), or -1.</summary>
    public int TokenEndingAt(int offset)
    {
        EnsureJoined();
        if (offset == _normText!.Length)
        {
            return Tokens.Count - 1;
        }

        // A token ends where a space follows; the token after that space starts at offset + 1.
        if (offset < _normText.Length && _normText[offset] == ' ')
        {
            var next = _tokenAtChar![offset + 1];
            return next - 1;
        }

        return -1;
    }

    private void EnsureJoined()
    {
        if (_normText is not null)
        {
            return;
        }

        var norm = new StringBuilder();
        var cased = new StringBuilder();
        var map = new List<int>();
        for (var i = 0; i < Tokens.Count; i++)
        {
            if (i > 0)
            {
                norm.Append(' ');
                cased.Append(' ');
                map.Add(-1);
            }

            norm.Append(Tokens[i].Norm);
            cased.Append(Tokens[i].Cased);
            map.Add(i);
            for (var k = 1; k < Tokens[i].Norm.Length; k++)
            {
                map.Add(-1);
            }
        }

        map.Add(-1);
        _casedText = cased.ToString();
        _tokenAtChar = [.. map];
        _normText = norm.ToString();
    }
}
