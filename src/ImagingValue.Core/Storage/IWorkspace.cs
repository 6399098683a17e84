namespace ImagingValue.Core.Storage;

/// <summary>
/// One workspace: the imported data of one audit team, the screening runs made on it, its reviews, accounts,
/// interventions and point-of-order activity, each behind a small store interface. A provider (SQLite today,
/// PostgreSQL next) implements the stores over one connection factory; commands and the web host see only this.
/// </summary>
public interface IWorkspace : IDisposable
{
    /// <summary>All-or-nothing imports of the canonical tables.</summary>
    IImportStore Imports { get; }

    /// <summary>The imported orders, conditions, reports and reviews, read as screening and analysis need them.</summary>
    IClinicalDataStore Data { get; }

    /// <summary>Screening runs and their decisions.</summary>
    IScreeningRunStore Screening { get; }

    /// <summary>Reviews saved in the browser, with revisions and the audit trail.</summary>
    IReviewStore Reviews { get; }

    /// <summary>Accounts and sign-in counters.</summary>
    IUserStore Users { get; }

    /// <summary>Interventions that should change ordering.</summary>
    IInterventionStore Interventions { get; }

    /// <summary>Point-of-order alerts and card feedback: the one way to write and read them.</summary>
    Alerts.IAlertLog Alerts { get; }

    /// <summary>The latest audit headline per protocol, for the point-of-order card.</summary>
    ILocalEvidenceStore Evidence { get; }

    /// <summary>The CDS Hooks tokens already used, shared by every service instance on the workspace.</summary>
    Alerts.ITokenReplayStore Tokens { get; }

    /// <summary>Messages of order and result feeds (HL7 v2): applied one transaction each, refused ones kept for replay.</summary>
    IFeedStore Feeds { get; }

    /// <summary>Settings kept with the workspace (the site's time zone).</summary>
    IWorkspaceSettings Settings { get; }

    /// <summary>Row counts per table, for status and tests.</summary>
    Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken cancellationToken);
}
