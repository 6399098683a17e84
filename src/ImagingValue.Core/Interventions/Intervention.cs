namespace ImagingValue.Core.Interventions;

/// <summary>Something the QI team did to change ordering, from a date on.</summary>
/// <param name="Date">The day it took effect: months after it are "post".</param>
/// <param name="Kind">education, alert or policy.</param>
/// <param name="Departments">The ordering departments it targeted; empty for all.</param>
/// <param name="ProtocolId">The protocol it is about; null for every protocol.</param>
public sealed record Intervention(long Id, DateOnly Date, string Kind, IReadOnlyList<string> Departments, string? Note, string? ProtocolId)
{
    /// <summary>The kinds a team records.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["education", "alert", "policy"];
}
