using System.Globalization;
using ImagingValue.Core.Data;
using ImagingValue.Core.Review;
using ImagingValue.Core.Storage;
using Microsoft.Data.Sqlite;
using static ImagingValue.Storage.Sqlite.SqliteRows;

namespace ImagingValue.Storage.Sqlite;

/// <summary>
/// Accounts and browser reviews in the workspace's SQLite file (migration 0004): reviews written as <c>reviews</c>
/// rows (import_id 0, row_hash 0) and the audit trail kept by triggers. Opened for a service, each call uses its own
/// pooled connection, so concurrent web requests never share one; SQLite's locking and the busy timeout order the writes.
/// </summary>
internal sealed class SqliteReviewStore(SqliteConnections connections) : IReviewStore, IUserStore
{
    private static readonly string StoredReviewColumns =
        $"{ReviewColumns("r")}, s.finding_concepts, COALESCE((SELECT MAX(a.audit_id) FROM review_audit a WHERE a.row_key = r.row_key), 0)";

    private const string UserColumns = "name, role, password_hash, failed_attempts, locked_until, disabled, security_stamp";

    // A security stamp: 128 random bits, new whenever an account's sessions must end.
    private const string NewStamp = "lower(hex(randomblob(16)))";

    public Task<WorkspaceUser?> FindUserAsync(string name, CancellationToken cancellationToken) =>
        connections.ReadFirstAsync<WorkspaceUser?>($"SELECT {UserColumns} FROM users WHERE name = $name", ReadUser, cancellationToken, ("$name", name));

    public async Task<bool> AddUserAsync(WorkspaceUser user, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var lease = await connections.OpenAsync(cancellationToken);
        await using var command = lease.Connection.CreateCommand();
        command.CommandText = $"INSERT INTO users (name, role, password_hash, failed_attempts, locked_until, created_at, disabled, security_stamp) VALUES ($name, $role, $hash, 0, NULL, $at, $disabled, {NewStamp}) ON CONFLICT (name) DO NOTHING";
        command.Parameters.AddWithValue("$name", user.Name);
        command.Parameters.AddWithValue("$role", UserRoles.Name(user.Role));
        command.Parameters.AddWithValue("$hash", user.PasswordHash);
        command.Parameters.AddWithValue("$at", Instant(at));
        command.Parameters.AddWithValue("$disabled", user.Disabled ? 1 : 0);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public Task<WorkspaceUser?> ChangeUserAsync(string name, AccountChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var unlock = change.Unlock || change.PasswordHash is not null;
        return UpdateUserAsync(
            "UPDATE users SET " +
            "role = COALESCE($role, role), password_hash = COALESCE($hash, password_hash), disabled = COALESCE($disabled, disabled), " +
            "failed_attempts = CASE WHEN $unlock THEN 0 ELSE failed_attempts END, " +
            "locked_until = CASE WHEN $unlock THEN NULL ELSE locked_until END, " +
            $"security_stamp = CASE WHEN $renew THEN {NewStamp} ELSE security_stamp END " +
            $"WHERE name = $name RETURNING {UserColumns}",
            cancellationToken,
            ("$name", name),
            ("$role", change.Role is { } role ? UserRoles.Name(role) : null),
            ("$hash", change.PasswordHash),
            ("$disabled", change.Disabled is { } disabled ? (disabled ? 1 : 0) : null),
            ("$unlock", unlock ? 1 : 0),
            ("$renew", change.RenewsStamp ? 1 : 0));
    }

    public Task<IReadOnlyList<WorkspaceUser>> GetUsersAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync($"SELECT {UserColumns} FROM users ORDER BY name", ReadUser, cancellationToken);

    // One UPDATE: the lock check and the count are one write under SQLite's write lock, so parallel attempts cannot
    // all read "not locked" and then all check a password. Instants are ISO 8601 UTC text, which sorts as time does.
    public Task<WorkspaceUser?> BeginSignInAttemptAsync(string name, int maxAttempts, DateTimeOffset now, DateTimeOffset lockUntil, CancellationToken cancellationToken) =>
        UpdateUserAsync(
            "UPDATE users SET " +
            "locked_until = CASE WHEN failed_attempts + 1 >= $max THEN $until ELSE NULL END, " +
            "failed_attempts = CASE WHEN failed_attempts + 1 >= $max THEN 0 ELSE failed_attempts + 1 END " +
            $"WHERE name = $name AND disabled = 0 AND (locked_until IS NULL OR locked_until <= $now) RETURNING {UserColumns}",
            cancellationToken,
            ("$name", name),
            ("$max", maxAttempts),
            ("$now", Instant(now)),
            ("$until", Instant(lockUntil)));

    /// <summary>
    /// Runs one <c>UPDATE users … RETURNING</c> in a BEGIN IMMEDIATE transaction; the account as it is now, or null.
    /// Every account write that returns the row goes through here: in autocommit such an UPDATE commits inside its
    /// last row read, where a busy database (another request reading) fails at once with "database is locked"
    /// instead of waiting; BEGIN IMMEDIATE and COMMIT wait out the busy timeout.
    /// </summary>
    private async Task<WorkspaceUser?> UpdateUserAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var lease = await connections.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await lease.Connection.BeginTransactionAsync(cancellationToken);
        var updated = await ReadAllAsync(lease.Connection, sql, ReadUser, cancellationToken, parameters);
        await transaction.CommitAsync(cancellationToken);
        return updated.Count == 0 ? null : updated[0];
    }

