namespace ImagingValue.Web.Review;

/// <summary>
/// Whether the workspace holds synthetic orders (<c>demo</c>, <c>synth</c>), so every review page says so as the
/// printed outputs do. Asked once per screening-inputs revision: the check scans the orders when none is synthetic,
/// and the revision changes with every import that could change the answer. (Two first requests may both ask; the
/// answer is the same.)
/// </summary>
public sealed class SyntheticDataMark(ReviewWorkspace workspace)
{
    private Known? _known;

    public async Task<bool> IsSyntheticAsync(CancellationToken cancellationToken)
    {
        var revision = await workspace.Screening.GetScreeningInputsRevisionAsync(cancellationToken);
        if (Volatile.Read(ref _known) is { } known && known.Revision == revision)
        {
            return known.Synthetic;
        }

        var answer = new Known(revision, await workspace.Data.HasSyntheticOrdersAsync(cancellationToken));
        Volatile.Write(ref _known, answer);
        return answer.Synthetic;
    }

    private sealed record Known(long Revision, bool Synthetic);
}
