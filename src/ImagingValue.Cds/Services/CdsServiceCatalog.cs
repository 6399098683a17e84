using ImagingValue.Cds.Fhir;
using ImagingValue.Cds.Wire;
using ImagingValue.Core.Protocols;
using ImagingValue.Protocols;

namespace ImagingValue.Cds.Services;

/// <summary>Every protocol's services by id (contracts §4): <c>&lt;protocol&gt;-select</c> and <c>&lt;protocol&gt;-sign</c>.</summary>
public sealed class CdsServiceCatalog
{
    private readonly Dictionary<string, (OrderAppropriatenessService Service, string Hook)> _byId = new(StringComparer.Ordinal);
    private readonly List<CdsServiceDescriptor> _descriptors = [];

    public CdsServiceCatalog(IEnumerable<ProtocolRuntime> protocols, TimeProvider time, CdsServiceOptions options, Func<Guid>? newGuid = null)
    {
        ArgumentNullException.ThrowIfNull(protocols);
        foreach (var protocol in protocols)
        {
            var service = new OrderAppropriatenessService(protocol, time, options, newGuid);
            foreach (var hook in new[] { Hooks.OrderSelect, Hooks.OrderSign })
            {
                _byId.Add(service.ServiceId(hook), (service, hook));
            }

            _descriptors.AddRange(service.Descriptors());
        }
    }

    /// <summary>The built-in protocols (<see cref="ProtocolLoader.BuiltInIds"/>).</summary>
    public static CdsServiceCatalog BuiltIn(TimeProvider time, CdsServiceOptions options, Func<Guid>? newGuid = null) =>
        new(ProtocolLoader.LoadBuiltIn(), time, options, newGuid);

    /// <summary>The discovery response.</summary>
    public CdsDiscoveryResponse Discovery => new(_descriptors);

    /// <summary>The service and its hook for an id.</summary>
    public bool TryGet(string id, out OrderAppropriatenessService service, out string hook)
    {
        if (_byId.TryGetValue(id, out var entry))
        {
            (service, hook) = entry;
            return true;
        }

        service = null!;
        hook = string.Empty;
        return false;
    }

    /// <summary>
    /// Runs one synthetic order-select call (no patient data) through every service, so the first real call does not
    /// pay for loading the text rules and Firely's model inspection (a cold call takes over a second).
    /// </summary>
    public void WarmUp()
    {
        foreach (var service in _byId.Values.Select(v => v.Service).Distinct())
        {
            var json = """
                {"hook":"order-select","hookInstance":"warm-up","context":{"patientId":"warm-up","selections":["ServiceRequest/warm-up"],
                 "draftOrders":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"ServiceRequest","id":"warm-up","status":"draft","intent":"order",
                 "code":{"text":"TARGET"},"reasonCode":[{"text":"low back pain, no trauma"}]}}]}},
                 "prefetch":{"conditions":{"resourceType":"Bundle","type":"searchset"}}}
                """.Replace("TARGET", service.Protocol.TargetExam.Label.Replace("\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
            try
            {
                if (HookRequestReader.Read(json, Hooks.OrderSelect).Request is { } request)
                {
                    service.Evaluate(request);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Best effort: a real call that fails the same way answers with no cards and is logged there.
            }
        }
    }

    /// <summary>Whether a service id exists.</summary>
    public bool Contains(string id) => _byId.ContainsKey(id);
}
