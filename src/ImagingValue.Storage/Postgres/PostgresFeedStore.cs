using System.Globalization;
using System.IO.Hashing;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using ImagingValue.Storage.Sqlite;
using Npgsql;
using static ImagingValue.Storage.Postgres.PostgresRows;

namespace ImagingValue.Storage.Postgres;

/// <summary>
/// Feed messages in the workspace database. Each message is one transaction that records it as an import (kind
/// <c>hl7</c>), merges its orders into the stored ones (each read <c>FOR UPDATE</c>, so two listeners cannot merge
/// into the same order at once), upserts its reports and keeps its bytes.
/// </summary>
internal sealed class PostgresFeedStore(PostgresConnections connections) : IFeedStore
{
    private static readonly string _orderColumns = string.Join(", ", CanonicalTable.Orders.Columns.Select(c => c.Name));
    private static readonly string _orderUpsert = UpsertSql(CanonicalTable.Orders, withProvisional: true);
    private static readonly string _reportUpsert = UpsertSql(CanonicalTable.Reports, withProvisional: false);

    private enum RowChange
    {
        Inserted,
        Updated,
        Unchanged,
    }

    public async Task<FeedOutcome> ApplyAsync(FeedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One sender's control id at a time: a resent message waits for the first to commit, then finds it stored.
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtextextended('feed:' || @sender || '|' || @id, 0))", cancellationToken, ("sender", message.Sender), ("id", message.ControlId));
        if (await ScalarAsync(connection, "SELECT COUNT(*) FROM feed_messages WHERE sender = @sender AND control_id = @id AND outcome = 'stored'", cancellationToken, ("sender", message.Sender), ("id", message.ControlId)) > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return FeedOutcome.Duplicate;
        }

        var importId = await ScalarAsync(
            connection,
            "INSERT INTO imports (kind, source, started_at, rows_staged, inserted, updated, unchanged, rows_rejected) VALUES ('hl7', @source, @at, @rows, 0, 0, 0, 0) RETURNING import_id",
            cancellationToken,
            ("source", $"{message.Sender} {message.MessageType} {message.ControlId}"),
            ("at", SqliteRows.Instant(message.ReceivedAt)),
            ("rows", (long)(message.Orders.Count + message.Reports.Count)));
        var hash = new XxHash64();
        var changes = new List<RowChange>(message.Orders.Count + message.Reports.Count);
        foreach (var update in message.Orders)
        {
            changes.Add(await MergeOrderAsync(connection, update, importId, hash, cancellationToken));
        }

        foreach (var report in message.Reports)
        {
            changes.Add(await UpsertReportAsync(connection, report, importId, hash, cancellationToken));
        }

