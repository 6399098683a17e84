namespace ImagingValue.Core.Alerts;

/// <summary>Keeps alerts and feedback in memory: the service without a workspace, and tests. Thread-safe.</summary>
public sealed class InMemoryAlertLog : IAlertLog
{
    private readonly Lock _gate = new();
    private readonly List<PointOfOrderAlert> _alerts = [];
    private readonly List<AlertFeedback> _feedback = [];
    private readonly HashSet<(string Service, string Card, string Outcome, DateTimeOffset At)> _feedbackKeys = [];

    public Task RecordAsync(IReadOnlyList<PointOfOrderAlert> alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        lock (_gate)
        {
            _alerts.AddRange(alerts);
        }

        return Task.CompletedTask;
    }

    public Task<bool> AddFeedbackAsync(AlertFeedback feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        lock (_gate)
        {
            if (!_feedbackKeys.Add((feedback.ServiceId, feedback.CardUuid, feedback.Outcome, feedback.OutcomeTimestamp)))
            {
                return Task.FromResult(false);
            }

            _feedback.Add(feedback);
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
}
