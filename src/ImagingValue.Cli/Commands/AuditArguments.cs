using System.CommandLine;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Data;

namespace ImagingValue.Cli.Commands;

/// <summary>The options analyze and audit share (contracts section 3), and how they become <see cref="AuditOptions"/>.</summary>
/// <param name="periodRequired">False when the command checks --period itself (audit --check does without it).</param>
internal sealed class AuditArguments(bool periodRequired = true)
{
    public Option<string[]> Protocol { get; } = ProtocolOption();

    public Option<string> Period { get; } = new("--period") { Description = "The review period, FROM..TO inclusive (e.g. 2013-07-01..2017-06-30)", Required = periodRequired };

    public Option<string?> Intervention { get; } = new("--intervention") { Description = "The intervention date (yyyy-MM-dd)" };

    public Option<string?> FollowUp { get; } = new("--follow-up") { Description = "The post-intervention window, FROM..TO inclusive" };

    public Option<decimal?> Charge { get; } = new("--charge") { Description = "Charge per exam (default: the protocol's)" };

    public Option<string?> Json { get; } = new("--json") { Description = "Write summary.json here" };

    public Option<string?> ScreeningLog { get; } = new("--screening-log") { Description = "Write screening.csv here" };

    public Option<string?> Out { get; } = new("--out") { Description = "Write summary.json, screening.csv and report.html into this folder" };

    /// <summary>--protocol: repeatable, each a built-in id, a YAML file or a comma-separated list; sacrum-mri-lbp when left out.</summary>
    public static Option<string[]> ProtocolOption() => new("--protocol")
    {
        Description = "A built-in protocol id or a protocol YAML file; repeat it (or separate with commas) to screen against several, the first one leading",
        DefaultValueFactory = _ => ["sacrum-mri-lbp"],
    };

    public IReadOnlyList<Core.Protocols.ProtocolRuntime> Protocols(ParseResult parse) => ImagingValue.Protocols.ProtocolLoader.LoadAll(parse.GetValue(Protocol)!);

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Protocol, Period, Intervention, FollowUp, Charge, Json, ScreeningLog, Out })
        {
            command.Options.Add(option);
        }
    }

    public AuditOptions Options(ParseResult parse)
    {
        var intervention = parse.GetValue(Intervention) is { } date
            ? CanonicalValues.ParseDay(date, "--intervention")
            : (DateOnly?)null;
        var followUp = parse.GetValue(FollowUp) is { } range ? DateRange.Parse(range) : null;
        var period = DateRange.Parse(parse.GetValue(Period)!);
        return new AuditOptions(period, intervention, followUp, parse.GetValue(Charge));
    }

    public Pipeline.AuditOutputs Outputs(ParseResult parse) =>
        Pipeline.AuditOutputs.In(parse.GetValue(Out), parse.GetValue(Json), parse.GetValue(ScreeningLog));
}
