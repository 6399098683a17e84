using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;
using Hl7.Fhir.Validation;

namespace ImagingValue.Import.Fhir;

/// <summary>
/// The SDK's strict R4 validation, without checking again a uri or code value it has already found valid: an export
/// repeats the same few code systems and codes on every resource (three of each on a ServiceRequest), and the SDK
/// checks each against its regular expression every time (about 3% of an import's CPU). Every other value, and every
/// value with an id or extensions of its own, is validated as before; a value found invalid is never remembered, so
/// it is reported every time it occurs.
/// </summary>
/// <remarks>
/// Only <see cref="FhirUri"/> and <see cref="Code"/> (exactly those types): their check depends on the value alone
/// and changes nothing (other primitives, such as <c>Code&lt;T&gt;</c> or dates, keep what they parsed as they are
/// validated). One set per thread (lines are parsed in parallel), each of at most <see cref="MaxRemembered"/> values.
/// </remarks>
internal sealed class RepeatedValueValidator : FhirAttributeValidator
{
    /// <summary>Values remembered per type and thread: code systems and codes are few; dates and ids are not remembered at all.</summary>
    public const int MaxRemembered = 4096;

    [ThreadStatic]
    private static HashSet<string>? t_validUris;

    [ThreadStatic]
    private static HashSet<string>? t_validCodes;

    public override IReadOnlyCollection<CodedValidationException> ValidateObject(Base instance, ClassMapping classMapping, PocoValidationContext context)
    {
        var remembered = instance switch
        {
            PrimitiveType { JsonValue: string, HasElements: false } when instance.GetType() == typeof(FhirUri) => t_validUris ??= new(StringComparer.Ordinal),
            PrimitiveType { JsonValue: string, HasElements: false } when instance.GetType() == typeof(Code) => t_validCodes ??= new(StringComparer.Ordinal),
            _ => null,
        };
        if (remembered is null)
        {
            return base.ValidateObject(instance, classMapping, context);
        }

        var value = (string)((PrimitiveType)instance).JsonValue!;
        if (remembered.Contains(value))
        {
            return [];
        }

        var errors = base.ValidateObject(instance, classMapping, context);
        if (errors.Count == 0 && remembered.Count < MaxRemembered)
        {
            remembered.Add(value);
        }

        return errors;
    }
}
