namespace ImagingValue.Core.Protocols;

/// <summary>
/// An audit protocol: which exam is audited, for which indication, and which red flags make it appropriate.
/// Sites copy and edit the YAML form; nothing here is specific to one exam.
/// </summary>
/// <param name="Id">Stable id, e.g. <c>sacrum-mri-lbp</c>.</param>
/// <param name="ChargePerExam">The charge used for cost figures unless the command gives one.</param>
/// <param name="ConcurrentExams">Other exams counted when done the same day for the same patient, by id (e.g. <c>lumbar_spine_mri</c>).</param>
/// <param name="RedFlags">In protocol order: the first one that matches is an exclusion's primary reason.</param>
/// <param name="ReportFindings">Which report-finding concepts are major, minor or incidental, for suggestions to reviewers; null when the protocol has none.</param>
/// <param name="SecondReview">Which exams get a second reviewer (YAML <c>second_review</c>); null for <see cref="Review.SecondReviewPolicy.Default"/>.</param>
/// <param name="Sources">The guidelines its red flags and card advice cite, by id; empty when it names none.</param>
/// <param name="Card">What the point-of-order card says; null when the protocol gives no card text.</param>
/// <param name="Examples">Example cases with the decision the author expects (YAML <c>examples</c>); empty when none.</param>
/// <param name="Education">The words of the education deck and the department feedback (YAML <c>education</c>); null for generic ones.</param>
/// <param name="Synthetic">What <c>synth protocol</c> adds to the examples for a synthetic cohort (YAML <c>synthetic</c>); null for nothing.</param>
public sealed record Protocol(
    string Id,
    string Title,
    string Description,
    decimal ChargePerExam,
    ExamDefinition TargetExam,
    IReadOnlyDictionary<string, ExamDefinition> ConcurrentExams,
    QualifyingIndication Indication,
    IReadOnlyList<RedFlag> RedFlags,
    ReportFindingCategories? ReportFindings = null,
    Review.SecondReviewPolicy? SecondReview = null,
    IReadOnlyList<GuidelineSource>? Sources = null,
    CardText? Card = null,
    IReadOnlyList<ProtocolExample>? Examples = null,
    EducationText? Education = null,
    SyntheticCohortText? Synthetic = null)
{
    /// <summary>The example cases the file carries; empty when none.</summary>
    public IReadOnlyList<ProtocolExample> Examples { get; init; } = Examples ?? [];

    /// <summary>The reason id when no red flag matches but the indication is not the protocol's.</summary>
    public const string NoQualifyingIndication = "no_qualifying_indication";

    /// <summary>Every exclusion reason id in report order: the red flags, then <see cref="NoQualifyingIndication"/>.</summary>
    public IReadOnlyList<string> ExclusionReasons => [.. RedFlags.Select(f => f.Id), NoQualifyingIndication];

    /// <summary>The sources named by <paramref name="ids"/>, in the protocol's order, each once.</summary>
    public IReadOnlyList<GuidelineSource> SourcesOf(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        return [.. (Sources ?? []).Where(s => wanted.Contains(s.Id))];
    }
}

/// <summary>A guideline a protocol cites: its id in the protocol, its title, and the address of its own page.</summary>
public sealed record GuidelineSource(string Id, string Title, Uri Url);

/// <summary>
/// The point-of-order card's words: why imaging is not advised (<see cref="Basis"/>, citing <see cref="BasisSources"/>)
/// and what to do instead, by indication (<see cref="Advice"/>: the first that fits the order's reason).
/// </summary>
/// <param name="Cancel">The label of the suggestion that cancels the order; null for a generic one.</param>
/// <param name="Alternatives">What the card offers to order instead of the exam, in order; empty for none (only cancelling).</param>
public sealed record CardText(string Basis, IReadOnlyList<string> BasisSources, IReadOnlyList<CardAdvice> Advice, string? Cancel = null, IReadOnlyList<CardAlternative>? Alternatives = null)
{
    /// <summary>The orders offered instead; empty when the protocol offers none.</summary>
    public IReadOnlyList<CardAlternative> Alternatives { get; init; } = Alternatives ?? [];

    /// <summary>The first advice whose terms are in <paramref name="indication"/> or whose codes hold a reason code; else the default (no terms, no codes); null when none fits.</summary>
    public CardAdvice? For(string? indication, IReadOnlyList<string> reasonCodes)
    {
        ArgumentNullException.ThrowIfNull(reasonCodes);
        var words = Words(indication);
        return Advice.FirstOrDefault(a => Names(a.Terms, a.Codes, words, reasonCodes))
            ?? Advice.FirstOrDefault(a => a.Terms.Count == 0 && a.Codes.Count == 0);
    }

