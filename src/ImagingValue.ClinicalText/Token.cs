namespace ImagingValue.ClinicalText;

/// <summary>What a token is, as far as matching cares.</summary>
internal enum TokenKind
{
    Word,
    Number,
    Date,
    Punct,
}

/// <summary>
/// A token with its offsets in the original text. <see cref="Cased"/> is the token as written minus the characters
/// the tokenizer folds away (dots in "p.o.", apostrophes); <see cref="Norm"/> is its lower-case form.
/// </summary>
internal readonly record struct Token(int Start, int Length, string Norm, string Cased, TokenKind Kind)
{
    public int End => Start + Length;

    public bool IsPunct => Kind == TokenKind.Punct;
}
