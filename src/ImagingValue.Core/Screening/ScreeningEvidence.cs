namespace ImagingValue.Core.Screening;

/// <summary>Where a piece of screening evidence was read.</summary>
public enum EvidenceSource
{
    /// <summary>An item stored as text by an older version: only <see cref="ScreeningEvidence.Text"/> is known.</summary>
    Legacy,

    /// <summary>The order's procedure (code or name) against the protocol's target exam.</summary>
    Exam,

    /// <summary>The order's status (a target exam that is not completed).</summary>
    OrderStatus,

    /// <summary>A code among the order's reason codes.</summary>
    ReasonCode,

    /// <summary>A patient condition, by its code.</summary>
    ConditionCode,

    /// <summary>A patient condition, by its text (a code no list covers).</summary>
    ConditionText,

    /// <summary>The order's indication text.</summary>
    Indication,

    /// <summary>
    /// A red flag's requirement besides its concept (age, symptom duration, a companion concept), met or not:
    /// <see cref="ScreeningEvidence.Concept"/> says what is required, <see cref="ScreeningEvidence.Text"/> what was found.
    /// </summary>
    Requirement,
}

/// <summary>What a piece of evidence did for the decision.</summary>
public enum EvidenceRole
{
    /// <summary>It counted: the exam matched, a red flag was found, the indication qualifies.</summary>
    Counted,

    /// <summary>It was read but did not count (negated, too old, known only after the order...).</summary>
    Ignored,

    /// <summary>It falls short: the procedure is not the target exam, the order is not completed, the indication is not the protocol's.</summary>
    Unmet,

    /// <summary>Nothing to read: the order has no indication.</summary>
    Missing,
}

/// <summary>Why a mention, condition or procedure counted as it did; written in this order inside the brackets.</summary>
[Flags]
public enum EvidenceQualifiers
{
    None = 0,
    Negated = 1 << 0,
    OtherPerson = 1 << 1,
    Hypothetical = 1 << 2,

    /// <summary>Uncertain, and the red flag does not take suspected mentions.</summary>
    SuspectedOnly = 1 << 3,

    /// <summary>Uncertain, and the red flag takes suspected mentions.</summary>
    Suspected = 1 << 4,
    Historical = 1 << 5,
    Undated = 1 << 6,

    /// <summary><see cref="ScreeningEvidence.DaysBeforeOrder"/> says how long before the order the event or condition began.</summary>
    DaysBeforeOrder = 1 << 7,

    /// <summary>The procedure name holds one of the exam's exclusion terms (<see cref="ScreeningEvidence.Concept"/>).</summary>
    ExcludedTerm = 1 << 8,

    /// <summary>The procedure name has none of the exam's modality terms.</summary>
    NotModality = 1 << 9,

    /// <summary>The procedure name has none of the exam's body terms.</summary>
    NotBodyPart = 1 << 10,
}

/// <summary>A span of a source text: <c>text.Substring(Start, Length)</c>.</summary>
public readonly record struct TextSpan
{
    public TextSpan(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Start = start;
        Length = length;
    }

    public int Start { get; }

    public int Length { get; }

    public int End => Start + Length;
}

/// <summary>
/// One piece of evidence behind a screening decision, typed; <see cref="ScreeningEvidenceFormatter"/> writes it as the
/// line screening.csv has always carried (e.g. <c>indication: "hx breast ca" [tumor, historical]</c>).
/// </summary>
/// <remarks>
/// Every field is a value, so two pieces of evidence are equal when they say the same thing (storage round-trips them).
/// Spans are offsets in the source text: the order's indication for <see cref="EvidenceSource.Indication"/>, the
/// condition's description for <see cref="EvidenceSource.ConditionText"/>.
/// </remarks>
/// <param name="For">The red flag id or the qualifying indication (its concept or label) the evidence speaks for; the target exam's label for <see cref="EvidenceSource.Exam"/>.</param>
/// <param name="Concept">The concept mentioned (e.g. <c>tumor</c>); for an exam, the exclusion term found.</param>
/// <param name="Code">The reason code, the condition's code, or the procedure code that matched.</param>
/// <param name="Text">The sentence as written (mentions), the procedure name (exam), the status word, the trimmed indication (not qualifying), or a legacy item's whole text.</param>
/// <param name="Mention">Where the concept's words are in the source text.</param>
/// <param name="Sentence">Where <paramref name="Text"/> is in the source text (mentions and a non-qualifying indication).</param>
/// <param name="DaysBeforeOrder">Set with <see cref="EvidenceQualifiers.DaysBeforeOrder"/>.</param>
/// <param name="Since">When the condition began (conditions known at the order).</param>
/// <param name="KnownFrom">When a condition first known after the order became known; null with <paramref name="Since"/> null: never dated.</param>
public sealed record ScreeningEvidence(
    EvidenceSource Source,
    EvidenceRole Role,
    string? For = null,
    string? Concept = null,
    string? Code = null,
    string? Text = null,
    TextSpan? Mention = null,
    TextSpan? Sentence = null,
    EvidenceQualifiers Qualifiers = EvidenceQualifiers.None,
    int? DaysBeforeOrder = null,
    DateOnly? Since = null,
    DateOnly? KnownFrom = null)
{
    /// <summary>An item stored as text by an older version.</summary>
    public static ScreeningEvidence FromLegacyText(string text) => new(EvidenceSource.Legacy, EvidenceRole.Counted, Text: text);

    /// <summary>Whether the evidence counted for the decision.</summary>
    public bool Counted => Role == EvidenceRole.Counted;

    /// <summary>The line screening.csv carries for it.</summary>
    public override string ToString() => ScreeningEvidenceFormatter.Format(this);
}
