using System.Collections.Concurrent;
using ImagingValue.Core.Alerts;

namespace ImagingValue.Web;

/// <summary>
/// The latest local evidence per protocol, re-read at most once a minute: an audit run while the service is up shows
/// on cards within a minute, and a call never waits for more than one small query.
/// </summary>
public sealed class LocalEvidenceCache
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly ILocalEvidenceSource? _source;
    private readonly TimeProvider _time;
    // The read itself is cached, so the calls that arrive while it runs share it instead of each querying SQLite.
    private readonly ConcurrentDictionary<string, (Task<LocalEvidence?> Read, DateTimeOffset ReadAt)> _cache = new(StringComparer.Ordinal);

    /// <param name="source">Null when the service runs without a workspace: cards then cite no local evidence.</param>
    public LocalEvidenceCache(ILocalEvidenceSource? source, TimeProvider time)
    {
        _source = source;
        _time = time;
    }

    /// <summary>The evidence for <paramref name="protocolId"/>, or null.</summary>
    public async Task<LocalEvidence?> GetAsync(string protocolId, CancellationToken cancellationToken)
    {
        if (_source is null)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var entry = _cache.AddOrUpdate(
            protocolId,
            id => (_source.LatestAsync(id, CancellationToken.None), now),
            (id, old) => now - old.ReadAt < MaxAge && !old.Read.IsFaulted && !old.Read.IsCanceled
                ? old
                : (_source.LatestAsync(id, CancellationToken.None), now));
        return await entry.Read.WaitAsync(cancellationToken);
    }
}
