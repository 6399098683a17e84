using ImagingValue.Core.Alerts;
using ImagingValue.Core.Storage;
using ImagingValue.Storage.Sqlite;
using Npgsql;
using NpgsqlTypes;
using static ImagingValue.Storage.Postgres.PostgresRows;

namespace ImagingValue.Storage.Postgres;

/// <summary>
/// The workspace's point-of-order tables: alerts, their feedback and the latest local evidence. Thread-safe: each
/// call uses a pooled connection of its own.
/// </summary>
internal sealed class PostgresPointOfOrderStore(PostgresConnections connections) : IAlertLog, ILocalEvidenceStore, ITokenReplayStore
{
    private readonly PurgeSchedule _tokenPurge = new(TimeSpan.FromMinutes(1));

    public async Task<bool> TryRecordTokenAsync(string issuer, string jti, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(jti);
        await using var connection = await connections.OpenAsync(cancellationToken);
        if (_tokenPurge.IsDue(now))
        {
            await ExecuteAsync(connection, "DELETE FROM cds_token_uses WHERE expires_at < @now", cancellationToken, ("now", SqliteRows.Instant(now)));
        }

        // The primary key decides: of two instances recording the same token at once, one inserts, the other waits
        // for it and inserts nothing.
        return await ExecuteAsync(
            connection,
            "INSERT INTO cds_token_uses (issuer, jti, expires_at) VALUES (@issuer, @jti, @expires) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("issuer", issuer),
            ("jti", jti),
            ("expires", SqliteRows.Instant(expiresAt))) == 1;
    }
    public async Task RecordAsync(IReadOnlyList<PointOfOrderAlert> alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        if (alerts.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        // One statement for the batch; a consult id is unique per rating, so a repeat (a retried batch) changes nothing.
        var batch = new NpgsqlBatch(connection);
        await using (batch)
        {
            foreach (var alert in alerts)
            {
                var command = new NpgsqlBatchCommand(
                    "INSERT INTO cds_alerts (consult_id, received_at, service_id, protocol_id, hook, hook_instance, jti, order_reference, rating, card_uuid, provider, department, patient_id, encounter_id, order_identified) " +
                    "VALUES (@consult, @at, @service, @protocol, @hook, @instance, @jti, @order, @rating, @card, @provider, @department, @patient, @encounter, @identified) ON CONFLICT DO NOTHING");
                object?[] values =
                [
                    alert.ConsultId, SqliteRows.Instant(alert.ReceivedAt), alert.ServiceId, alert.ProtocolId, alert.Hook, alert.HookInstance,
                    alert.Jti, alert.OrderReference, alert.Rating, alert.CardUuid, alert.Provider, alert.Department,
                    alert.PatientId, alert.EncounterId,
                ];
                string[] names = ["consult", "at", "service", "protocol", "hook", "instance", "jti", "order", "rating", "card", "provider", "department", "patient", "encounter"];
                for (var i = 0; i < names.Length; i++)
                {
                    command.Parameters.Add(new NpgsqlParameter(names[i], NpgsqlDbType.Text) { Value = values[i] ?? DBNull.Value });
                }

                command.Parameters.Add(new NpgsqlParameter("identified", NpgsqlDbType.Boolean) { Value = alert.OrderIdentified });
                batch.BatchCommands.Add(command);
            }

            // A batch of several statements runs in one implicit transaction: all alerts or none.
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<bool> AddFeedbackAsync(AlertFeedback feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await ExecuteAsync(
            connection,
            "INSERT INTO cds_feedback (service_id, card_uuid, outcome, outcome_at, accepted_suggestions, reason_system, reason_code, user_comment, received_at) " +
            "VALUES (@service, @card, @outcome, @outcomeAt, @accepted, @system, @code, @comment, @at) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("service", feedback.ServiceId),
            ("card", feedback.CardUuid),
            ("outcome", feedback.Outcome),
            ("outcomeAt", SqliteRows.Instant(feedback.OutcomeTimestamp)),
            ("accepted", feedback.AcceptedSuggestions.Count == 0 ? null : string.Join(' ', feedback.AcceptedSuggestions)),
            ("system", feedback.OverrideReasonSystem),
            ("code", feedback.OverrideReasonCode),
            ("comment", feedback.UserComment),
            ("at", SqliteRows.Instant(feedback.ReceivedAt))) == 1;
    }

    public Task<IReadOnlyList<PointOfOrderAlert>> ListAlertsAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync(
            "SELECT consult_id, received_at, service_id, protocol_id, hook, hook_instance, jti, order_reference, rating, card_uuid, provider, department, patient_id, encounter_id, order_identified FROM cds_alerts ORDER BY received_at, alert_seq",
            r => new PointOfOrderAlert(
                r.GetString(0), SqliteRows.InstantOf(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                Text(r, 6), r.GetString(7), r.GetString(8), Text(r, 9), Text(r, 10), Text(r, 11), Text(r, 12), Text(r, 13), r.GetBoolean(14)),
            cancellationToken);

    public async Task<bool> IsCardIssuedAsync(string serviceId, string cardUuid, CancellationToken cancellationToken) =>
        await connections.ReadFirstAsync(
            "SELECT EXISTS (SELECT 1 FROM cds_alerts WHERE card_uuid = @card AND service_id = @service)",
            r => r.GetBoolean(0),
            cancellationToken,
            ("card", cardUuid),
            ("service", serviceId));

    public Task<IReadOnlyList<AlertFeedback>> ListFeedbackAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync(
            "SELECT service_id, card_uuid, outcome, outcome_at, accepted_suggestions, reason_system, reason_code, user_comment, received_at FROM cds_feedback ORDER BY feedback_id",
            r => new AlertFeedback(
                r.GetString(0), r.GetString(1), r.GetString(2), SqliteRows.InstantOf(r.GetString(3)),
                Text(r, 4)?.Split(' ') ?? [], Text(r, 5), Text(r, 6), Text(r, 7), SqliteRows.InstantOf(r.GetString(8))),
            cancellationToken);

    public Task<LocalEvidence?> LatestAsync(string protocolId, CancellationToken cancellationToken) =>
        connections.ReadFirstAsync<LocalEvidence?>(
            "SELECT protocol_id, period_from, period_to, reviewed, major_findings, major_ci95_low, major_ci95_high, management_major, management_minor, charge_per_exam, recorded_at, synthetic " +
            "FROM local_evidence WHERE protocol_id = @protocol ORDER BY evidence_id DESC LIMIT 1",
            r => new LocalEvidence(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.GetDouble(5), r.GetDouble(6), r.GetInt32(7), r.GetInt32(8), r.GetDouble(9), SqliteRows.InstantOf(r.GetString(10)), r.GetBoolean(11)),
            cancellationToken,
            ("protocol", protocolId));

    /// <summary>Keeps <paramref name="evidence"/> unless the newest kept for its protocol has the same figures (an analysis repeated on the same data writes nothing).</summary>
    public async Task<bool> SaveAsync(LocalEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (await LatestAsync(evidence.ProtocolId, cancellationToken) is { } latest
            && latest with { RecordedAt = evidence.RecordedAt } == evidence)
        {
            return false;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await ExecuteAsync(
            connection,
            "INSERT INTO local_evidence (protocol_id, period_from, period_to, reviewed, major_findings, major_ci95_low, major_ci95_high, management_major, management_minor, charge_per_exam, recorded_at, synthetic) " +
            "VALUES (@protocol, @from, @to, @reviewed, @major, @low, @high, @managementMajor, @managementMinor, @charge, @at, @synthetic)",
            cancellationToken,
            ("protocol", evidence.ProtocolId),
            ("from", evidence.From),
            ("to", evidence.To),
            ("reviewed", evidence.Reviewed),
            ("major", evidence.MajorFindings),
            ("low", evidence.MajorCi95Low),
            ("high", evidence.MajorCi95High),
            ("managementMajor", evidence.ManagementMajor),
            ("managementMinor", evidence.ManagementMinor),
            ("charge", evidence.ChargePerExam),
            ("at", SqliteRows.Instant(evidence.RecordedAt)),
            ("synthetic", evidence.Synthetic));
        return true;
    }
}
