using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;

namespace ImagingValue.Web.Tests.Support;

/// <summary>Stores a whole screening run made up by a test, as the screening pipeline would store it.</summary>
internal static class ScreeningRunStoreExtensions
{
    public static async Task<long> SaveRunAsync(this IScreeningRunStore runs, ScreeningRun run, CancellationToken cancellationToken)
    {
        await using var writer = await runs.BeginScreeningRunsAsync([new ScreeningRunStamp(run.ProtocolId, "test", 0, run.CreatedAt)], cancellationToken);
        await writer.AddAsync(0, run.Decisions, cancellationToken);
        return (await writer.CommitAsync(cancellationToken))[0];
    }
}
