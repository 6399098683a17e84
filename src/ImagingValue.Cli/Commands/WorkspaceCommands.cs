using System.CommandLine;
using ImagingValue.Cli.Pipeline;
using ImagingValue.Core.Data;
using ImagingValue.Import.Hl7;
using ImagingValue.Core.Text;
using ImagingValue.Protocols;
using ImagingValue.Reports.Exports;
using ImagingValue.Storage;
using ImagingValue.Storage.Postgres;
using ImagingValue.Storage.Sqlite;

namespace ImagingValue.Cli.Commands;

/// <summary>init, import, screen and analyze: the commands that work on a lasting workspace.</summary>
internal static class WorkspaceCommands
{
    internal static Option<string> WorkspaceOption() => new("--workspace") { Description = "The workspace folder", Required = true };

    /// <summary>The workspace setting that names the protocols its commands screen against when they name none.</summary>
    internal const string EnabledProtocolsSetting = "protocols";

    /// <summary>The protocols a command's <c>--protocol</c> names, loaded now; null when it names none.</summary>
    internal static IReadOnlyList<Core.Protocols.ProtocolRuntime>? NamedProtocols(ParseResult parse, Option<string[]> option) =>
        parse.GetResult(option) is { Implicit: false } ? ProtocolLoader.LoadAll(parse.GetValue(option)!) : null;

    /// <summary>
    /// The protocols a workspace command screens against: <paramref name="named"/> (its <c>--protocol</c>); else the
    /// workspace's own (<c>init --protocol</c>); else the option's default, the sacrum protocol.
    /// </summary>
    internal static async Task<IReadOnlyList<Core.Protocols.ProtocolRuntime>> ProtocolsAsync(IReadOnlyList<Core.Protocols.ProtocolRuntime>? named, ParseResult parse, Option<string[]> option, Core.Storage.IWorkspace store, CancellationToken cancellationToken)
    {
        if (named is not null)
        {
            return named;
        }

        if (await store.Settings.GetAsync(EnabledProtocolsSetting, cancellationToken) is not { } enabled)
        {
            return ProtocolLoader.LoadAll(parse.GetValue(option)!);
        }

        try
        {
            return ProtocolLoader.LoadAll(enabled.Split('\n'));
        }
        catch (FormatException ex)
        {
            throw new FormatException($"this workspace's protocols (init --protocol): {ex.Message}", ex);
        }
    }

    // Built-in ids as given, files as absolute paths, so the workspace finds them from any folder.
    private static List<string> EnabledProtocols(string[] given)
    {
        var values = given.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(v => File.Exists(v) && !ProtocolLoader.BuiltInIds.Contains(v) ? Path.GetFullPath(v) : v)
            .ToList();
        _ = ProtocolLoader.LoadAll(values);
        return values;
    }