    /// <summary>The alternatives for this order's reason: those without terms or codes, and those whose terms or codes it names.</summary>
    public IReadOnlyList<CardAlternative> AlternativesFor(string? indication, IReadOnlyList<string> reasonCodes)
    {
        ArgumentNullException.ThrowIfNull(reasonCodes);
        var words = Words(indication);
        return [.. Alternatives.Where(a => (a.Terms.Count == 0 && a.Codes.Count == 0) || Names(a.Terms, a.Codes, words, reasonCodes))];
    }

    private static string[] Words(string? indication) => string.IsNullOrWhiteSpace(indication) ? [] : ExamMatcher.Tokens(indication);

    /// <summary>Whether one of <paramref name="terms"/> is in the reason's words or one of <paramref name="codes"/> holds a reason code.</summary>
    private static bool Names(IReadOnlyList<string> terms, IReadOnlyList<CodeRange> codes, string[] words, IReadOnlyList<string> reasonCodes) =>
        terms.Any(t => ExamMatcher.ContainsSequence(words, ExamMatcher.Tokens(t))) || reasonCodes.Any(code => codes.Any(r => r.Contains(code)));
}

/// <summary>
/// An order the card offers instead of the exam (YAML <c>card.alternatives</c>): the suggestion's label, the action's
/// description, and the coded order it creates (a draft ServiceRequest with <see cref="System"/>, <see cref="Code"/>,
/// <see cref="Display"/> and the orderable name <see cref="Text"/>). Offered for every order unless <see cref="Terms"/>
/// or <see cref="Codes"/> narrow it to the reasons they name.
/// </summary>
public sealed record CardAlternative(string Label, string Action, string System, string Code, string Display, string Text, IReadOnlyList<string> Terms, IReadOnlyList<CodeRange> Codes);

/// <summary>
/// The words of the education deck and the department feedback (YAML <c>education</c>); each part is optional and
/// falls back to generic words built from the protocol's labels and card.
/// </summary>
/// <param name="Question">The question slide's opening lines; empty for the generic question.</param>
/// <param name="Guidelines">What the guidelines say, one statement a bullet, each with the sources it rests on; empty for the card's basis.</param>
/// <param name="RightCall">The title of the slide listing the red flags (e.g. "When MRI is the right call"); null for a generic one.</param>
/// <param name="Instead">What to do instead, one line a bullet; empty for the card's advice.</param>
/// <param name="FeedbackAdvice">The advice that ends each department's paragraph of the feedback, after a semicolon; null for the card's default advice.</param>
public sealed record EducationText(
    IReadOnlyList<string> Question,
    IReadOnlyList<GuidelineStatement> Guidelines,
    string? RightCall,
    IReadOnlyList<string> Instead,
    string? FeedbackAdvice);

/// <summary>
/// What a synthetic cohort of the protocol (<c>synth protocol</c>) takes besides the examples (YAML <c>synthetic</c>):
/// radiology report texts and ordering departments, each used in turn; empty lists write no reports and no department.
/// </summary>
public sealed record SyntheticCohortText(IReadOnlyList<string> Reports, IReadOnlyList<string> Departments);

/// <summary>One thing a guideline says, with the ids of the protocol's sources that say it.</summary>
public sealed record GuidelineStatement(string Text, IReadOnlyList<string> Sources);

/// <summary>Advice for the indications its terms (whole words of the order's reason) or codes (reason codes) name; neither: the default.</summary>
public sealed record CardAdvice(IReadOnlyList<string> Terms, IReadOnlyList<CodeRange> Codes, string Text, IReadOnlyList<string> Sources);

/// <summary>
/// Recognises an exam from the site's orderable name or code.
/// </summary>
/// <remarks>
/// A name matches when it contains a modality term and a body term and none of the exclusion terms
/// (terms match whole words after normalisation: lower case, punctuation as spaces).
/// <see cref="Codes"/> identify the exam on their own (e.g. LOINC 36059-4 MR Sacrum, or a site's local code);
/// codes shared by several exams (MRI pelvis 72195-72197 bills sacrum, SI-joint and pelvis MRIs alike) belong
/// nowhere here: only the name tells those apart.
/// </remarks>
public sealed record ExamDefinition(
    string Label,
    IReadOnlyList<string> ModalityTerms,
    IReadOnlyList<string> BodyTerms,
    IReadOnlyList<string> ExcludeTerms,
    IReadOnlyList<string> Codes);

/// <summary>The indication an order must have to be audited: text concepts or diagnosis codes.</summary>
public sealed record QualifyingIndication(string Label, IReadOnlyList<string> Concepts, IReadOnlyList<CodeRange> Codes);

