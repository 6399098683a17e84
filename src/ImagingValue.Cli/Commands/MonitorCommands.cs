using System.CommandLine;
using ImagingValue.Cli.Pipeline;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Data;
using ImagingValue.Core.Interventions;
using ImagingValue.Core.Monitoring;
using ImagingValue.Core.Screening;
using ImagingValue.Protocols;
using ImagingValue.Reports.Exports;
using ImagingValue.Storage;

namespace ImagingValue.Cli.Commands;

/// <summary>intervention add|list and monitor: did the intervention work, and is it lasting?</summary>
internal static class MonitorCommands
{
    public static Command Intervention(TimeProvider time)
    {
        var workspace = WorkspaceCommands.WorkspaceOption();
        var date = new Option<string>("--date") { Description = "The day it took effect (yyyy-MM-dd)", Required = true };
        var kind = new Option<string>("--kind") { Description = "education, alert or policy", Required = true };
        var departments = new Option<string?>("--departments") { Description = "Targeted ordering departments, separated by ';' (default: all)" };
        var note = new Option<string?>("--note") { Description = "What was done" };
        var protocol = new Option<string?>("--protocol") { Description = "The protocol it is about (default: all)" };
        var add = new Command("add", "Record an intervention") { workspace, date, kind, departments, note, protocol };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var day = CanonicalValues.ParseDay(parse.GetValue(date)!, "--date");

            var kindValue = parse.GetValue(kind)!.ToLowerInvariant();
            if (!Core.Interventions.Intervention.Kinds.Contains(kindValue))
            {
                throw new FormatException($"--kind: '{kindValue}' is not one of {string.Join(", ", Core.Interventions.Intervention.Kinds)}");
            }

            using var store = Workspaces.Open(parse.GetValue(workspace)!, time);
            var targets = parse.GetValue(departments)?.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
            var id = await store.Interventions.AddInterventionAsync(new Intervention(0, day, kindValue, targets, parse.GetValue(note), parse.GetValue(protocol)), cancellationToken);
            Console.WriteLine($"intervention {id}: {kindValue} on {day:yyyy-MM-dd}");
            return ExitCodes.Ok;
        });

        var listWorkspace = WorkspaceCommands.WorkspaceOption();
        var list = new Command("list", "List the recorded interventions") { listWorkspace };
        list.SetAction(async (parse, cancellationToken) =>
        {
            using var store = Workspaces.Open(parse.GetValue(listWorkspace)!, time);
            foreach (var i in await store.Interventions.GetInterventionsAsync(cancellationToken))
            {
                Console.WriteLine($"{i.Id}\t{i.Date:yyyy-MM-dd}\t{i.Kind}\t{(i.Departments.Count == 0 ? "all departments" : string.Join("; ", i.Departments))}\t{i.ProtocolId ?? "all protocols"}\t{i.Note}");
            }

            return ExitCodes.Ok;
        });
        return new Command("intervention", "Interventions that should change ordering") { add, list };
    }

    public static Command Monitor(TimeProvider time)
    {
        var workspace = WorkspaceCommands.WorkspaceOption();
        var protocol = new Option<string>("--protocol") { Description = "A built-in protocol id or a protocol YAML file", DefaultValueFactory = _ => "sacrum-mri-lbp" };
        var from = new Option<string?>("--from") { Description = "First day of the series (default: the first included exam)" };
        var to = new Option<string?>("--to") { Description = "Last day of the series (default: the last exam in the workspace)" };
        var charge = new Option<decimal?>("--charge") { Description = "Charge per exam (default: the protocol's)" };
        var json = new Option<string?>("--json") { Description = "Write the monitoring results as JSON" };
        var command = new Command("monitor", "Monthly series of included exams split at interventions: SPC and T charts, exact pre/post test, savings, rebound alert") { workspace, protocol, from, to, charge, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var runtime = ProtocolLoader.Load(parse.GetValue(protocol)!);
            var chosen = runtime.Protocol;
            using var store = Workspaces.Open(parse.GetValue(workspace)!, time);
            var screened = await WorkspaceScreening.LatestOrScreenAsync(store.Data, store.Screening, runtime, time, cancellationToken);
            var inputs = await AuditInputs.ReadAsync(store.Data, store.Screening, [screened], [chosen], cancellationToken);
            var result = OrderingMonitor.Compute(
                chosen.Id, AuditInputs.IncludedExamDates(inputs.Targets[0]), inputs.Facts, await store.Interventions.GetInterventionsAsync(cancellationToken),
                parse.GetValue(charge) ?? chosen.ChargePerExam, Day(parse.GetValue(from), "--from"), Day(parse.GetValue(to), "--to"));
            result = await MonitorOutput.WithPointOfOrderAsync(result, store.Alerts, inputs.Facts, cancellationToken);
            MonitorOutput.Print(result);
            if (parse.GetValue(json) is { } path)
            {
                SummaryJson.Write(path, result);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static DateOnly? Day(string? text, string option) => text is null ? null : CanonicalValues.ParseDay(text, option);
}
