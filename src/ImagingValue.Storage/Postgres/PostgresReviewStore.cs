using System.Globalization;
using System.Security.Cryptography;
using ImagingValue.Core.Data;
using ImagingValue.Core.Review;
using ImagingValue.Core.Storage;
using ImagingValue.Storage.Sqlite;
using Npgsql;
using static ImagingValue.Storage.Postgres.PostgresRows;

namespace ImagingValue.Storage.Postgres;

/// <summary>
/// Accounts and browser reviews in the workspace database: reviews written as <c>reviews</c> rows (import_id 0,
/// row_hash 0) and the audit trail kept by triggers. Each call uses a pooled connection of its own. Account names are
/// matched without regard to case (<c>lower(name)</c>), as SQLite's NOCASE column does.
/// </summary>
internal sealed class PostgresReviewStore(PostgresConnections connections) : IReviewStore, IUserStore
{
    private static readonly string StoredReviewColumns =
        $"{SqliteRows.ReviewColumns("r")}, s.finding_concepts, COALESCE((SELECT MAX(a.audit_id) FROM review_audit a WHERE a.row_key = r.row_key), 0)";

    private const string UserColumns = "name, role, password_hash, failed_attempts, locked_until, disabled, security_stamp";

    public Task<WorkspaceUser?> FindUserAsync(string name, CancellationToken cancellationToken) =>
        connections.ReadFirstAsync<WorkspaceUser?>($"SELECT {UserColumns} FROM users WHERE lower(name) = lower(@name)", ReadUser, cancellationToken, ("name", name));

    public async Task<bool> AddUserAsync(WorkspaceUser user, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await ExecuteAsync(
            connection,
            "INSERT INTO users (name, role, password_hash, failed_attempts, locked_until, created_at, disabled, security_stamp) VALUES (@name, @role, @hash, 0, NULL, @at, @disabled, @stamp) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("name", user.Name),
            ("role", UserRoles.Name(user.Role)),
            ("hash", user.PasswordHash),
            ("at", SqliteRows.Instant(at)),
            ("disabled", user.Disabled),
            ("stamp", NewStamp())) == 1;
    }

    public Task<WorkspaceUser?> ChangeUserAsync(string name, AccountChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var unlock = change.Unlock || change.PasswordHash is not null;
        return UpdateUserAsync(
            "UPDATE users SET " +
            "role = COALESCE(@role, role), password_hash = COALESCE(@hash, password_hash), disabled = COALESCE(@disabled, disabled), " +
            "failed_attempts = CASE WHEN @unlock THEN 0 ELSE failed_attempts END, " +
            "locked_until = CASE WHEN @unlock THEN NULL ELSE locked_until END, " +
            "security_stamp = CASE WHEN @renew THEN @stamp ELSE security_stamp END " +
            $"WHERE lower(name) = lower(@name) RETURNING {UserColumns}",
            cancellationToken,
            ("name", name),
            ("role", change.Role is { } role ? UserRoles.Name(role) : null),
            ("hash", change.PasswordHash),
            ("disabled", change.Disabled),
            ("unlock", unlock),
            ("renew", change.RenewsStamp),
            ("stamp", NewStamp()));
    }

    public Task<IReadOnlyList<WorkspaceUser>> GetUsersAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync($"SELECT {UserColumns} FROM users ORDER BY lower(name), name", ReadUser, cancellationToken);

    // One UPDATE: PostgreSQL locks the row and re-checks the WHERE clause after a concurrent update, so parallel
    // attempts cannot all read "not locked" and then all check a password. Instants are ISO 8601 UTC text, which
    // sorts (bytewise) as time does.
    public Task<WorkspaceUser?> BeginSignInAttemptAsync(string name, int maxAttempts, DateTimeOffset now, DateTimeOffset lockUntil, CancellationToken cancellationToken) =>
        UpdateUserAsync(
            "UPDATE users SET " +
            "locked_until = CASE WHEN failed_attempts + 1 >= @max THEN @until ELSE NULL END, " +
            "failed_attempts = CASE WHEN failed_attempts + 1 >= @max THEN 0 ELSE failed_attempts + 1 END " +
            $"WHERE lower(name) = lower(@name) AND NOT disabled AND (locked_until IS NULL OR locked_until <= @now) RETURNING {UserColumns}",
            cancellationToken,
            ("name", name),
            ("max", maxAttempts),
            ("now", SqliteRows.Instant(now)),
            ("until", SqliteRows.Instant(lockUntil)));

