using ImagingValue.Core.Text;

namespace ImagingValue.Core.Analytics;

/// <summary>
/// What of the audit's input was left out (summary.json <c>input</c>): rows rejected, files refused, and whether the
/// outputs are partial because of them.
/// </summary>
/// <param name="RowsRejected">Rows of the input files not imported (bad rows, conflicting duplicates).</param>
/// <param name="FilesRefused">Input files of which nothing was imported, as named on the command line.</param>
/// <param name="Partial">True when some input was left out: the figures do not cover all of it.</param>
public sealed record InputSummary(long RowsRejected, IReadOnlyList<string> FilesRefused, bool Partial)
{
    /// <summary>The one line every report prints about its input.</summary>
    public string Describe()
    {
        var rows = $"{Plural.Count(RowsRejected, "row")} rejected";
        if (!Partial)
        {
            return $"Input: every row imported ({rows}).";
        }

        var files = FilesRefused.Count == 0
            ? string.Empty
            : $"; {Plural.Noun(FilesRefused.Count, "file")} refused: {string.Join(", ", FilesRefused)}";
        return $"Partial input: {rows}{files}; the figures leave {(RowsRejected + FilesRefused.Count == 1 ? "it" : "them")} out.";
    }
}
