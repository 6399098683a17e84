namespace ImagingValue.ClinicalText;

/// <summary>Which way a ConText trigger reaches.</summary>
public enum ContextDirection
{
    /// <summary>Modifies targets after the trigger ("no fever").</summary>
    Forward,

    /// <summary>Modifies targets before the trigger ("fracture ruled out").</summary>
    Backward,

    /// <summary>Both ways ("fracture vs tumor").</summary>
    Bidirectional,

    /// <summary>Ends the scope of other triggers ("but", "however").</summary>
    Terminate,

    /// <summary>Looks like a trigger but is not one ("no increase", "gram negative"); it only hides the trigger inside it.</summary>
    Pseudo,
}

/// <summary>The modifier categories an <see cref="Assertion"/> understands.</summary>
public static class ContextCategories
{
    public const string NegatedExistence = "NEGATED_EXISTENCE";
    public const string PossibleExistence = "POSSIBLE_EXISTENCE";
    public const string Historical = "HISTORICAL";
    public const string Hypothetical = "HYPOTHETICAL";
    public const string Family = "FAMILY";

    internal static readonly IReadOnlyList<string> All = [NegatedExistence, PossibleExistence, Historical, Hypothetical, Family];
}

/// <summary>One ConText modifier rule (medspaCy <c>context_rules</c> shape).</summary>
public sealed class ContextRule
{
    internal ContextRule(
        string literal,
        string category,
        ContextDirection direction,
        string? pattern,
        int? maxScope,
        IReadOnlySet<string>? allowedTypes,
        IReadOnlySet<string>? excludedTypes,
        IReadOnlySet<string>? terminatedBy,
        IReadOnlyList<string[]>? tokenForms = null,
        IReadOnlySet<string>? terminates = null,
        IReadOnlySet<string>? terminatedByNextClause = null,
        bool clauseBound = false)
    {
        ClauseBound = clauseBound;
        TerminatedByNextClause = terminatedByNextClause;
        TokenForms = tokenForms;
        Terminates = terminates;
        Literal = literal;
        Category = category;
        Direction = direction;
        Pattern = pattern;
        MaxScope = maxScope;
        AllowedTypes = allowedTypes;
        ExcludedTypes = excludedTypes;
        TerminatedBy = terminatedBy;
    }

    /// <summary>The trigger phrase (or, for a pattern rule, its name).</summary>
    public string Literal { get; }

    /// <summary>NEGATED_EXISTENCE, POSSIBLE_EXISTENCE, HISTORICAL, HYPOTHETICAL or FAMILY (free text for TERMINATE/PSEUDO).</summary>
    public string Category { get; }

    public ContextDirection Direction { get; }

    /// <summary>Optional .NET regex matched against the sentence's lower-case tokens joined by single spaces
    /// (a JSON string). A medspaCy token pattern (a JSON array) is not kept here but in <see cref="TokenForms"/>.</summary>
    public string? Pattern { get; }

    /// <summary>
    /// For a TERMINATE rule: the only categories whose scopes it ends (null = all, as in medspaCy). ConText keeps a
    /// separate terminator list per feature (genConText's history CONJ list has "recent", "today", "presents"), and
    /// "no recent trauma" must stay negated, so such words end historical scopes only.
    /// </summary>
    public IReadOnlySet<string>? Terminates { get; }

    /// <summary>A medspaCy token pattern, expanded at load time into the token sequences it matches; null otherwise.</summary>
    internal IReadOnlyList<string[]>? TokenForms { get; }

    /// <summary>How many word tokens (punctuation not counted) the scope reaches; null = to the clause end.</summary>
    public int? MaxScope { get; }

    /// <summary>If set, only targets of these concepts are modified.</summary>
    public IReadOnlySet<string>? AllowedTypes { get; }

    /// <summary>If set, targets of these concepts are never modified.</summary>
    public IReadOnlySet<string>? ExcludedTypes { get; }

    /// <summary>Further modifier categories whose triggers end this rule's scope.</summary>
    public IReadOnlySet<string>? TerminatedBy { get; }

    /// <summary>
    /// Categories whose triggers end this rule's scope when they start a new clause, i.e. when a comma or semicolon lies
    /// between the two triggers (our extension, field <c>terminated_by_next_clause</c>). "No trauma, hx of breast
    /// cancer": the history trigger after the comma starts a new item, so the negation stops there; "no history of
    /// trauma": nothing separates them, so the negation still covers the history phrase's target.
    /// </summary>
    public IReadOnlySet<string>? TerminatedByNextClause { get; }

    /// <summary>
    /// The scope stops at a comma or semicolon (our extension, field <c>clause_bound</c>). For time triggers that
    /// reach a few words: "hepatitis C treated in 2016" is history, but in "fever, fell in 2009" the fever is not.
    /// </summary>
    public bool ClauseBound { get; }

    internal bool Modifies(string concept) =>
        (AllowedTypes is null || AllowedTypes.Contains(concept)) && (ExcludedTypes is null || !ExcludedTypes.Contains(concept));

    /// <inheritdoc/>
    public override string ToString() => $"{Literal} ({Category}, {Direction})";
}