        var counts = changes.CountBy(c => c).ToDictionary();
        await ExecuteAsync(
            connection,
            "UPDATE imports SET inserted = @i, updated = @u, unchanged = @n WHERE import_id = @id",
            cancellationToken,
            ("i", (long)counts.GetValueOrDefault(RowChange.Inserted)),
            ("u", (long)counts.GetValueOrDefault(RowChange.Updated)),
            ("n", (long)counts.GetValueOrDefault(RowChange.Unchanged)),
            ("id", importId));
        await ExecuteAsync(connection, "DELETE FROM feed_messages WHERE sender = @sender AND control_id = @id AND outcome = 'refused'", cancellationToken, ("sender", message.Sender), ("id", message.ControlId));
        await ExecuteAsync(
            connection,
            "INSERT INTO feed_messages (sender, control_id, message_type, received_at, outcome, raw, import_id) VALUES (@sender, @id, @type, @at, 'stored', @raw, @import)",
            cancellationToken,
            ("sender", message.Sender),
            ("id", message.ControlId),
            ("type", message.MessageType),
            ("at", SqliteRows.Instant(message.ReceivedAt)),
            ("raw", message.Raw.ToArray()),
            ("import", importId));
        await transaction.CommitAsync(cancellationToken);
        return FeedOutcome.Stored;
    }

    private static async Task<RowChange> MergeOrderAsync(NpgsqlConnection connection, OrderUpdate update, long importId, XxHash64 hash, CancellationToken cancellationToken)
    {
        var key = update.OrderId;
        Dictionary<string, string>? stored = null;
        HashSet<string>? storedProvisional = null;
        long? storedHash = null;
        await using (var read = Parameterised(connection, $"SELECT {_orderColumns}, provisional, row_hash FROM orders WHERE row_key = @key FOR UPDATE", [("key", key)]))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                stored = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < CanonicalTable.Orders.Columns.Count; i++)
                {
                    if (!reader.IsDBNull(i))
                    {
                        stored[CanonicalTable.Orders.Columns[i].Name] = reader.GetString(i);
                    }
                }

                var count = CanonicalTable.Orders.Columns.Count;
                storedProvisional = reader.IsDBNull(count) ? [] : [.. reader.GetString(count).Split(';')];
                storedHash = reader.GetInt64(count + 1);
            }
        }

        var (values, provisional) = update.ApplyTo(stored, storedProvisional);
        var row = CanonicalTable.Orders.Columns.Select(c => values.GetValueOrDefault(c.Name)).ToList();
        var rowHash = RowHashes.Of(hash, row, null);
        if (storedHash == rowHash && provisional.SetEquals(storedProvisional ?? []))
        {
            return RowChange.Unchanged;
        }

        await UpsertAsync(connection, CanonicalTable.Orders, key, row, rowHash, importId, provisional.Count == 0 ? null : string.Join(';', provisional.Order(StringComparer.Ordinal)), cancellationToken);
        return stored is null ? RowChange.Inserted : RowChange.Updated;
    }

    private static async Task<RowChange> UpsertReportAsync(NpgsqlConnection connection, IReadOnlyList<string?> report, long importId, XxHash64 hash, CancellationToken cancellationToken)
    {
        var key = CanonicalTable.Reports.KeyOf(report) ?? throw new ArgumentException("A report needs an order id or an accession.", nameof(report));
        var rowHash = RowHashes.Of(hash, report, null);
        var stored = await ReadAllAsync(connection, "SELECT row_hash FROM reports WHERE row_key = @key FOR UPDATE", r => r.GetInt64(0), cancellationToken, ("key", key));
        if (stored.Count == 1 && stored[0] == rowHash)
        {
            return RowChange.Unchanged;
        }

        await UpsertAsync(connection, CanonicalTable.Reports, key, report, rowHash, importId, null, cancellationToken);
        return stored.Count == 0 ? RowChange.Inserted : RowChange.Updated;
    }

    // Built once per table: the statement every message's rows go through.
    private static string UpsertSql(CanonicalTable table, bool withProvisional)
    {
        var columns = table.Columns.Select(c => c.Name).ToList();
        var provisional = withProvisional ? ", provisional" : "";
        return $"INSERT INTO {table.Name} (row_key, {string.Join(", ", columns)}, extra, row_hash, import_id{provisional}) " +
            $"VALUES (@key, {string.Join(", ", columns.Select((_, i) => "@c" + i))}, NULL, @hash, @import{(withProvisional ? ", @provisional" : "")}) " +
            $"ON CONFLICT (row_key) DO UPDATE SET {string.Join(", ", columns.Select(c => $"{c} = excluded.{c}"))}, " +
            $"row_hash = excluded.row_hash, import_id = excluded.import_id{(withProvisional ? ", provisional = excluded.provisional" : "")}";
    }

    /// <summary>Inserts or replaces one canonical row by key; orders also carry their provisional columns.</summary>
    private static async Task UpsertAsync(NpgsqlConnection connection, CanonicalTable table, string key, IReadOnlyList<string?> row, long rowHash, long importId, string? provisional, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, object?)> { ("key", key), ("hash", rowHash), ("import", importId) };
        parameters.AddRange(row.Select((value, i) => ("c" + i.ToString(CultureInfo.InvariantCulture), (object?)value)));
        if (table == CanonicalTable.Orders)
        {
            parameters.Add(("provisional", provisional));
        }

        await ExecuteAsync(connection, table == CanonicalTable.Orders ? _orderUpsert : _reportUpsert, cancellationToken, [.. parameters]);
    }

    public async Task RecordRefusedAsync(string sender, string controlId, string messageType, DateTimeOffset receivedAt, string reason, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "DELETE FROM feed_messages WHERE sender = @sender AND control_id = @id AND outcome = 'refused'", cancellationToken, ("sender", sender), ("id", controlId));
        await ExecuteAsync(
            connection,
            "INSERT INTO feed_messages (sender, control_id, message_type, received_at, outcome, reason, raw) VALUES (@sender, @id, @type, @at, 'refused', @reason, @raw) " +
            "ON CONFLICT (sender, control_id, outcome) DO UPDATE SET message_type = excluded.message_type, received_at = excluded.received_at, reason = excluded.reason, raw = excluded.raw",
            cancellationToken,
            ("sender", sender),
            ("id", controlId),
            ("type", messageType),
            ("at", SqliteRows.Instant(receivedAt)),
            ("reason", reason),
            ("raw", raw.ToArray()));
        await transaction.CommitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<RefusedFeedMessage>> GetRefusedAsync(string? controlId, CancellationToken cancellationToken) =>
        connections.ReadAsync(
            "SELECT message_id, sender, control_id, message_type, received_at, reason, raw FROM feed_messages " +
            "WHERE outcome = 'refused' AND (@id::text IS NULL OR control_id = @id::text) ORDER BY received_at, message_id",
            r => new RefusedFeedMessage(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3),
                DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture), r.GetString(5), r.GetFieldValue<byte[]>(6)),
            cancellationToken,
            ("id", controlId));

    public async Task<long> CountStoredAsync(CancellationToken cancellationToken) =>
        await connections.ReadFirstAsync("SELECT COUNT(*) FROM feed_messages WHERE outcome = 'stored'", r => r.GetInt64(0), cancellationToken);
}