    public static Command Init(TimeProvider time)
    {
        var workspace = WorkspaceOption();
        var database = new Option<string?>("--database") { Description = "Keep the workspace in PostgreSQL: Host=…;Port=…;Username=…;Database=… or postgresql://user@host:port/db (the folder keeps it without a password; the password comes from PGPASSWORD or .pgpass)" };
        var timeZone = new Option<string?>("--time-zone") { Description = "The site's IANA time zone (default UTC): instants with an offset (FHIR, HL7 +hhmm) become local times there" };
        var protocols = new Option<string[]>("--protocol") { Description = "The protocols this workspace screens against when a command names none (built-in ids or YAML files; repeat or separate with commas); default sacrum-mri-lbp" };
        var command = new Command("init", "Create a workspace (SQLite file DIR/imaging-value.db, or a PostgreSQL database with --database)") { workspace, database, timeZone, protocols };
        command.SetAction(async (parse, cancellationToken) =>
        {
            TimeZoneInfo? zone = null;
            if (parse.GetValue(timeZone) is { } zoneName && !SiteTimeZone.TryFind(zoneName, out zone, out var zoneError))
            {
                Console.Error.WriteLine($"init: --time-zone {zoneError}");
                return ExitCodes.Usage;
            }

            // Checked before the workspace is made: a misspelt protocol id never leaves a workspace behind.
            var enabled = parse.GetValue(protocols) is { Length: > 0 } given ? EnabledProtocols(given) : null;
            var dir = parse.GetValue(workspace)!;
            using var store = parse.GetValue(database) is { } connection ? Workspaces.Create(dir, connection, time) : Workspaces.Create(dir, time);
            if (enabled is not null)
            {
                await store.Settings.SetAsync(EnabledProtocolsSetting, string.Join('\n', enabled), cancellationToken);
            }

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

            IReadOnlyList<string> screened = enabled is not null ? enabled : (await store.Settings.GetAsync(EnabledProtocolsSetting, cancellationToken))?.Split('\n') ?? ["sacrum-mri-lbp"];
            Console.Error.WriteLine($"workspace ready: {Workspaces.Describe(dir)} (schema version {(store is PostgresWorkspace ? PostgresWorkspace.SchemaVersion : SqliteWorkspace.SchemaVersion)}, time zone {zone?.Id ?? stored ?? "UTC"}, protocols {string.Join(", ", screened)})");
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
        var check = new Option<bool>("--check") { Description = "Read the CSV files with the --map profile, show how the first rows map and the errors per field, and store nothing" };
        var fhir = new Option<string[]>("--fhir") { Description = "FHIR R4: Bulk Data export folders (manifest.json or *.ndjson), NDJSON files or Bundle .json files, all stored in one transaction", AllowMultipleArgumentsPerToken = true };
        var command = new Command("import", "Load CSV exports, HL7 v2 message files or FHIR R4 exports into a workspace: bad rows rejected, the rest stored (--strict: each file all or nothing); re-import updates by key") { workspace, rejects, hl7, fhir, check };
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
            if (parse.GetValue(check))
            {
                if (hl7Files.Length > 0 || fhirPaths.Length > 0 || files.Count == 0)
                {
                    Console.Error.WriteLine("import: --check reads CSV files (--orders, --conditions, --reports, --reviews); leave --hl7 and --fhir out");
                    return ExitCodes.Usage;
                }

                // The workspace is not even opened: a check cannot change it.
                return await ImportRunner.CheckAsync(files, map, Console.Out, cancellationToken) ? ExitCodes.Ok : ExitCodes.Failed;
            }

            using var store = Workspaces.Open(dir, time);
            var siteZone = await SiteTimeZone.OfAsync(store.Settings, cancellationToken);
            var clean = true;
            if (files.Count > 0)
            {
                // A profile's zone other than the workspace's would store this file's times on another clock than the rest.
                if (InputArguments.ZoneConflict(files, map, siteZone) is { } conflict)
                {
                    Console.Error.WriteLine($"import: {conflict}: nothing imported");
                    return ExitCodes.Usage;
                }

                clean = (await ImportRunner.RunAsync(store.Imports, files, map, parse.GetValue(inputs.Strict), parse.GetValue(rejects) ?? Path.Combine(dir, "rejects"), cancellationToken)).Clean;
            }

            if (hl7Files.Length > 0)
            {
                clean &= await Hl7ImportRunner.RunAsync(new Hl7FeedHandler(store.Feeds, siteZone, time), hl7Files, cancellationToken);
            }

            if (fhirPaths.Length > 0)
            {
                clean &= await FhirImportRunner.RunAsync(store.Imports, siteZone, fhirPaths, parse.GetValue(inputs.Strict), parse.GetValue(rejects) ?? Path.Combine(dir, "rejects"), cancellationToken);
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
            Console.Error.WriteLine($"export: {string.Join(", ", counts.RowsByFile.Select(f => $"{f.Key} {Plural.Count(f.Value, "row")}"))} in {parse.GetValue(output)}");
            return ExitCodes.Ok;
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
            // Named protocols are loaded (and a misspelt one refused) before the workspace is opened.
            var named = NamedProtocols(parse, protocol);
            using var store = Workspaces.Open(dir, time);
            var chosen = await ProtocolsAsync(named, parse, protocol, store, cancellationToken);
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
            var named = NamedProtocols(parse, audit.Protocol);
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
            var chosen = await ProtocolsAsync(named, parse, audit.Protocol, store, cancellationToken);
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
            var named = NamedProtocols(parse, audit.Protocol);
            var options = audit.Options(parse);
            var outputs = audit.Outputs(parse);
            using var store = Workspaces.Open(parse.GetValue(workspace)!, time);
            var chosen = await ProtocolsAsync(named, parse, audit.Protocol, store, cancellationToken);
            var result = await AuditRunner.RunAsync(store, chosen, options, outputs, time, cancellationToken);
            AuditRunner.PrintHeadlines(result, outputs);
            return ExitCodes.Ok;
        });
        return command;
    }
}
