using ImagingValue.Core.Alerts;
using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;
using static ImagingValue.Storage.Sqlite.SqliteRows;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// The workspace's point-of-order tables: alerts, their feedback and the latest local evidence. Thread-safe when the
/// workspace is opened for a service (each call then uses its own pooled connection); there the caller passes
/// connections that wait at most 5 s when another process (an import) holds the write lock.
/// </summary>
internal sealed class SqlitePointOfOrderStore(SqliteConnections connections) : IAlertLog, ILocalEvidenceStore, ITokenReplayStore
{
    private readonly PurgeSchedule _tokenPurge = new(TimeSpan.FromMinutes(1));

    public async Task<bool> TryRecordTokenAsync(string issuer, string jti, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(jti);
        await using var lease = await connections.OpenAsync(cancellationToken);
        var connection = lease.Connection;
        if (_tokenPurge.IsDue(now))
        {
            using var purge = connection.CreateCommand();
            purge.CommandText = "DELETE FROM cds_token_uses WHERE expires_at < $now";
            purge.Parameters.AddWithValue("$now", Instant(now));
            await purge.ExecuteNonQueryAsync(cancellationToken);
        }

        // The primary key decides: of two instances recording the same token at once, one inserts, the other ignores.
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO cds_token_uses (issuer, jti, expires_at) VALUES ($issuer, $jti, $expires)";
        command.Parameters.AddWithValue("$issuer", issuer);
        command.Parameters.AddWithValue("$jti", jti);
        command.Parameters.AddWithValue("$expires", Instant(expiresAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task RecordAsync(IReadOnlyList<PointOfOrderAlert> alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        if (alerts.Count == 0)
        {
            return;
        }

        await using var lease = await connections.OpenAsync(cancellationToken);
        var connection = lease.Connection;
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // A consult id is unique per rating: a repeat (a retried batch) changes nothing.
        command.CommandText = """
            INSERT OR IGNORE INTO cds_alerts (consult_id, received_at, service_id, protocol_id, hook, hook_instance, jti, order_reference, rating, card_uuid, provider, department, patient_id, encounter_id, order_identified)
            VALUES ($consult, $at, $service, $protocol, $hook, $instance, $jti, $order, $rating, $card, $provider, $department, $patient, $encounter, $identified)
            """;
        var parameters = new[] { "$consult", "$at", "$service", "$protocol", "$hook", "$instance", "$jti", "$order", "$rating", "$card", "$provider", "$department", "$patient", "$encounter" }
            .Select(name => command.Parameters.Add(name, SqliteType.Text))
            .Append(command.Parameters.Add("$identified", SqliteType.Integer))
            .ToArray();
        foreach (var alert in alerts)
        {
            object?[] values =
            [
                alert.ConsultId, Instant(alert.ReceivedAt), alert.ServiceId, alert.ProtocolId, alert.Hook, alert.HookInstance,
                alert.Jti, alert.OrderReference, alert.Rating, alert.CardUuid, alert.Provider, alert.Department,
                alert.PatientId, alert.EncounterId, alert.OrderIdentified ? 1 : 0,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        transaction.Commit();
    }

    public async Task<bool> AddFeedbackAsync(AlertFeedback feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        await using var lease = await connections.OpenAsync(cancellationToken);
        var connection = lease.Connection;
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR IGNORE INTO cds_feedback (service_id, card_uuid, outcome, outcome_at, accepted_suggestions, reason_system, reason_code, user_comment, received_at)
            VALUES ($service, $card, $outcome, $outcomeAt, $accepted, $system, $code, $comment, $at)
            """;
        command.Parameters.AddWithValue("$service", feedback.ServiceId);
        command.Parameters.AddWithValue("$card", feedback.CardUuid);
        command.Parameters.AddWithValue("$outcome", feedback.Outcome);
        command.Parameters.AddWithValue("$outcomeAt", Instant(feedback.OutcomeTimestamp));
        command.Parameters.AddWithValue("$accepted", feedback.AcceptedSuggestions.Count == 0 ? DBNull.Value : string.Join(' ', feedback.AcceptedSuggestions));
        command.Parameters.AddWithValue("$system", (object?)feedback.OverrideReasonSystem ?? DBNull.Value);
        command.Parameters.AddWithValue("$code", (object?)feedback.OverrideReasonCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$comment", (object?)feedback.UserComment ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", Instant(feedback.ReceivedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<PointOfOrderAlert>> ListAlertsAsync(CancellationToken cancellationToken)
    {
        await using var lease = await connections.OpenAsync(cancellationToken);
        var connection = lease.Connection;
        return await ReadAlertsAsync(connection, cancellationToken);
    }

    public async Task<bool> IsCardIssuedAsync(string serviceId, string cardUuid, CancellationToken cancellationToken) =>
        await connections.ReadFirstAsync(
            "SELECT EXISTS (SELECT 1 FROM cds_alerts WHERE card_uuid = $card AND service_id = $service)",
            r => r.GetInt64(0) != 0,
            cancellationToken,
            ("$card", cardUuid),
            ("$service", serviceId));

    public async Task<IReadOnlyList<AlertFeedback>> ListFeedbackAsync(CancellationToken cancellationToken)
    {
        await using var lease = await connections.OpenAsync(cancellationToken);
        var connection = lease.Connection;
        return await ReadFeedbackAsync(connection, cancellationToken);
    }

    private static Task<IReadOnlyList<PointOfOrderAlert>> ReadAlertsAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        ReadAllAsync(
            connection,
            "SELECT consult_id, received_at, service_id, protocol_id, hook, hook_instance, jti, order_reference, rating, card_uuid, provider, department, patient_id, encounter_id, order_identified FROM cds_alerts ORDER BY received_at, rowid",
            r => new PointOfOrderAlert(
                r.GetString(0), InstantOf(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                Text(r, 6), r.GetString(7), r.GetString(8), Text(r, 9), Text(r, 10), Text(r, 11), Text(r, 12), Text(r, 13), r.GetInt64(14) != 0),
            cancellationToken);

    private static Task<IReadOnlyList<AlertFeedback>> ReadFeedbackAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        ReadAllAsync(
            connection,
            "SELECT service_id, card_uuid, outcome, outcome_at, accepted_suggestions, reason_system, reason_code, user_comment, received_at FROM cds_feedback ORDER BY feedback_id",
            r => new AlertFeedback(
                r.GetString(0), r.GetString(1), r.GetString(2), InstantOf(r.GetString(3)),
                Text(r, 4)?.Split(' ') ?? [], Text(r, 5), Text(r, 6), Text(r, 7), InstantOf(r.GetString(8))),
            cancellationToken);

    public async Task<LocalEvidence?> LatestAsync(string protocolId, CancellationToken cancellationToken)
    {
        await using var lease = await connections.OpenAsync(cancellationToken);
        return await ReadLatestEvidenceAsync(lease.Connection, protocolId, cancellationToken);
    }

    public async Task<bool> SaveAsync(LocalEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        await using var lease = await connections.OpenAsync(cancellationToken);
        return await SaveEvidenceAsync(lease.Connection, evidence, cancellationToken);
    }

    private static async Task<LocalEvidence?> ReadLatestEvidenceAsync(SqliteConnection connection, string protocolId, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT protocol_id, period_from, period_to, reviewed, major_findings, major_ci95_low, major_ci95_high, management_major, management_minor, charge_per_exam, recorded_at, synthetic
            FROM local_evidence WHERE protocol_id = $protocol ORDER BY evidence_id DESC LIMIT 1
            """;
        command.Parameters.AddWithValue("$protocol", protocolId);
        using var r = await command.ExecuteReaderAsync(cancellationToken);
        return r.Read()
            ? new LocalEvidence(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.GetDouble(5), r.GetDouble(6), r.GetInt32(7), r.GetInt32(8), r.GetDouble(9), InstantOf(r.GetString(10)), r.GetInt64(11) == 1)
            : null;
    }

    /// <summary>Keeps <paramref name="evidence"/> unless the newest kept for its protocol has the same figures (an analysis repeated on the same data writes nothing).</summary>
    private static async Task<bool> SaveEvidenceAsync(SqliteConnection connection, LocalEvidence evidence, CancellationToken cancellationToken)
    {
        if (await ReadLatestEvidenceAsync(connection, evidence.ProtocolId, cancellationToken) is { } latest
            && latest with { RecordedAt = evidence.RecordedAt } == evidence)
        {
            return false;
        }

        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO local_evidence (protocol_id, period_from, period_to, reviewed, major_findings, major_ci95_low, major_ci95_high, management_major, management_minor, charge_per_exam, recorded_at, synthetic)
            VALUES ($protocol, $from, $to, $reviewed, $major, $low, $high, $managementMajor, $managementMinor, $charge, $at, $synthetic)
            """;
        command.Parameters.AddWithValue("$protocol", evidence.ProtocolId);
        command.Parameters.AddWithValue("$from", evidence.From);
        command.Parameters.AddWithValue("$to", evidence.To);
        command.Parameters.AddWithValue("$reviewed", evidence.Reviewed);
        command.Parameters.AddWithValue("$major", evidence.MajorFindings);
        command.Parameters.AddWithValue("$low", evidence.MajorCi95Low);
        command.Parameters.AddWithValue("$high", evidence.MajorCi95High);
        command.Parameters.AddWithValue("$managementMajor", evidence.ManagementMajor);
        command.Parameters.AddWithValue("$managementMinor", evidence.ManagementMinor);
        command.Parameters.AddWithValue("$charge", evidence.ChargePerExam);
        command.Parameters.AddWithValue("$at", Instant(evidence.RecordedAt));
        command.Parameters.AddWithValue("$synthetic", evidence.Synthetic ? 1 : 0);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }
}
