using System.CommandLine;
using ImagingValue.Cli.Pipeline;
using ImagingValue.Core.Text;
using ImagingValue.Protocols;
using ImagingValue.Reports.Exports;
using ImagingValue.Storage;
using ImagingValue.Storage.Sqlite;

namespace ImagingValue.Cli.Commands;

/// <summary>init, import, screen and analyze: the commands that work on a lasting workspace.</summary>
internal static class WorkspaceCommands
{
    internal static Option<string> WorkspaceOption() => new("--workspace") { Description = "The workspace folder", Required = true };

    public static Command Init(TimeProvider time)
    {
        var workspace = WorkspaceOption();
        var database = new Option<string?>("--database") { Description = "A PostgreSQL connection string (not yet supported: SQLite is the default)" };
        var command = new Command("init", "Create a workspace (SQLite file DIR/imaging-value.db)") { workspace, database };
        command.SetAction(parse =>
        {
            if (parse.GetValue(database) is not null)
            {
                Console.Error.WriteLine("init: --database (PostgreSQL) is not supported yet; leave it out to use SQLite");
                return ExitCodes.Usage;
            }

            var dir = parse.GetValue(workspace)!;
            using var store = Workspaces.Create(dir, time);
            Console.Error.WriteLine($"workspace ready: {Path.Combine(dir, SqliteWorkspace.FileName)} (schema version {SqliteWorkspace.SchemaVersion})");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Import(TimeProvider time)
    {
        var workspace = WorkspaceOption();
        var inputs = new InputArguments(ordersRequired: false);
        var rejects = new Option<string?>("--rejects") { Description = "Folder for NAME.rejects.csv files (default: WORKSPACE/rejects)" };
        var command = new Command("import", "Load CSV exports into a workspace: bad rows rejected, the rest stored (--strict: each file all or nothing); re-import updates by key") { workspace, rejects };
        inputs.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var files = inputs.Files(parse);
            if (files.Count == 0)
            {
                Console.Error.WriteLine("import: name at least one file (--orders, --conditions, --reports, --reviews)");
                return ExitCodes.Usage;
            }

            var dir = parse.GetValue(workspace)!;
            var map = inputs.ColumnMap(parse);
            using var store = Workspaces.Open(dir, time);
            var outcome = await ImportRunner.RunAsync(store.Imports, files, map, parse.GetValue(inputs.Strict), parse.GetValue(rejects) ?? Path.Combine(dir, "rejects"), cancellationToken);
            return outcome.Clean ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    public static Command Screen(TimeProvider time)
    {
        var workspace = WorkspaceOption();
        var protocol = AuditArguments.ProtocolOption();
        var log = new Option<string?>("--screening-log") { Description = "Write screening.csv here (default: WORKSPACE/screening.csv)" };
        var command = new Command("screen", "Screen every order of a workspace against one or more protocols and log each decision with its evidence") { workspace, protocol, log };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dir = parse.GetValue(workspace)!;
            var chosen = ProtocolLoader.LoadAll(parse.GetValue(protocol)!);
            using var store = Workspaces.Open(dir, time);
            var path = parse.GetValue(log) ?? Path.Combine(dir, "screening.csv");
            IReadOnlyList<Core.Screening.ScreeningTally> tallies;
            using (var screeningLog = new ScreeningLogWriter(path))
            {
                // Streamed: a batch of orders in memory at a time, screened against every protocol on all cores, logged
                // and stored as it goes.
                tallies = await Core.Screening.WorkspaceScreening.ScreenStreamingAsync(
                    store.Data, store.Screening, chosen, time, (_, p, decision) => screeningLog.Add(decision, chosen[p].Protocol.Id), cancellationToken);
            }

            static string Counts(Core.Screening.ScreeningTally tally) =>
                string.Join(", ", tally.ByDecision.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}"));
            if (tallies.Count == 1)
            {
                Console.WriteLine($"screened {Plural.Count(tallies[0].Orders, "order")}: {Counts(tallies[0])}; wrote {path}");
            }
            else
            {
                Console.WriteLine($"screened {Plural.Count(tallies[0].Orders, "order")} against {tallies.Count} protocols; wrote {path}");
                foreach (var tally in tallies)
                {
                    Console.WriteLine($"  {tally.ProtocolId}: {Counts(tally)}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Report(TimeProvider time)
    {
        var workspace = WorkspaceOption();
        var audit = new AuditArguments();
        var deck = new Option<string?>("--deck") { Description = "Write the education deck for the ordering clinicians (.pptx) here" };
        var feedback = new Option<string?>("--feedback") { Description = "Write per-department feedback (.docx) here" };
        var html = new Option<string?>("--html") { Description = "Write the QI report (.html) here" };
        var command = new Command("report", "The reports people read: QI report (HTML), education deck (PowerPoint), per-department feedback (Word)") { workspace, deck, feedback, html };
        audit.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = audit.Protocols(parse);
            var all = audit.Outputs(parse);
            var outputs = all with
            {
                Report = parse.GetValue(html) ?? all.Report,
                Deck = parse.GetValue(deck) ?? all.Deck,
                Feedback = parse.GetValue(feedback) ?? all.Feedback,
            };
            if (outputs.Report is null && outputs.Deck is null && outputs.Feedback is null)
            {
                Console.Error.WriteLine("report: name at least one of --html, --deck, --feedback, or --out DIR for all of them");
                return ExitCodes.Usage;
            }

            using var store = Workspaces.Open(parse.GetValue(workspace)!, time);
            var result = await AuditRunner.RunAsync(store, chosen, audit.Options(parse), outputs, time, cancellationToken);
            AuditRunner.PrintHeadlines(result, outputs);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Analyze(TimeProvider time)
    {
        var workspace = WorkspaceOption();
        var audit = new AuditArguments();
        var command = new Command("analyze", "Screen and analyze a workspace: cohort, findings, yield, cost, follow-up; writes summary.json, screening.csv, report.html") { workspace };
        audit.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = audit.Protocols(parse);
            var options = audit.Options(parse);
            var outputs = audit.Outputs(parse);
            using var store = Workspaces.Open(parse.GetValue(workspace)!, time);
            var result = await AuditRunner.RunAsync(store, chosen, options, outputs, time, cancellationToken);
            AuditRunner.PrintHeadlines(result, outputs);
            return ExitCodes.Ok;
        });
        return command;
    }
}
