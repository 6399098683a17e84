using System.Collections.Concurrent;
using ImagingValue.Core.Alerts;

namespace ImagingValue.Web.Cds;

/// <summary>
/// The latest local evidence per protocol, re-read at most once a minute: an audit run while the service is up shows
/// on cards within a minute, and a call never waits for more than one small query.
/// </summary>
public sealed class LocalEvidenceCache
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly ILocalEvidenceSource? _source;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

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
        if (!_cache.TryGetValue(protocolId, out var entry) || !entry.FreshAt(now))
        {
            entry = _cache.AddOrUpdate(protocolId, id => Read(_source, id, now), (id, old) => old.FreshAt(now) ? old : Read(_source, id, now));
        }

        return await entry.Read.Value.WaitAsync(cancellationToken);
    }

    // The entry is stored before its read starts (Lazy), so the calls that arrive while it runs share it; the read
    // runs on the pool because SQLite's async methods complete synchronously, and a caller's budget must be able to
    // stop waiting for it.
    private static Entry Read(ILocalEvidenceSource source, string protocolId, DateTimeOffset at) =>
        new(new Lazy<Task<LocalEvidence?>>(() => Task.Run(() => source.LatestAsync(protocolId, CancellationToken.None))), at);

    private sealed record Entry(Lazy<Task<LocalEvidence?>> Read, DateTimeOffset ReadAt)
    {
        /// <summary>Younger than a minute and not failed (a failed read is retried on the next call).</summary>
        public bool FreshAt(DateTimeOffset now) =>
            now - ReadAt < MaxAge && !(Read.IsValueCreated && (Read.Value.IsFaulted || Read.Value.IsCanceled));
    }
}
