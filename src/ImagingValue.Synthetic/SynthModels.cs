namespace ImagingValue.Synthetic;

internal sealed class SynthPatient(char sex, DateOnly birthDate)
{
    public char Sex { get; } = sex;

    public DateOnly BirthDate { get; set; } = birthDate;

    public string Id { get; set; } = "";

    public int SortKey { get; set; }
}

internal sealed class SynthOrder(SynthPatient patient, Procedure procedure, Provider provider)
{
    public SynthPatient Patient { get; } = patient;

    public Procedure Procedure { get; } = procedure;

    public Provider Provider { get; } = provider;

    public DateTime OrderedAt { get; set; }

    public DateTime? PerformedAt { get; set; }

    public string Indication { get; set; } = "";

    public List<string> ReasonCodes { get; } = [];

    public string Status { get; set; } = "completed";

    public bool IsTarget { get; init; }

    public string Decision { get; set; } = "not_target";

    public string Reason { get; set; } = "";

    public List<string> Reasons { get; } = [];

    public string Note { get; set; } = "";

    public string ReportText { get; set; } = "";

    public int TieBreak { get; set; }

    public string Id { get; set; } = "";

    public string Accession { get; set; } = "";
}

internal sealed record SynthCondition(
    SynthPatient Patient,
    string Code,
    string Description,
    DateOnly? Onset,
    DateOnly Recorded,
    string Status,
    DateOnly? Abatement);

internal sealed record SynthReview(
    SynthOrder Order,
    string Reviewer,
    bool Major,
    bool Minor,
    bool Incidental,
    string Notes,
    string Management,
    string Role,
    DateTime ReviewedAt);

/// <summary>One finding a reviewer records and the report describes.</summary>
internal sealed record FindingItem(string Kind, string Note, string Sentence, string Impression, char? Sex = null);

/// <summary>The final (adjudicated) review outcome planned for an included exam.</summary>
internal sealed class ReviewPlan
{
    public FindingItem? Major { get; set; }

    public List<FindingItem> Minor { get; } = [];

    public List<FindingItem> Incidental { get; } = [];

    public string Management { get; set; } = "none";

    public string ManagementNote { get; set; } = "";
}
