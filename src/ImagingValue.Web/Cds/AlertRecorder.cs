using System.Threading.Channels;
using ImagingValue.Core.Alerts;
using ImagingValue.Core.Text;

namespace ImagingValue.Web.Cds;

/// <summary>
/// Writes point-of-order alerts to the alert log off the request path: the clinician's answer never waits for a disk
/// write, and a burst of calls is stored in one transaction. Pending alerts are written when the host stops.
/// </summary>
public sealed partial class AlertRecorder : BackgroundService
{
    private const int BatchSize = 256;

    private readonly Channel<PointOfOrderAlert> _queue = Channel.CreateUnbounded<PointOfOrderAlert>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IAlertLog _log;
    private readonly ILogger<AlertRecorder> _logger;
    private long _pending;

    public AlertRecorder(IAlertLog log, ILogger<AlertRecorder> logger)
    {
        _log = log;
        _logger = logger;
    }

    /// <summary>Queues the rated orders of one call.</summary>
    public void Enqueue(IEnumerable<PointOfOrderAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        foreach (var alert in alerts)
        {
            // An unbounded channel only refuses after completion (host stopping): that alert is then logged as lost.
            Interlocked.Increment(ref _pending);
            if (!_queue.Writer.TryWrite(alert))
            {
                Interlocked.Decrement(ref _pending);
                LogNotStored(_logger, alert.ServiceId, alert.HookInstance);
            }
        }
    }

    /// <summary>Waits until every alert queued so far is written (tests, shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (Interlocked.Read(ref _pending) > 0)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PointOfOrderAlert>(BatchSize);
        // Drains to the end even when stopping: completion, not the token, ends the loop.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var alert))
            {
                batch.Add(alert);
            }

            try
            {
                await _log.RecordAsync(batch, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The type only: messages may quote values. The alerts were shown; only their record is lost.
                LogWriteFailed(_logger, batch.Count, ex.GetType().FullName ?? "?");
            }

            Interlocked.Add(ref _pending, -batch.Count);
            batch.Clear();
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "{Count} point-of-order alerts not stored ({ExceptionType})")]
    private static partial void LogWriteFailed(ILogger logger, int count, LogValue exceptionType);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "1 point-of-order alert of {ServiceId} hookInstance {HookInstance} not stored: the host is stopping")]
    private static partial void LogNotStored(ILogger logger, LogValue serviceId, LogValue hookInstance);
}
