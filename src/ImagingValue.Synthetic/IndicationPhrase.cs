namespace ImagingValue.Synthetic;

/// <summary>Label ids used by the synthetic dataset; red-flag ids are those of the sacrum-mri-lbp protocol.</summary>
public static class PaperLabels
{
    public const string Included = "included";
    public const string Tumor = "tumor";
    public const string Infection = "infection";
    public const string InflammatoryArthritis = "inflammatory_arthritis";
    public const string RecentTrauma = "recent_trauma";
    public const string OccultFracture = "occult_fracture";
    public const string NoQualifyingIndication = "no_qualifying_indication";

    /// <summary>Red flags in protocol order: the first that applies is the primary reason.</summary>
    public static IReadOnlyList<string> RedFlagOrder { get; } =
        [Tumor, Infection, InflammatoryArthritis, RecentTrauma, OccultFracture];
}

/// <summary>
/// One way a clinician writes an indication, with the screening outcome the text alone implies:
/// either <see cref="PaperLabels.Included"/>, <see cref="PaperLabels.NoQualifyingIndication"/>,
/// or the red-flag ids it raises (protocol order). <paramref name="Trap"/> names the pitfall a
/// screener must handle (negation, other person, remote trauma, suspicion only, hypothetical).
/// <paramref name="Sex"/> restricts the phrase to patients of that sex ('F' or 'M').
/// </summary>
public sealed record IndicationPhrase(string Text, IReadOnlyList<string> Labels, string? Trap = null, char? Sex = null)
{
    public bool IsIncluded => Labels.Count == 1 && Labels[0] == PaperLabels.Included;

    public bool IsNoQualifyingIndication => Labels.Count == 1 && Labels[0] == PaperLabels.NoQualifyingIndication;

    /// <summary>Red-flag ids raised by the text (empty for included / no-qualifying phrases).</summary>
    public IReadOnlyList<string> RedFlags =>
        IsIncluded || IsNoQualifyingIndication ? [] : Labels;

    public bool FitsSex(char sex) => Sex is null || Sex == sex;
}
