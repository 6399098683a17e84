namespace ImagingValue.Cds.Feedback;

/// <summary>Keeps feedback in memory until the alert storage is wired. Thread-safe.</summary>
public sealed class InMemoryCdsFeedbackStore : ICdsFeedbackStore
{
    private readonly Lock _gate = new();
    private readonly List<CdsFeedbackRecord> _records = [];
    private readonly HashSet<(string Service, string Card, string Outcome, DateTimeOffset At)> _keys = [];

    public Task<bool> AddAsync(CdsFeedbackRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (!_keys.Add((record.ServiceId, record.CardUuid, record.Outcome, record.OutcomeTimestamp)))
            {
                return Task.FromResult(false);
            }

            _records.Add(record);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<CdsFeedbackRecord>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CdsFeedbackRecord>>([.. _records]);
        }
    }
}