/// <summary>
/// A red flag: a reason the exam may be appropriate, which excludes it from the audit.
/// </summary>
/// <param name="Concepts">Clinical text concept ids that signal it in the indication.</param>
/// <param name="Codes">ICD-10-CM codes that signal it on the order or in the patient's conditions known at order time.</param>
/// <param name="SnomedCodes">
/// SNOMED CT concept ids that signal it in the patient's conditions known at order time, matched exactly (no
/// hierarchy: a descendant concept is recognised by its text instead). Empty when the protocol lists none.
/// </param>
/// <param name="SuspectedCounts">Whether an uncertain mention ("r/o", "?", "concern for") counts. False for a flag that needs a known diagnosis.</param>
/// <param name="HistoricalCounts">Whether a past mention ("hx of", "s/p", "prior") counts.</param>
/// <param name="MaxDaysBeforeOrder">When set, the event counts only if it happened less than this many days before the order (text with a time, and conditions by onset).</param>
/// <param name="UndatedCounts">With <see cref="MaxDaysBeforeOrder"/>: whether a current, undated mention counts ("LBP after fall").</param>
/// <param name="ConditionWindowDays">When set, a condition counts only if it began less than this many days before the order.</param>
/// <param name="Sources">The ids of the protocol's guideline sources that name this red flag.</param>
/// <param name="RecentHistoryTriggers">
/// History triggers that, for a flag with <see cref="MaxDaysBeforeOrder"/>, say only that the event is over, not that it
/// is old: "s/p fall" with no date is the current episode, while "hx of fall" is not. Compared case-insensitively.
/// </param>
/// <param name="Requires">What must hold besides a counted mention or code (age, symptom duration, companion concepts); null for nothing more.</param>
public sealed record RedFlag(
    string Id,
    string Label,
    IReadOnlyList<string> Concepts,
    IReadOnlyList<CodeRange> Codes,
    bool SuspectedCounts,
    bool HistoricalCounts,
    int? MaxDaysBeforeOrder,
    bool UndatedCounts,
    int? ConditionWindowDays,
    IReadOnlyList<string>? RecentHistoryTriggers = null,
    IReadOnlyList<string>? SnomedCodes = null,
    IReadOnlyList<string>? Sources = null,
    RedFlagRequirements? Requires = null);

/// <summary>
/// Qualifiers a red flag needs besides its concept or code: "minor trauma" counts only at 70 or older, "persistent
/// pain" only after 6 weeks and with conservative care tried. Checked once the flag has found something; when one fails,
/// what the flag found is listed as ignored with the unmet requirement.
/// </summary>
/// <param name="MinAge">The patient's age at the order (completed years, from the birth date) must be at least this; an unknown age does not meet it.</param>
/// <param name="MaxAge">The age at the order must be at most this; an unknown age does not meet it.</param>
/// <param name="MinDurationDays">
/// The episode must have lasted at least this many days at the order: the longest time the text gives for a current
/// counted mention of the flag ("LBP x 3 months", "since January"); when none has a time, for a past one or a mention
/// of <paramref name="WithConcepts"/> ("after 8 weeks of PT"), or the onset of a counted condition. With no time at
/// all, it is not met.
/// </param>
/// <param name="WithConcepts">Concepts that must each also be mentioned in the indication, about the patient, not negated or hypothetical (past and suspected mentions count): "failed physiotherapy", "surgical candidate".</param>
public sealed record RedFlagRequirements(int? MinAge, int? MaxAge, int? MinDurationDays, IReadOnlyList<string> WithConcepts)
{
    /// <summary>Whether the flag needs anything at all besides its own mention.</summary>
    public bool Any => MinAge is not null || MaxAge is not null || MinDurationDays is not null || WithConcepts.Count > 0;

    /// <summary>Each requirement in words, for the people who review a protocol (<c>protocol show</c>, the QI report).</summary>
    public IEnumerable<string> InWords()
    {
        if (MinAge is { } minAge)
        {
            yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"only in a patient {minAge} or older at the order");
        }

        if (MaxAge is { } maxAge)
        {
            yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"only in a patient {maxAge} or younger at the order");
        }

        if (MinDurationDays is { } minDays)
        {
            yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"only when the symptoms have lasted at least {minDays} days");
        }

        if (WithConcepts.Count > 0)
        {
            yield return $"only with a mention of {string.Join(" and of ", WithConcepts)}";
        }
    }
}

/// <summary>
/// The finding concepts (clinical text concept ids) a report may show, by how the protocol's review classes them:
/// major (a likely, actionable cause of the pain), minor (unlikely cause, degenerative, or seen on a concurrent exam)
/// and incidental (unrelated, or better seen on another exam).
/// </summary>
public sealed record ReportFindingCategories(IReadOnlyList<string> Major, IReadOnlyList<string> Minor, IReadOnlyList<string> Incidental);
