using System.Threading.Channels;
using ImagingValue.Core.Alerts;
using ImagingValue.Core.Text;
using ImagingValue.Storage;

namespace ImagingValue.Web.Cds;

/// <summary>
/// Writes point-of-order alerts to the alert log off the request path: the clinician's answer never waits for a disk
/// write, and a burst of calls is stored in one transaction. Pending alerts are written when the host stops.
/// When the database is away (<see cref="DatabaseFaults.Unavailable"/>), the batch is kept and tried again every
/// <see cref="RetryEvery"/>, and <see cref="CanRecord"/> is false until a try succeeds: the hook then answers with no
/// cards, so no card is shown whose alert cannot be stored. Cards shown before the first failure are stored on recovery.
/// A SQLite workspace still locked by another writer after the timeout is kept and tried again the same way, but cards go
/// on: the database is there, and the alerts wait in memory for the lock.
/// </summary>
public sealed partial class AlertRecorder : BackgroundService
{
    private const int BatchSize = 256;

    /// <summary>How often a batch the database refused because it was away is tried again: the probe for its return.</summary>
    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    private readonly Channel<PointOfOrderAlert> _queue = Channel.CreateUnbounded<PointOfOrderAlert>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IAlertLog _log;
    private readonly ILogger<AlertRecorder> _logger;
    private long _pending;
    private volatile bool _databaseAway;

    public AlertRecorder(IAlertLog log, ILogger<AlertRecorder> logger)
    {
        _log = log;
        _logger = logger;
    }

    /// <summary>
    /// False from a write the database refused because it was away until a retry succeeds: alerts given now could
    /// not be stored, so a hook call answers with no cards (fail open).
    /// </summary>
    public bool CanRecord => !_databaseAway;

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

            await WriteAsync(batch, stoppingToken);
            Interlocked.Add(ref _pending, -batch.Count);
            batch.Clear();
        }
    }

    /// <summary>
    /// Writes one batch; while the database is away, tries again until it is back or the host stops. Writing twice
    /// is harmless: a consult id is stored once.
    /// </summary>
    private async Task WriteAsync(List<PointOfOrderAlert> batch, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _log.RecordAsync(batch, CancellationToken.None);
                if (_databaseAway)
                {
                    _databaseAway = false;
                    LogDatabaseBack(_logger, batch.Count, attempt);
                }

                return;
            }
            catch (Exception ex) when (DatabaseFaults.Unavailable(ex) is not null)
            {
                // A SQLite workspace locked by another writer (an import) is there and will take the alerts when the
                // lock is released: kept and tried again, and cards go on. Only a database that is away stops them.
                if (DatabaseFaults.IsBusy(ex))
                {
                    if (attempt == 1)
                    {
                        LogDatabaseBusy(_logger, batch.Count);
                    }
                }
                else if (!_databaseAway)
                {
                    _databaseAway = true;
                    LogDatabaseAway(_logger, batch.Count, ex.GetType().FullName ?? "?");
                }

                try
                {
                    await Task.Delay(RetryEvery, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    LogWriteFailed(_logger, batch.Count, ex.GetType().FullName ?? "?");
                    return;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Not the database being away: trying again would fail alike. The type only: messages may quote
                // values. The alerts were shown; only their record is lost.
                LogWriteFailed(_logger, batch.Count, ex.GetType().FullName ?? "?");
                return;
            }
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "{Count} point-of-order alerts not stored ({ExceptionType})")]
    private static partial void LogWriteFailed(ILogger logger, int count, LogValue exceptionType);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "The alert log's database is away ({ExceptionType}): {Count} point-of-order alerts kept to be written when it is back; hook calls answer with no cards until then")]
    private static partial void LogDatabaseAway(ILogger logger, int count, LogValue exceptionType);

    [LoggerMessage(EventId = 24, Level = LogLevel.Warning, Message = "The alert log's database is locked by another writer: {Count} point-of-order alerts kept, tried again every second")]
    private static partial void LogDatabaseBusy(ILogger logger, int count);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "The alert log's database is back: {Count} kept point-of-order alerts written at try {Attempt}; hook calls give cards again")]
    private static partial void LogDatabaseBack(ILogger logger, int count, int attempt);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "1 point-of-order alert of {ServiceId} hookInstance {HookInstance} not stored: the host is stopping")]
    private static partial void LogNotStored(ILogger logger, LogValue serviceId, LogValue hookInstance);
}
