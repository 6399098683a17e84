namespace ImagingValue.Core.Screening;

/// <summary>What screening decided for one order.</summary>
public enum Decision
{
    /// <summary>A target exam with the qualifying indication and no red flag: in the audit cohort.</summary>
    Included,

    /// <summary>A target exam excluded for a red flag or for lacking the qualifying indication.</summary>
    Excluded,

    /// <summary>Not a completed target exam.</summary>
    NotTarget,
}

/// <summary>One order's screening decision with the evidence that decided it.</summary>
/// <param name="IsTargetExam">Whether the procedure is the protocol's target exam, whatever its status (cancelled target orders are counted apart).</param>
/// <param name="Reason">The primary exclusion reason id; null unless excluded.</param>
/// <param name="Reasons">Every exclusion reason id that applies, in protocol order.</param>
/// <param name="Evidence">The text or codes that decided, and the mentions that were read but did not count (<see cref="ScreeningEvidenceFormatter"/> writes each as in screening.csv, e.g. <c>indication: "hx breast ca" [tumor, historical]</c>).</param>
public sealed record ScreeningDecision(
    string OrderId,
    Decision Decision,
    bool IsTargetExam,
    string? Reason,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<ScreeningEvidence> Evidence)
{
    /// <summary>The decision as written in screening.csv: included, excluded or not_target.</summary>
    public string DecisionText => Text(Decision);

    /// <summary>A decision as written in screening.csv: included, excluded or not_target.</summary>
    public static string Text(Decision decision) => decision switch
    {
        Decision.Included => "included",
        Decision.Excluded => "excluded",
        _ => "not_target",
    };

    /// <summary>A decision from its screening.csv word (<see cref="Text"/>); false for any other word.</summary>
    public static bool TryParse(string? text, out Decision decision)
    {
        foreach (var candidate in (ReadOnlySpan<Decision>)[Decision.Included, Decision.Excluded, Decision.NotTarget])
        {
            if (string.Equals(text, Text(candidate), StringComparison.Ordinal))
            {
                decision = candidate;
                return true;
            }
        }

        decision = default;
        return false;
    }
}

/// <summary>A screening of a workspace's orders against one protocol.</summary>
public sealed record ScreeningRun(string ProtocolId, DateTimeOffset CreatedAt, IReadOnlyList<ScreeningDecision> Decisions);

/// <summary>What a screening run is made from: the protocol as it was (its fingerprint) and the workspace's data as it was.</summary>
/// <param name="ProtocolFingerprint">The protocol's <see cref="Protocols.ProtocolRuntime.Fingerprint"/>.</param>
/// <param name="DataRevision">The workspace's screening-input revision when the run started (<see cref="Storage.IScreeningRunStore.GetScreeningInputsRevisionAsync"/>).</param>
public sealed record ScreeningRunStamp(string ProtocolId, string ProtocolFingerprint, long DataRevision, DateTimeOffset CreatedAt);

/// <summary>A stored screening run as the workspace lists it.</summary>
/// <param name="ProtocolFingerprint">Null for runs stored without one (older workspaces, seeded runs): never reused.</param>
/// <param name="DataRevision">Null likewise.</param>
public sealed record StoredScreeningRun(long RunId, string ProtocolId, DateTimeOffset CreatedAt, string? ProtocolFingerprint, long? DataRevision)
{
    /// <summary>Whether the run was made from this protocol text and this data, so its decisions are today's.</summary>
    public bool IsCurrent(string protocolFingerprint, long dataRevision) =>
        ProtocolFingerprint == protocolFingerprint && DataRevision == dataRevision;
}