    /// <summary>Runs one <c>UPDATE users … RETURNING</c> (its own transaction); the account as it is now, or null.</summary>
    private async Task<WorkspaceUser?> UpdateUserAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var updated = await ReadAllAsync(connection, sql, ReadUser, cancellationToken, parameters);
        return updated.Count == 0 ? null : updated[0];
    }

    public async Task ResetFailedSignInsAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await ExecuteAsync(
            connection,
            "UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE lower(name) = lower(@name) AND (failed_attempts <> 0 OR locked_until IS NOT NULL)",
            cancellationToken,
            ("name", name));
    }

    public Task<IReadOnlyList<StoredReview>> GetAllReviewsAsync(CancellationToken cancellationToken) =>
        connections.ReadAsync($"SELECT {StoredReviewColumns} FROM reviews r LEFT JOIN review_saves s ON s.row_key = r.row_key ORDER BY r.row_key", ReadReview, cancellationToken);

    public Task<IReadOnlyList<StoredReview>> GetExamReviewsAsync(string orderId, CancellationToken cancellationToken) =>
        connections.ReadAsync(
            // SQLite sorts NULLs first.
            $"SELECT {StoredReviewColumns} FROM reviews r LEFT JOIN review_saves s ON s.row_key = r.row_key WHERE r.order_id = @id ORDER BY r.reviewed_at NULLS FIRST, r.reviewer",
            ReadReview,
            cancellationToken,
            ("id", orderId));

    public async Task<ReviewSaveResult> SaveReviewAsync(ReviewDraft draft, long expectedRevision, string user, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var review = draft.Review;
        var key = CanonicalTable.Reviews.KeyOf([review.OrderId, review.Reviewer])!;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The revision check and the write under one lock per review key, held to the end of the transaction: the
        // review row may not exist yet, so a row lock (SELECT … FOR UPDATE) could not cover a first save.
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtextextended('review:' || @key, 0))", cancellationToken, ("key", key));
        var revision = await RevisionAsync(connection, key, cancellationToken);
        if (revision != expectedRevision)
        {
            await transaction.RollbackAsync(cancellationToken);
            var current = (await GetExamReviewsAsync(review.OrderId, cancellationToken))
                .FirstOrDefault(r => string.Equals(r.Review.Reviewer, review.Reviewer, StringComparison.Ordinal));
            return new ReviewSaveResult(false, current);
        }

        await ExecuteAsync(
            connection,
            "INSERT INTO review_saves (row_key, order_id, reviewer, saved_by, saved_at, finding_concepts) VALUES (@key, @order, @reviewer, @by, @at, @concepts) " +
            "ON CONFLICT (row_key) DO UPDATE SET saved_by = excluded.saved_by, saved_at = excluded.saved_at, finding_concepts = excluded.finding_concepts",
            cancellationToken,
            ("key", key),
            ("order", review.OrderId),
            ("reviewer", review.Reviewer),
            ("by", user),
            ("at", SqliteRows.Instant(at)),
            ("concepts", draft.FindingConcepts.Count == 0 ? null : string.Join(';', draft.FindingConcepts.Order(StringComparer.Ordinal))));
        await ExecuteAsync(
            connection,
            "INSERT INTO reviews (row_key, order_id, reviewer, major_finding, minor_finding, incidental_finding, finding_notes, management_change, review_role, reviewed_at, extra, row_hash, import_id) " +
            "VALUES (@key, @order, @reviewer, @major, @minor, @incidental, @notes, @management, @role, @reviewedAt, NULL, 0, 0) " +
            "ON CONFLICT (row_key) DO UPDATE SET major_finding = excluded.major_finding, minor_finding = excluded.minor_finding, incidental_finding = excluded.incidental_finding, " +
            "finding_notes = excluded.finding_notes, management_change = excluded.management_change, review_role = excluded.review_role, reviewed_at = excluded.reviewed_at, row_hash = 0, import_id = 0",
            cancellationToken,
            ("key", key),
            ("order", review.OrderId),
            ("reviewer", review.Reviewer),
            ("major", SqliteRows.YesNo(review.MajorFinding)),
            ("minor", review.MinorFinding is { } minor ? SqliteRows.YesNo(minor) : null),
            ("incidental", review.IncidentalFinding is { } incidental ? SqliteRows.YesNo(incidental) : null),
            ("notes", string.IsNullOrWhiteSpace(review.FindingNotes) ? null : review.FindingNotes),
            ("management", review.ManagementChange is { } management ? management.ToWord() : null),
            ("role", review.Role),
            ("reviewedAt", review.ReviewedAt is { } reviewedAt ? reviewedAt.ToString(CanonicalValues.DateTimeFormat, CultureInfo.InvariantCulture) : null));
        var saved = await RevisionAsync(connection, key, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ReviewSaveResult(true, new StoredReview(review, [.. draft.FindingConcepts.Order(StringComparer.Ordinal)], saved));
    }

    public Task<IReadOnlyList<ReviewAuditEntry>> GetAuditTrailAsync(string orderId, CancellationToken cancellationToken) =>
        connections.ReadAsync(
            "SELECT audit_id, order_id, reviewer, changed_by, at, field, old_value, new_value FROM review_audit WHERE order_id = @id ORDER BY audit_id",
            r => new ReviewAuditEntry(
                r.GetInt64(0),
                r.GetString(1),
                r.GetString(2),
                r.GetString(3),
                SqliteRows.InstantOf(r.GetString(4)),
                r.GetString(5),
                Text(r, 6),
                Text(r, 7)),
            cancellationToken,
            ("id", orderId));

    /// <summary>A security stamp: 128 random bits, new whenever an account's sessions must end.</summary>
    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static Task<long> RevisionAsync(NpgsqlConnection connection, string key, CancellationToken cancellationToken) =>
        ScalarAsync(connection, "SELECT COALESCE(MAX(audit_id), 0) FROM review_audit WHERE row_key = @key", cancellationToken, ("key", key));

    private static WorkspaceUser ReadUser(NpgsqlDataReader r) =>
        new(
            r.GetString(0),
            UserRoles.TryParse(r.GetString(1), out var role) ? role : UserRole.Viewer,
            r.GetString(2),
            r.GetInt32(3),
            Text(r, 4) is { } until ? SqliteRows.InstantOf(until) : null,
            r.GetBoolean(5),
            r.GetString(6));

    private static StoredReview ReadReview(NpgsqlDataReader r) =>
        new(
            Review(r),
            Text(r, 9) is { Length: > 0 } concepts ? concepts.Split(';') : [],
            r.GetInt64(10));
}
