using ImagingValue.Core.Data;

namespace ImagingValue.Core.Review;

/// <summary>What a signed-in person may do in the review workspace.</summary>
/// <remarks>Each role can do everything the roles before it can: a viewer reads, a reviewer also reviews, an
/// adjudicator also decides disagreements, an admin also manages accounts.</remarks>
public enum UserRole
{
    /// <summary>Reads worklists, reviews and audit trails; changes nothing.</summary>
    Viewer,

    /// <summary>Records primary and second reviews.</summary>
    Reviewer,

    /// <summary>Also decides exams whose reviewers disagree.</summary>
    Adjudicator,

    /// <summary>Everything.</summary>
    Admin,
}

/// <summary>Role names as stored and typed (<c>admin|reviewer|adjudicator|viewer</c>).</summary>
public static class UserRoles
{
    public static string Name(UserRole role) => role switch
    {
        UserRole.Viewer => "viewer",
        UserRole.Reviewer => "reviewer",
        UserRole.Adjudicator => "adjudicator",
        _ => "admin",
    };

    public static bool TryParse(string? text, out UserRole role)
    {
        role = UserRole.Viewer;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "viewer":
                role = UserRole.Viewer;
                return true;
            case "reviewer":
                role = UserRole.Reviewer;
                return true;
            case "adjudicator":
                role = UserRole.Adjudicator;
                return true;
            case "admin":
                role = UserRole.Admin;
                return true;
            default:
                return false;
        }
    }
}

/// <summary>A local account of the review workspace.</summary>
/// <param name="Name">The sign-in name; compared case-insensitively; also the reviewer name on the reviews it saves.</param>
/// <param name="PasswordHash">The password hasher's output (salted, iterated); never the password.</param>
/// <param name="FailedAttempts">Wrong passwords since the last successful sign-in or lockout.</param>
/// <param name="LockedUntil">Sign-in is refused until then (UTC); null when not locked.</param>
/// <param name="Disabled">An admin disabled the account: it cannot sign in and its sessions end.</param>
/// <param name="SecurityStamp">
/// Changes whenever the account's sessions must end (password, role, disabled, sign-out); a sign-in cookie carries the
/// stamp it was issued with and is refused once the stored one differs.
/// </param>
public sealed record WorkspaceUser(string Name, UserRole Role, string PasswordHash, int FailedAttempts, DateTimeOffset? LockedUntil, bool Disabled = false, string SecurityStamp = "")
{
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <summary>
/// What an admin (or a sign-out) changes on an account; null members stay as they are. Every change but a bare unlock
/// gives the account a new security stamp, so its sessions end at their next request.
/// </summary>
/// <param name="Role">The new role.</param>
/// <param name="PasswordHash">The new password's hash (the lock is lifted too: the admin just gave a new password).</param>
/// <param name="Disabled">True disables the account, false enables it again.</param>
/// <param name="Unlock">Clears the failed-sign-in count and any lock.</param>
/// <param name="EndSessions">Only ends the sessions (sign-out).</param>
public sealed record AccountChange(UserRole? Role = null, string? PasswordHash = null, bool? Disabled = null, bool Unlock = false, bool EndSessions = false)
{
    /// <summary>Whether the change ends the account's sessions (a new security stamp).</summary>
    public bool RenewsStamp => Role is not null || PasswordHash is not null || Disabled is not null || EndSessions;
}

/// <summary>A review as the browser saves it: the reviews.csv row plus the finding concepts ticked.</summary>
/// <param name="Review">The row (order, reviewer, findings, notes, management, role, reviewed_at).</param>
/// <param name="FindingConcepts">Ticked concepts as <c>category:concept</c> (e.g. <c>major:sacroiliitis</c>), sorted.</param>
public sealed record ReviewDraft(ExamReview Review, IReadOnlyList<string> FindingConcepts);

/// <summary>A stored review with its revision, the optimistic-concurrency token of its row.</summary>
/// <param name="Revision">Grows with every change of the row by anyone (browser or import); 0 for a row that does not exist yet.</param>
public sealed record StoredReview(ExamReview Review, IReadOnlyList<string> FindingConcepts, long Revision);

/// <summary>The outcome of a save: stored, or refused because someone changed the row after it was loaded.</summary>
/// <param name="Current">On conflict, the row as it is now (null if it was never stored); on success, the row as saved.</param>
public sealed record ReviewSaveResult(bool Saved, StoredReview? Current)
{
    public bool IsConflict => !Saved;
}

/// <summary>One entry of an exam's append-only audit trail: one field of one review changed.</summary>
/// <param name="ChangedBy">The user name, or <c>import N</c> for a change made by CSV import number N.</param>
/// <param name="OldValue">Null when the row did not exist before.</param>
/// <param name="NewValue">Null when the value was removed.</param>
public sealed record ReviewAuditEntry(long Id, string OrderId, string Reviewer, string ChangedBy, DateTimeOffset At, string Field, string? OldValue, string? NewValue);

/// <summary>One included exam of the latest screening run, with what the worklist and the review form show.</summary>
/// <param name="Evidence">The screening evidence (<see cref="Screening.ScreeningEvidenceFormatter"/> writes it as in screening.csv).</param>
public sealed record IncludedExam(ImagingOrder Order, IReadOnlyList<Screening.ScreeningEvidence> Evidence);
