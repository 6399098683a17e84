namespace ImagingValue.Core.Alerts;

/// <summary>
/// Keeps the latest alerts and feedback in memory: the service without a workspace, and tests. Bounded, so a service
/// left running without a workspace does not grow without end: past <see cref="Capacity"/> the oldest entries go
/// (and a repeat of feedback that old would be stored again). Thread-safe.
/// </summary>
public sealed class InMemoryAlertLog : IAlertLog
{
    private readonly Lock _gate = new();
    private readonly Queue<PointOfOrderAlert> _alerts = new();
    private readonly Queue<AlertFeedback> _feedback = new();
    private readonly HashSet<(string Service, string Card, string Outcome, DateTimeOffset At)> _feedbackKeys = [];

    /// <param name="capacity">How many alerts, and how many feedback entries, are kept. <value>Default 10,000.</value></param>
    public InMemoryAlertLog(int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>How many alerts, and how many feedback entries, are kept.</summary>
    public int Capacity { get; }

    public Task RecordAsync(IReadOnlyList<PointOfOrderAlert> alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        lock (_gate)
        {
            foreach (var alert in alerts)
            {
                _alerts.Enqueue(alert);
                if (_alerts.Count > Capacity)
                {
                    _alerts.Dequeue();
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> IsCardIssuedAsync(string serviceId, string cardUuid, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_alerts.Any(a => a.CardUuid == cardUuid && a.ServiceId == serviceId));
        }
    }

    public Task<bool> AddFeedbackAsync(AlertFeedback feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        lock (_gate)
        {
            if (!_feedbackKeys.Add(KeyOf(feedback)))
            {
                return Task.FromResult(false);
            }

            _feedback.Enqueue(feedback);
            if (_feedback.Count > Capacity)
            {
                _feedbackKeys.Remove(KeyOf(_feedback.Dequeue()));
            }

            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<PointOfOrderAlert>> ListAlertsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<PointOfOrderAlert>>([.. _alerts]);
        }
    }

    public Task<IReadOnlyList<AlertFeedback>> ListFeedbackAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AlertFeedback>>([.. _feedback]);
        }
    }

    private static (string, string, string, DateTimeOffset) KeyOf(AlertFeedback f) => (f.ServiceId, f.CardUuid, f.Outcome, f.OutcomeTimestamp);
}
