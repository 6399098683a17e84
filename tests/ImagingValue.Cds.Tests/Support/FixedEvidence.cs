using ImagingValue.Core.Alerts;

namespace ImagingValue.Cds.Tests.Support;

/// <summary>One protocol's local evidence, as the workspace would give it.</summary>
internal sealed class FixedEvidence(LocalEvidence evidence) : ILocalEvidenceSource
{
    /// <summary>The sacrum audit the paper reports: 2 of 98 with a major finding.</summary>
    public static LocalEvidence Paper { get; } = new("sacrum-mri-lbp", "2013-07-01", "2017-06-30", 98, 2, 0.0056, 0.0714, 0, 12, 4900, CdsTestHost.Now);

    public Task<LocalEvidence?> LatestAsync(string protocolId, CancellationToken cancellationToken) =>
        Task.FromResult(protocolId == evidence.ProtocolId ? evidence : null);
}
