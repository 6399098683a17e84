namespace ImagingValue.Storage;

/// <summary>
/// Says when expired rows are due to be purged: at most once per interval per process, so a busy service does not
/// add a DELETE to every call; which of several concurrent callers purges does not matter.
/// </summary>
internal sealed class PurgeSchedule(TimeSpan interval)
{
    private long _nextTicks;

    /// <summary>Whether to purge now; true for one caller per interval.</summary>
    public bool IsDue(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextTicks);
        return now.UtcTicks >= next && Interlocked.CompareExchange(ref _nextTicks, (now + interval).UtcTicks, next) == next;
    }
}
