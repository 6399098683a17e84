using System.CommandLine;
using ImagingValue.Cli.Pipeline;
using ImagingValue.Core.Data;
using ImagingValue.Import.Hl7;
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
        var timeZone = new Option<string?>("--time-zone") { Description = "The site's IANA time zone (default UTC): instants with an offset (FHIR, HL7 +hhmm) become local times there" };
        var command = new Command("init", "Create a workspace (SQLite file DIR/imaging-value.db)") { workspace, database, timeZone };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(database) is not null)
            {
                Console.Error.WriteLine("init: --database (PostgreSQL) is not supported yet; leave it out to use SQLite");
                return ExitCodes.Usage;
            }

            TimeZoneInfo? zone = null;
            if (parse.GetValue(timeZone) is { } zoneName && !SiteTimeZone.TryFind(zoneName, out zone, out var zoneError))
            {
                Console.Error.WriteLine($"init: --time-zone {zoneError}");
                return ExitCodes.Usage;
            }

            var dir = parse.GetValue(workspace)!;
            using var store = Workspaces.Create(dir, time);
            var stored = await store.Settings.GetAsync(SiteTimeZone.SettingName, cancellationToken);
            if (zone is not null && stored is not null && stored != zone.Id)
            {
                // Times already stored are local times of the old zone: changing it would mix two clocks silently.
                Console.Error.WriteLine($"init: this workspace's time zone is {stored}; it cannot change to {zone.Id} (times already stored are local times there)");
                return ExitCodes.Failed;
            }

            if (zone is not null && stored is null)
            {
                await store.Settings.SetAsync(SiteTimeZone.SettingName, zone.Id, cancellationToken);
            }

            Console.Error.WriteLine($"workspace ready: {Path.Combine(dir, SqliteWorkspace.FileName)} (schema version {SqliteWorkspace.SchemaVersion}, time zone {zone?.Id ?? stored ?? "UTC"})");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Import(TimeProvider time)
    {
        var workspace = WorkspaceOption();
        var inputs = new InputArguments(ordersRequired: false);
        var rejects = new Option<string?>("--rejects") { Description = "Folder for NAME.rejects.csv files (default: WORKSPACE/rejects)" };
        var hl7 = new Option<string[]>("--hl7") { Description = "Files of HL7 v2 messages (plain or MLLP-framed): each message stored whole or refused and kept (hl7 errors)", AllowMultipleArgumentsPerToken = true };
        var fhir = new Option<string[]>("--fhir") { Description = "FHIR R4: Bulk Data export folders (manifest.json or *.ndjson), NDJSON files or Bundle .json files, all stored in one transaction", AllowMultipleArgumentsPerToken = true };
        var command = new Command("import", "Load CSV exports, HL7 v2 message files or FHIR R4 exports into a workspace: bad rows rejected, the rest stored (--strict: each file all or nothing); re-import updates by key") { workspace, rejects, hl7, fhir };
        inputs.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var files = inputs.Files(parse);
            var hl7Files = parse.GetValue(hl7) ?? [];
            var fhirPaths = parse.GetValue(fhir) ?? [];
            if (files.Count == 0 && hl7Files.Length == 0 && fhirPaths.Length == 0)
            {
                Console.Error.WriteLine("import: name at least one file (--orders, --conditions, --reports, --reviews, --hl7, --fhir)");
                return ExitCodes.Usage;
            }

            var dir = parse.GetValue(workspace)!;
            var map = inputs.ColumnMap(parse);
            using var store = Workspaces.Open(dir, time);
            var clean = true;
            if (files.Count > 0)
            {
                clean = (await ImportRunner.RunAsync(store.Imports, files, map, parse.GetValue(inputs.Strict), parse.GetValue(rejects) ?? Path.Combine(dir, "rejects"), cancellationToken)).Clean;
            }

            if (hl7Files.Length > 0)
            {
                var handler = new Hl7FeedHandler(store.Feeds, await SiteTimeZone.OfAsync(store.Settings, cancellationToken), time);
                clean &= (await Hl7ImportRunner.RunAsync(handler, hl7Files, cancellationToken)).Clean;
            }

            if (fhirPaths.Length > 0)
            {
                var zone = await SiteTimeZone.OfAsync(store.Settings, cancellationToken);
                clean &= await FhirImportRunner.RunAsync(store.Imports, zone, fhirPaths, parse.GetValue(inputs.Strict), parse.GetValue(rejects) ?? Path.Combine(dir, "rejects"), cancellationToken);
            }

            return clean ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    public static Command Export(TimeProvider time)
    {
        var workspace = WorkspaceOption();
        var output = new Option<string>("--out") { Description = "Folder for orders.csv, conditions.csv, reports.csv and reviews.csv", Required = true };
        var command = new Command("export", "Write the workspace's canonical CSVs (orders, conditions, reports, reviews) as stored: see exactly what is kept, or move a workspace") { workspace, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var store = Workspaces.Open(parse.GetValue(workspace)!, time);
            var counts = await CanonicalExport.WriteAsync(store.Data, parse.GetValue(output)!, cancellationToken);
            Console.Error.WriteLine($"export: {string.Join(", ", counts.RowsByFile.Select(f => $"{f.Key} {f.Value} rows"))} in {parse.GetValue(output)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Screen(TimeProvider time)
    {
        var workspace = WorkspaceOption();
        var protocol = new Option<string>("--protocol") { Description = "A built-in protocol id or a protocol YAML file", DefaultValueFactory = _ => "sacrum-mri-lbp" };
        var log = new Option<string?>("--screening-log") { Description = "Write screening.csv here (default: WORKSPACE/screening.csv)" };
        var command = new Command("screen", "Screen every order of a workspace against a protocol and log each decision with its evidence") { workspace, protocol, log };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dir = parse.GetValue(workspace)!;
            var chosen = ProtocolLoader.Load(parse.GetValue(protocol)!);
            using var store = Workspaces.Open(dir, time);
            var path = parse.GetValue(log) ?? Path.Combine(dir, "screening.csv");
            Core.Screening.ScreeningTally tally;
            using (var screeningLog = new ScreeningLogWriter(path))
            {
                // Streamed: a batch of orders in memory at a time, screened on all cores, logged and stored as it goes.
                tally = await Core.Screening.WorkspaceScreening.ScreenStreamingAsync(store.Data, store.Screening, chosen, time, (_, decision) => screeningLog.Add(decision), cancellationToken);
            }

            Console.WriteLine($"screened {Plural.Count(tally.Orders, "order")}: {string.Join(", ", tally.ByDecision.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}"))}; wrote {path}");
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
            var chosen = ProtocolLoader.Load(parse.GetValue(audit.Protocol)!);
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
            AuditRunner.PrintHeadline(result, outputs);
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
            var chosen = ProtocolLoader.Load(parse.GetValue(audit.Protocol)!);
            var options = audit.Options(parse);
            var outputs = audit.Outputs(parse);
            using var store = Workspaces.Open(parse.GetValue(workspace)!, time);
            var result = await AuditRunner.RunAsync(store, chosen, options, outputs, time, cancellationToken);
            AuditRunner.PrintHeadline(result, outputs);
            return ExitCodes.Ok;
        });
        return command;
    }
}
