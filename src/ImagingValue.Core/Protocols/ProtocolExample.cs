using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;

namespace ImagingValue.Core.Protocols;

/// <summary>
/// An example case a protocol file carries (YAML <c>examples</c>): an order as a clinician would write it and the
/// decision the protocol's author expects. <c>protocol test</c> screens each one and reports those that disagree, so a
/// QI lead can change a protocol and check it without a developer.
/// </summary>
/// <param name="Where">Where the example is written (<c>file:line</c>), for failure messages.</param>
/// <param name="Text">The order's indication text; null for a codes-only example.</param>
/// <param name="OrderedAt">When the order was placed: the reference for "recent", durations and the patient's age.</param>
/// <param name="BirthDate">The patient's birth date; null when the example gives no age.</param>
/// <param name="ProcedureCode">The order's procedure code; null means the target exam (see <see cref="ProtocolExampleRunner"/>).</param>
/// <param name="ProcedureName">The order's procedure name; null means the target exam.</param>
/// <param name="ExpectedReason">The primary reason id when <paramref name="Expected"/> is excluded; otherwise null.</param>
/// <param name="Note">Why the author expects this (shown with a failure).</param>
public sealed record ProtocolExample(
    string Where,
    string? Text,
    DateTime OrderedAt,
    DateOnly? BirthDate,
    IReadOnlyList<string> ReasonCodes,
    IReadOnlyList<PatientCondition> Conditions,
    string? ProcedureCode,
    string? ProcedureName,
    Decision Expected,
    string? ExpectedReason,
    string? Note);

/// <summary>One example screened: what the protocol decided against what its author expected.</summary>
public sealed record ProtocolExampleOutcome(ProtocolExample Example, ScreeningDecision Decision)
{
    /// <summary>Whether the decision and the primary reason are the expected ones.</summary>
    public bool Passed => Decision.Decision == Example.Expected && Decision.Reason == Example.ExpectedReason;
}

/// <summary>Screens a protocol's examples with the protocol's own screener, exactly as the audit would.</summary>
public static class ProtocolExampleRunner
{
    /// <summary>The patient id every example order and condition shares.</summary>
    public const string ExamplePatient = "example-patient";

    /// <summary>Every example of the protocol, screened, in file order.</summary>
    public static IReadOnlyList<ProtocolExampleOutcome> Run(ProtocolRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var protocol = runtime.Protocol;
        return [.. protocol.Examples.Select((example, i) =>
            new ProtocolExampleOutcome(example, runtime.Screener.Screen(ToOrder(protocol.TargetExam, example, i + 1), example.Conditions)))];
    }

    /// <summary>
    /// The example as a completed order. Without a procedure, the order is the target exam: its first code and a name
    /// made of its first modality and body terms, so the example tests the indication, not the exam matching.
    /// </summary>
    public static ImagingOrder ToOrder(ExamDefinition target, ProtocolExample example, int number)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(example);
        var given = example.ProcedureCode is not null || example.ProcedureName is not null;
        var code = given ? example.ProcedureCode : target.Codes.Count > 0 ? target.Codes[0] : null;
        var name = given ? example.ProcedureName ?? string.Empty
            : target.ModalityTerms.Count > 0 && target.BodyTerms.Count > 0 ? $"{target.ModalityTerms[0]} {target.BodyTerms[0]}" : target.Label;
        return new ImagingOrder(
            $"example-{number}", ExamplePatient, null, example.OrderedAt, example.OrderedAt, code, name, example.Text, example.ReasonCodes,
            null, null, null, example.BirthDate, OrderStatus.Completed);
    }
}
