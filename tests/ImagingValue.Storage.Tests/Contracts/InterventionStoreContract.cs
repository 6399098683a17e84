using ImagingValue.Core.Interventions;

namespace ImagingValue.Storage.Tests.Contracts;

/// <summary>What every provider's interventions do: ids given on add, listed by date.</summary>
public abstract class InterventionStoreContract : WorkspaceContract
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task AddIntervention_ListedByDateWithEveryField()
    {
        var later = await Workspace.Interventions.AddInterventionAsync(new Intervention(0, new DateOnly(2018, 7, 1), "education", ["Family Medicine", "Spine Clinic"], "audit presented", "sacrum-mri-lbp"), Ct);
        var earlier = await Workspace.Interventions.AddInterventionAsync(new Intervention(0, new DateOnly(2017, 1, 1), "policy", [], null, null), Ct);

        var stored = await Workspace.Interventions.GetInterventionsAsync(Ct);

        Assert.NotEqual(later, earlier);
        Assert.Equal([earlier, later], stored.Select(i => i.Id));
        Assert.Equal((new DateOnly(2017, 1, 1), "policy", 0, null, null), (stored[0].Date, stored[0].Kind, stored[0].Departments.Count, stored[0].Note, stored[0].ProtocolId));
        Assert.Equal(["Family Medicine", "Spine Clinic"], stored[1].Departments);
        Assert.Equal(("audit presented", "sacrum-mri-lbp"), (stored[1].Note, stored[1].ProtocolId));
    }
}
