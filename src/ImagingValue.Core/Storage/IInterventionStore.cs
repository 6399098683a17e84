using ImagingValue.Core.Interventions;

namespace ImagingValue.Core.Storage;

/// <summary>Interventions that should change ordering (education, alerts, policies).</summary>
public interface IInterventionStore
{
    /// <summary>Records an intervention; returns its id.</summary>
    Task<long> AddInterventionAsync(Intervention intervention, CancellationToken cancellationToken);

    /// <summary>Every intervention, by date.</summary>
    Task<IReadOnlyList<Intervention>> GetInterventionsAsync(CancellationToken cancellationToken);
}
