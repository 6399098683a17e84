namespace ImagingValue.ClinicalText;

/// <summary>Who a mention is about.</summary>
public enum Experiencer
{
    /// <summary>The patient (the default).</summary>
    Patient,

    /// <summary>Someone else: a relative ("mother had breast cancer") or another person.</summary>
    Other,
}

/// <summary>
/// One concept found in a text, with the ConText assertions that a careful reader would attach to it.
/// </summary>
/// <param name="Concept">The concept id from the target rules, e.g. <c>tumor</c> or <c>low_back_pain</c>.</param>
/// <param name="MatchedText">The text span that matched, exactly as written.</param>
/// <param name="Start">Character offset of the span in the analysed text.</param>
/// <param name="Length">Length of the span.</param>
/// <param name="Sentence">The sentence (or clause unit) the span was found in, as written.</param>
/// <param name="Assertion">Negation, uncertainty, history, hypothetical and experiencer, with the modifiers that set them.</param>
/// <param name="Time">When the mentioned event happened, relative to the reference time, if the text says.</param>
public sealed record Mention(
    string Concept,
    string MatchedText,
    int Start,
    int Length,
    string Sentence,
    Assertion Assertion,
    TimeAnchor? Time)
{
    /// <summary>Character offset of <see cref="Sentence"/> in the analysed text.</summary>
    public int SentenceStart { get; init; }
}

/// <summary>The assertion status of a mention.</summary>
/// <param name="Modifiers">The modifier spans that applied (for evidence), in text order.</param>
public sealed record Assertion(
    bool Negated,
    bool Uncertain,
    bool Historical,
    bool Hypothetical,
    Experiencer Experiencer,
    IReadOnlyList<ModifierEvidence> Modifiers)
{
    /// <summary>An affirmed, current mention about the patient with no modifiers.</summary>
    public static Assertion Affirmed { get; } = new(false, false, false, false, Experiencer.Patient, []);
}

/// <summary>A modifier that applied to a mention.</summary>
/// <param name="Category">One of <c>NEGATED_EXISTENCE</c>, <c>POSSIBLE_EXISTENCE</c>, <c>HISTORICAL</c>, <c>HYPOTHETICAL</c>, <c>FAMILY</c> (other experiencer).</param>
/// <param name="Text">The trigger as written.</param>
public sealed record ModifierEvidence(string Category, string Text);

/// <summary>
/// When an event happened, as an interval of local date-times before the reference time.
/// </summary>
/// <remarks>
/// "fell 2 weeks ago" with reference 2016-03-17 gives Earliest = Latest = 2016-03-03 (± the unit's precision:
/// weeks and months widen the interval by half a unit each way). "in 2009" gives 2009-01-01 .. 2009-12-31T23:59:59.
/// "x 3 months" (a duration up to now) gives its start. Both ends are inclusive.
/// </remarks>
/// <param name="Text">The time expression as written, e.g. <c>2 weeks ago</c>.</param>
/// <param name="Earliest">The earliest moment the event may have happened.</param>
/// <param name="Latest">The latest moment the event may have happened.</param>
public sealed record TimeAnchor(string Text, DateTime Earliest, DateTime Latest)
{
    /// <summary>Whole days from the event's best estimate (the interval's midpoint) to the reference time.</summary>
    public double DaysBefore(DateTime reference) => (reference - Midpoint).TotalDays;

    /// <summary>The interval's midpoint.</summary>
    public DateTime Midpoint => Earliest + ((Latest - Earliest) / 2);
}
