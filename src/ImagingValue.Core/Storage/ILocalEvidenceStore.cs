using ImagingValue.Core.Alerts;

namespace ImagingValue.Core.Storage;

/// <summary>The audit headlines the point-of-order card cites: written by analyses, read by the CDS service.</summary>
public interface ILocalEvidenceStore : ILocalEvidenceSource
{
    /// <summary>
    /// Keeps <paramref name="evidence"/> unless the newest kept for its protocol has the same figures (an analysis
    /// repeated on the same data writes nothing); true when it was kept.
    /// </summary>
    Task<bool> SaveAsync(LocalEvidence evidence, CancellationToken cancellationToken);
}