    public async Task ResetFailedSignInsAsync(string name, CancellationToken cancellationToken)
    {
        await using var lease = await connections.OpenAsync(cancellationToken);
        await using var command = lease.Connection.CreateCommand();
        command.CommandText = "UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE name = $name AND (failed_attempts <> 0 OR locked_until IS NOT NULL)";
        command.Parameters.AddWithValue("$name", name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<StoredReview>> GetAllReviewsAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync($"SELECT {StoredReviewColumns} FROM reviews r LEFT JOIN review_saves s ON s.row_key = r.row_key ORDER BY r.row_key", ReadReview, cancellationToken);

    public Task<IReadOnlyList<StoredReview>> GetExamReviewsAsync(string orderId, CancellationToken cancellationToken) =>
        connections.ReadAsync(
            $"SELECT {StoredReviewColumns} FROM reviews r LEFT JOIN review_saves s ON s.row_key = r.row_key WHERE r.order_id = $id ORDER BY r.reviewed_at, r.reviewer",
            ReadReview,
            cancellationToken,
            ("$id", orderId));

    public async Task<ReviewSaveResult> SaveReviewAsync(ReviewDraft draft, long expectedRevision, string user, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var review = draft.Review;
        var key = CanonicalTable.Reviews.KeyOf([review.OrderId, review.Reviewer])!;
        await using var lease = await connections.OpenAsync(cancellationToken);
        var connection = lease.Connection;
        // BEGIN IMMEDIATE: the revision check and the write happen under one write lock.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var revision = await RevisionAsync(connection, transaction, key, cancellationToken);
        if (revision != expectedRevision)
        {
            await transaction.RollbackAsync(cancellationToken);
            var current = (await GetExamReviewsAsync(review.OrderId, cancellationToken))
                .FirstOrDefault(r => string.Equals(r.Review.Reviewer, review.Reviewer, StringComparison.Ordinal));
            return new ReviewSaveResult(false, current);
        }

        await using (var saves = connection.CreateCommand())
        {
            saves.Transaction = transaction;
            saves.CommandText =
                "INSERT INTO review_saves (row_key, order_id, reviewer, saved_by, saved_at, finding_concepts) VALUES ($key, $order, $reviewer, $by, $at, $concepts) " +
                "ON CONFLICT (row_key) DO UPDATE SET saved_by = excluded.saved_by, saved_at = excluded.saved_at, finding_concepts = excluded.finding_concepts";
            saves.Parameters.AddWithValue("$key", key);
            saves.Parameters.AddWithValue("$order", review.OrderId);
            saves.Parameters.AddWithValue("$reviewer", review.Reviewer);
            saves.Parameters.AddWithValue("$by", user);
            saves.Parameters.AddWithValue("$at", Instant(at));
            saves.Parameters.AddWithValue("$concepts", draft.FindingConcepts.Count == 0 ? DBNull.Value : string.Join(';', draft.FindingConcepts.Order(StringComparer.Ordinal)));
            await saves.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText =
                "INSERT INTO reviews (row_key, order_id, reviewer, major_finding, minor_finding, incidental_finding, finding_notes, management_change, review_role, reviewed_at, extra, row_hash, import_id) " +
                "VALUES ($key, $order, $reviewer, $major, $minor, $incidental, $notes, $management, $role, $reviewedAt, NULL, 0, 0) " +
                "ON CONFLICT (row_key) DO UPDATE SET major_finding = excluded.major_finding, minor_finding = excluded.minor_finding, incidental_finding = excluded.incidental_finding, " +
                "finding_notes = excluded.finding_notes, management_change = excluded.management_change, review_role = excluded.review_role, reviewed_at = excluded.reviewed_at, row_hash = 0, import_id = 0";
            upsert.Parameters.AddWithValue("$key", key);
            upsert.Parameters.AddWithValue("$order", review.OrderId);
            upsert.Parameters.AddWithValue("$reviewer", review.Reviewer);
            upsert.Parameters.AddWithValue("$major", YesNo(review.MajorFinding));
            upsert.Parameters.AddWithValue("$minor", review.MinorFinding is { } minor ? YesNo(minor) : DBNull.Value);
            upsert.Parameters.AddWithValue("$incidental", review.IncidentalFinding is { } incidental ? YesNo(incidental) : DBNull.Value);
            upsert.Parameters.AddWithValue("$notes", string.IsNullOrWhiteSpace(review.FindingNotes) ? DBNull.Value : review.FindingNotes);
            upsert.Parameters.AddWithValue("$management", review.ManagementChange is { } management ? management.ToWord() : DBNull.Value);
            upsert.Parameters.AddWithValue("$role", (object?)review.Role ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$reviewedAt", review.ReviewedAt is { } reviewedAt ? reviewedAt.ToString(CanonicalValues.DateTimeFormat, CultureInfo.InvariantCulture) : DBNull.Value);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        var saved = await RevisionAsync(connection, transaction, key, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ReviewSaveResult(true, new StoredReview(review, [.. draft.FindingConcepts.Order(StringComparer.Ordinal)], saved));
    }

    public Task<IReadOnlyList<ReviewAuditEntry>> GetAuditTrailAsync(string orderId, CancellationToken cancellationToken) =>
        connections.ReadAsync(
            "SELECT audit_id, order_id, reviewer, changed_by, at, field, old_value, new_value FROM review_audit WHERE order_id = $id ORDER BY audit_id",
            r => new ReviewAuditEntry(
                r.GetInt64(0),
                r.GetString(1),
                r.GetString(2),
                r.GetString(3),
                InstantOf(r.GetString(4)),
                r.GetString(5),
                Text(r, 6),
                Text(r, 7)),
            cancellationToken,
            ("$id", orderId));

    private static async Task<long> RevisionAsync(SqliteConnection connection, SqliteTransaction transaction, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(audit_id), 0) FROM review_audit WHERE row_key = $key";
        command.Parameters.AddWithValue("$key", key);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static WorkspaceUser ReadUser(SqliteDataReader r) =>
        new(
            r.GetString(0),
            UserRoles.TryParse(r.GetString(1), out var role) ? role : UserRole.Viewer,
            r.GetString(2),
            r.GetInt32(3),
            Text(r, 4) is { } until ? InstantOf(until) : null,
            r.GetInt64(5) != 0,
            r.GetString(6));

    private static StoredReview ReadReview(SqliteDataReader r) =>
        new(
            Review(r),
            Text(r, 9) is { Length: > 0 } concepts ? concepts.Split(';') : [],
            r.GetInt64(10));
}
