namespace ImagingValue.ClinicalText;

/// <summary>One concept rule: a phrase (or regex) that names a concept.</summary>
public sealed class TargetRule
{
    /// <summary>A category that matches (so it blocks shorter matches inside it) but is never reported,
    /// e.g. "upper back pain" keeps "back pain" from counting as low back pain.</summary>
    public const string IgnoreCategory = "IGNORE";

    internal TargetRule(string literal, string category, string? pattern, bool caseSensitive, bool clauseBound = false,
        IReadOnlyList<IReadOnlyList<string[]>>? anyOrder = null, IReadOnlySet<string>? between = null, int maxBetween = 0)
    {
        AnyOrder = anyOrder;
        Between = between ?? new HashSet<string>(StringComparer.Ordinal);
        MaxBetween = maxBetween;
        Literal = literal;
        Category = category;
        Pattern = pattern;
        CaseSensitive = caseSensitive;
        ClauseBound = clauseBound;
    }

    public string Literal { get; }

    /// <summary>The concept id, e.g. <c>low_back_pain</c>.</summary>
    public string Category { get; }

    /// <summary>Optional .NET regex matched against the sentence's tokens joined by single spaces
    /// (lower-cased unless <see cref="CaseSensitive"/>).</summary>
    public string? Pattern { get; }

    public bool CaseSensitive { get; }

    /// <summary>
    /// Only modifiers in the target's own clause (no comma or semicolon between) apply to it. For a chief complaint:
    /// in "No trauma, chronic low back pain" or "mother with lymphoma, tailbone pain" the modifier belongs to the
    /// list before the comma, not to the complaint. Red-flag concepts stay unbound so "denies trauma, fever" negates both.
    /// </summary>
    public bool ClauseBound { get; }

    /// <summary>
    /// Two lists of phrases (as normalised tokens) that together name the concept in either order, e.g. symptoms and body
    /// sites: "ache in the tailbone region", "lumbar area discomfort". Null for a phrase or pattern rule.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string[]>>? AnyOrder { get; }

    /// <summary>With <see cref="AnyOrder"/>: the only words allowed between the two parts ("in", "the", "area").</summary>
    public IReadOnlySet<string> Between { get; }

    /// <summary>With <see cref="AnyOrder"/>: at most this many words between the two parts.</summary>
    public int MaxBetween { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Literal} ({Category})";
}
