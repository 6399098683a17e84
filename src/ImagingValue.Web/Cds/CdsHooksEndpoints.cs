using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImagingValue.Cds.Fhir;
using ImagingValue.Cds.Services;
using ImagingValue.Cds.Wire;
using ImagingValue.Core.Alerts;
using ImagingValue.Core.Text;

namespace ImagingValue.Web.Cds;

/// <summary>
/// CDS Hooks 2.0.1 endpoints (contracts §4): discovery, the order hooks and feedback. Errors carry a FHIR
/// OperationOutcome; an internal error or a slow evaluation answers 200 with no cards (fail open) and is logged
/// with identifiers only (no PHI, never a token).
/// </summary>
public static partial class CdsHooksEndpoints
{
    private const string FhirJson = "application/fhir+json";

    /// <summary>How long a feedback call waits for queued alerts to be written before it calls a card unknown.</summary>
    private static readonly TimeSpan RecorderWait = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapCdsHooksEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/cds-services").RequireCors(CdsHooks.CorsPolicy);
        group.MapGet("/", Discovery).WithName("CdsDiscovery").WithSummary("Lists the CDS services, one per protocol and hook.");
        group.MapPost("/{id}", CallService).WithName("CdsService").WithSummary("Evaluates the hook's draft orders.");
        group.MapPost("/{id}/feedback", Feedback).WithName("CdsFeedback").WithSummary("Records card outcomes (accepted, overridden).");
        return routes;
    }

    private static IResult Discovery(CdsServiceCatalog catalog) => Results.Json(catalog.Discovery, CdsJson.Options);

    private static async Task<IResult> CallService(
        string id,
        HttpRequest http,
        CdsServiceCatalog catalog,
        CdsRequestAuthorizer authorizer,
        CdsSettings settings,
        FhirServerPolicy fhirPolicy,
        FhirConditionFetcher fetcher,
        LocalEvidenceCache evidenceCache,
        AlertRecorder recorder,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        // One deadline for the whole call, from its start: fetching missing prefetch, reading the local evidence and
        // evaluating share it, so a slow step leaves the next one less time instead of adding its own. Real time, not
        // the injected clock: that clock dates the data (tests freeze it), the deadline is how long the clinician waits.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Deadline);
        bool authorized;
        try
        {
            // Within the deadline: a database that does not answer (gone, restarting) leaves the order without cards, in time.
            authorized = await authorizer.IsAuthorizedAsync(http, deadline.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The workspace could not say whether the token was used before (a valid signature, so the caller is the
            // EHR), or not before the deadline: no cards, as when the evaluation's storage fails; the exception's type only.
            LogReplayCheckFailed(loggers.CreateLogger(typeof(CdsHooksEndpoints).FullName!), id, ex.GetType().FullName ?? "?");
            return Results.Json(CdsResponse.Empty, CdsJson.Options);
        }

        if (!authorized)
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        if (!catalog.TryGet(id, out var service, out var hook))
        {
            return Outcome(StatusCodes.Status404NotFound, "not-found", $"No CDS service '{id}'.");
        }

        if (await ReadBodyAsync(http, settings.MaxRequestBodyBytes, cancellationToken) is not { } body)
        {
            return TooLarge(settings);
        }

        var read = HookRequestReader.Read(body, hook);
        if (read.Request is not { } request)
        {
            return Outcome(StatusCodes.Status400BadRequest, "invalid", read.Error!);
        }

        var log = loggers.CreateLogger(typeof(CdsHooksEndpoints).FullName!);
        if (!recorder.CanRecord)
        {
            // The alert log's database is away: a card given now could not be stored, so it could get no feedback
            // and monitor would not count it. No cards, as when the token's use cannot be recorded.
            LogAlertLogAway(log, id, request.HookInstance);
            return Results.Json(CdsResponse.Empty, CdsJson.Options);
        }

        CdsEvaluation evaluation;
        Task<CdsEvaluation>? evaluating = null;
        try
        {
            if (request.FhirServer is { } fhirServer && request.PatientId is { } patientId && service.NeedsConditions(request))
            {
                // Decided before any network call, so the answer tells nothing about the network behind it.
                var issuer = http.HttpContext.Items[CdsRequestAuthorizer.IssuerItem] as string;
                if (fhirPolicy.Allow(fhirServer, issuer, out var refused) is not { } root)
                {
                    LogFetchRefused(log, id, request.HookInstance, refused!);
                    return Outcome(StatusCodes.Status412PreconditionFailed, "incomplete",
                        "The patient's conditions were not prefetched, and this service does not fetch from that FHIR server.");
                }

                // A request with complete prefetch never gets here: only missing data is fetched, within the deadline.
                // Every failure answers alike (no cards, fail open); what went wrong is in the log only.
                var fetched = await fetcher.FetchAsync(root, patientId, request.FhirAccessToken, deadline.Token);
                if (fetched.Status != FetchStatus.Ok)
                {
                    LogFetchFailed(log, id, request.HookInstance, fetched.Problem ?? "?");
                    return Results.Json(CdsResponse.Empty, CdsJson.Options);
                }

                request = request with { ConditionsState = PrefetchState.Present, Conditions = fetched.Conditions };
            }

            var evidence = await evidenceCache.GetAsync(service.Protocol.Id, deadline.Token);
            // The deadline stops the evaluation itself (it checks between orders and sentences), and the call stops
            // waiting at the deadline, so the answer never waits for the evaluation to notice. The token is read here:
            // the source is disposed when the call returns, possibly before the evaluation has started.
            var stop = deadline.Token;
            evaluating = Task.Run(() => service.Evaluate(request, evidence, stop), stop);
            evaluation = await evaluating.WaitAsync(stop);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogOverBudget(log, id, request.HookInstance, settings.Deadline.TotalMilliseconds);
            // Also when it has already ended (it may notice the deadline between the wait's end and here): then the
            // line is logged at once, so every abandoned evaluation says how it ended.
            if (evaluating is not null)
            {
                LogWhenStopped(log, id, request.HookInstance, evaluating);
            }

            return Results.Json(CdsResponse.Empty, CdsJson.Options);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception's type only: messages may quote the request.
            LogEvaluationFailed(log, id, request.HookInstance, ex.GetType().FullName ?? "?");
            return Results.Json(CdsResponse.Empty, CdsJson.Options);
        }

        switch (evaluation.Outcome)
        {
            case CdsOutcome.PreconditionFailed:
                LogPreconditionFailed(log, id, request.HookInstance);
                return Outcome(StatusCodes.Status412PreconditionFailed, "incomplete", evaluation.Message!);
            case CdsOutcome.FhirServerNotQueried:
                LogFhirServerNotQueried(log, id, request.HookInstance);
                return Results.Json(CdsResponse.Empty, CdsJson.Options);
            default:
                var answer = JsonSerializer.SerializeToUtf8Bytes(evaluation.Response, CdsJson.Options);
                if (answer.LongLength > settings.MaxResponseBytes)
                {
                    // Not sent, so not recorded either: no card of it can get feedback.
                    LogResponseTooLarge(log, id, request.HookInstance, answer.LongLength, settings.MaxResponseBytes);
                    return Results.Json(CdsResponse.Empty, CdsJson.Options);
                }

                var jti = http.HttpContext.Items[CdsRequestAuthorizer.JtiItem] as string;
                if (log.IsEnabled(LogLevel.Information))
                {
                    // The audit trail (docs/cds-service.md): hookInstance, the token's jti and each rating's consult id.
                    var ratings = LogValue.Join(",", evaluation.Rated.Select(r => $"{LogValue.Clean(r.Reference)}={r.Rating} consult urn:uuid:{r.ConsultId}"));
                    LogAdvised(log, id, request.HookInstance, jti ?? "-", request.Orders.Count, evaluation.Response.Cards.Count, ratings);
                }

                var at = time.GetUtcNow();
                recorder.Enqueue(evaluation.Rated.Select(r => new PointOfOrderAlert(
                    r.ConsultId, at, id, service.Protocol.Id, hook, request.HookInstance, jti, r.Reference, r.Rating, r.CardUuid, r.Provider, Department: null,
                    request.PatientId, request.EncounterId, r.Identified)));

                return Results.Bytes(answer, "application/json; charset=utf-8");
        }
    }

    /// <summary>
    /// Logs, once an evaluation abandoned at the deadline ends, how long after the answer it ran and how it ended:
    /// "cancelled" is the expected end; "ran to completion" would mean work the deadline did not stop.
    /// </summary>
    private static void LogWhenStopped(ILogger log, string id, string hookInstance, Task evaluating)
    {
        var answeredAt = Stopwatch.GetTimestamp();
        _ = evaluating.ContinueWith(
            ended =>
            {
                var afterMs = Stopwatch.GetElapsedTime(answeredAt).TotalMilliseconds;
                var how = ended.Status switch
                {
                    TaskStatus.Canceled => "cancelled",
                    TaskStatus.RanToCompletion => "ran to completion",
                    _ => $"failed ({ended.Exception?.InnerException?.GetType().FullName ?? "?"})",
                };
                LogEvaluationStopped(log, id, hookInstance, afterMs, how);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static async Task<IResult> Feedback(
        string id,
        HttpRequest http,
        CdsServiceCatalog catalog,
        CdsRequestAuthorizer authorizer,
        IAlertLog store,
        AlertRecorder recorder,
        CdsSettings settings,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!await authorizer.IsAuthorizedAsync(http, cancellationToken))
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        if (!catalog.Contains(id))
        {
            return Outcome(StatusCodes.Status404NotFound, "not-found", $"No CDS service '{id}'.");
        }

        if (await ReadBodyAsync(http, settings.MaxRequestBodyBytes, cancellationToken) is not { } body)
        {
            return TooLarge(settings);
        }

        var read = FeedbackReader.Read(body, id, time.GetUtcNow());
        if (read.Records is not { } records)
        {
            return Outcome(StatusCodes.Status400BadRequest, "invalid", read.Error!);
        }

        // Feedback is kept only for cards this service gave; one unknown card refuses the whole body, nothing stored.
        foreach (var card in records.Select(r => r.CardUuid).Distinct(StringComparer.Ordinal))
        {
            if (!await IsCardIssuedAsync(store, recorder, id, card, cancellationToken))
            {
                return Outcome(StatusCodes.Status400BadRequest, "not-found", $"Card '{card}' was not issued by CDS service '{id}'.");
            }
        }

        var log = loggers.CreateLogger(typeof(CdsHooksEndpoints).FullName!);
        foreach (var record in records)
        {
            var added = await store.AddFeedbackAsync(record, cancellationToken);
            LogFeedback(log, id, record.CardUuid, record.Outcome, record.OverrideReasonCode ?? "-", !added);
        }

        return Results.Ok();
    }

    /// <summary>
    /// Whether the alert log holds <paramref name="card"/> from service <paramref name="id"/>. Alerts are written in
    /// the background, so a card answered a moment ago may still be queued: then the check waits (at most
    /// <see cref="RecorderWait"/>) for the queue to be written and looks again.
    /// </summary>
    private static async Task<bool> IsCardIssuedAsync(IAlertLog store, AlertRecorder recorder, string id, string card, CancellationToken cancellationToken)
    {
        if (await store.IsCardIssuedAsync(id, card, cancellationToken))
        {
            return true;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(RecorderWait);
        try
        {
            await recorder.FlushAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Still queued after the wait: look at what is written.
        }

        return await store.IsCardIssuedAsync(id, card, cancellationToken);
    }

    /// <summary>
    /// The body as text, or null when it is over <paramref name="maxBytes"/>. Kestrel enforces the same limit on the
    /// socket; this check also holds behind other servers and for chunked bodies without a length.
    /// </summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest http, long maxBytes, CancellationToken cancellationToken)
    {
        if (http.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static IResult TooLarge(CdsSettings settings) =>
        Outcome(StatusCodes.Status413PayloadTooLarge, "too-long", $"The request body is over the {settings.MaxRequestBodyBytes:#,0}-byte limit.");

    /// <summary>An error with a FHIR OperationOutcome body (CDS Hooks 3.0 advice, harmless in 2.0).</summary>
    private static IResult Outcome(int status, string code, string diagnostics)
    {
        var outcome = new JsonObject
        {
            ["resourceType"] = "OperationOutcome",
            ["issue"] = new JsonArray(new JsonObject { ["severity"] = "error", ["code"] = code, ["diagnostics"] = diagnostics }),
        };
        return Results.Text(outcome.ToJsonString(), FhirJson, statusCode: status);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "CDS {ServiceId} hookInstance {HookInstance} jti {Jti}: {Orders} orders evaluated, {Cards} cards, ratings [{Ratings}]")]
    private static partial void LogAdvised(ILogger logger, LogValue serviceId, LogValue hookInstance, LogValue jti, int orders, int cards, LogValue ratings);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "CDS {ServiceId} hookInstance {HookInstance}: evaluation failed ({ExceptionType}); answered with no cards")]
    private static partial void LogEvaluationFailed(ILogger logger, LogValue serviceId, LogValue hookInstance, LogValue exceptionType);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "CDS {ServiceId} hookInstance {HookInstance}: over the {BudgetMs} ms budget; answered with no cards")]
    private static partial void LogOverBudget(ILogger logger, LogValue serviceId, LogValue hookInstance, double budgetMs);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "CDS {ServiceId} hookInstance {HookInstance}: the evaluation stopped {AfterMs:F0} ms after the answer ({How})")]
    private static partial void LogEvaluationStopped(ILogger logger, LogValue serviceId, LogValue hookInstance, double afterMs, LogValue how);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "CDS {ServiceId} hookInstance {HookInstance}: conditions prefetch missing and no fhirServer; 412")]
    private static partial void LogPreconditionFailed(ILogger logger, LogValue serviceId, LogValue hookInstance);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "CDS {ServiceId} hookInstance {HookInstance}: conditions prefetch missing and fhirServer not queried; answered with no cards")]
    private static partial void LogFhirServerNotQueried(ILogger logger, LogValue serviceId, LogValue hookInstance);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "CDS {ServiceId} hookInstance {HookInstance}: conditions not prefetched and not fetched from fhirServer: {Problem}")]
    private static partial void LogFetchFailed(ILogger logger, LogValue serviceId, LogValue hookInstance, LogValue problem);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "CDS {ServiceId} hookInstance {HookInstance}: conditions not prefetched; fhirServer refused: {Problem}")]
    private static partial void LogFetchRefused(ILogger logger, LogValue serviceId, LogValue hookInstance, LogValue problem);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "CDS {ServiceId} hookInstance {HookInstance}: the answer of {Bytes} bytes is over the {MaxBytes}-byte limit; answered with no cards")]
    private static partial void LogResponseTooLarge(ILogger logger, LogValue serviceId, LogValue hookInstance, long bytes, long maxBytes);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "CDS {ServiceId} hookInstance {HookInstance}: the alert log's database is away; answered with no cards")]
    private static partial void LogAlertLogAway(ILogger logger, LogValue serviceId, LogValue hookInstance);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "CDS {ServiceId}: the token's use could not be recorded in the workspace ({ExceptionType}); answered with no cards")]
    private static partial void LogReplayCheckFailed(ILogger logger, LogValue serviceId, LogValue exceptionType);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "CDS {ServiceId} feedback: card {CardUuid} {Outcome} reason {ReasonCode} (repeat: {Repeat})")]
    private static partial void LogFeedback(ILogger logger, LogValue serviceId, LogValue cardUuid, LogValue outcome, LogValue reasonCode, bool repeat);
}
