using ImagingValue.Core.Protocols;

namespace ImagingValue.Web;

/// <summary>The protocols this host serves (CDS services, the review workspace's choice): built-in and site ones, each built once.</summary>
public sealed record ServedProtocols(IReadOnlyList<ProtocolRuntime> All);
