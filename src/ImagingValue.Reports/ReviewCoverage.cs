using System.Globalization;
using ImagingValue.Core.Text;

namespace ImagingValue.Reports;

/// <summary>
/// How much of the included cohort has been reviewed, and the words every finding, yield or management sentence uses
/// to say so (report, deck, feedback, console). The rules (docs/data-formats.md, "What the outputs claim"):
/// no reviewed exam: no finding, yield or management figure, only "not reviewed yet (0 of N included exams reviewed)";
/// some reviewed: counts are "X of the R reviewed so far" beside "R of N included exams reviewed", and a yield with
/// its interval is shown (it needs at least one reviewed exam); a claim about the whole cohort (charges per major
/// finding, "no major finding", "none changed management") needs every included exam reviewed.
/// </summary>
public readonly record struct ReviewCoverage(int Reviewed, int Included)
{
    private static readonly CultureInfo _us = CultureInfo.InvariantCulture;

    /// <summary>No included exam has a review: no finding can be stated.</summary>
    public bool None => Reviewed == 0;

    /// <summary>Every included exam has a review (and there is at least one): whole-cohort claims are allowed.</summary>
    public bool Complete => Reviewed > 0 && Reviewed >= Included;

    /// <summary>"not reviewed yet (0 of 18 included exams reviewed)", "12 of 18 included exams reviewed", "all 18 included exams reviewed".</summary>
    public string Status => None
        ? $"not reviewed yet (0 of {Plural.Count(Included, "included exam")} reviewed)"
        : Complete
            ? $"all {Plural.Count(Included, "included exam")} reviewed"
            : string.Create(_us, $"{Reviewed} of {Plural.Count(Included, "included exam")} reviewed");

    /// <summary>"3 of the 12 reviewed so far" (partial) or "3 of the 18 included exams (all reviewed)"; never called with none reviewed.</summary>
    public string Of(int count) => Complete
        ? string.Create(_us, $"{count} of the {Plural.Count(Included, "included exam")} (all reviewed)")
        : string.Create(_us, $"{count} of the {Reviewed} reviewed so far");
}
