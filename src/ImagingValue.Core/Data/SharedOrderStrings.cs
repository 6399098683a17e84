namespace ImagingValue.Core.Data;

/// <summary>
/// Makes orders read together share one copy of the texts that repeat across them (procedure, indication, provider,
/// department): a list of 300,000 target exams holds a handful of procedures and a few thousand providers, not
/// 300,000 copies of each. Not thread-safe: one per read.
/// </summary>
public sealed class SharedOrderStrings
{
    // Beyond this many distinct texts (free-text indications of a real export), new ones are kept as read.
    private const int MaxShared = 200_000;

    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

    /// <summary>The order with its repeating texts replaced by the first equal one seen; equal to the order given.</summary>
    public ImagingOrder Share(ImagingOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order with
        {
            ProcedureCode = Shared(order.ProcedureCode),
            ProcedureName = Shared(order.ProcedureName)!,
            Indication = Shared(order.Indication),
            OrderingProvider = Shared(order.OrderingProvider),
            OrderingDepartment = Shared(order.OrderingDepartment),
        };
    }

    private string? Shared(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (_texts.TryGetValue(text, out var kept))
        {
            return kept;
        }

        if (_texts.Count < MaxShared)
        {
            _texts[text] = text;
        }

        return text;
    }
}
