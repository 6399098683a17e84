using System.CommandLine;
using ImagingValue.Cli.Pipeline;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Data;
using ImagingValue.Core.Interventions;
using ImagingValue.Core.Text;
using ImagingValue.Import.Csv;
using ImagingValue.Protocols;
using ImagingValue.Synthetic;
using ImagingValue.Storage;
using ImagingValue.Storage.Sqlite;

namespace ImagingValue.Cli.Commands;

/// <summary>audit, demo and synth: the one-shot commands that need no lasting workspace.</summary>
internal static class AuditCommands
{
    /// <summary>The published study's windows, used by demo.</summary>
    private static readonly AuditOptions _paper = new(
        DateRange.Parse("2013-07-01..2017-06-30"),
        new DateOnly(2018, 6, 30),
        DateRange.Parse("2018-07-01..2018-09-30"),
        4900m);

    public static Command Audit(TimeProvider time)
    {
        var inputs = new InputArguments(ordersRequired: true);
        // --check reads the files and audits nothing, so it needs no review period; every other audit does.
        var audit = new AuditArguments(periodRequired: false);
        var allowPartial = new Option<bool>("--allow-partial") { Description = "Write the outputs even when an input file was refused, each marked as partial (exit 0)" };
        var check = new Option<bool>("--check") { Description = "Read the CSV files with the --map profile, show how the first rows map and the errors per field, and audit nothing (as import --check; no --period needed)" };
        var command = new Command("audit", "One-shot audit from CSV exports, without a lasting workspace") { allowPartial, check };
        inputs.AddTo(command);
        audit.AddTo(command);
        command.Validators.Add(result =>
        {
            if (!result.GetValue(check) && result.GetResult(audit.Period) is null)
            {
                result.AddError("Option '--period' is required (the review period, FROM..TO); only --check does without it.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var protocols = audit.Protocols(parse);
            var map = inputs.ColumnMap(parse);
            var files = inputs.Files(parse);
            if (InputArguments.ZoneConflict(files, map, siteZone: null) is { } conflict)
            {
                Console.Error.WriteLine($"audit: {conflict}: nothing audited");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(check))
            {
                return await ImportRunner.CheckAsync(files, map, Console.Out, cancellationToken) ? ExitCodes.Ok : ExitCodes.Failed;
            }

            var options = audit.Options(parse);
            var outputs = audit.Outputs(parse);

            var scratch = Directory.CreateTempSubdirectory("imaging-value-audit-");
            try
            {
                ImportOutcome imported;
                IReadOnlyList<AuditRun> result;
                var partialAllowed = parse.GetValue(allowPartial);
                using (var store = Workspaces.Create(scratch.FullName, time))
                {
                    var rejects = parse.GetValue(audit.Out) is { } outDir ? Path.Combine(outDir, "rejects") : null;
                    imported = await ImportRunner.RunAsync(store.Imports, files, map, parse.GetValue(inputs.Strict), rejects, cancellationToken, quiet: true);
                    if (imported.FilesRefused.Count > 0 && !partialAllowed)
                    {
                        // Figures from part of the input are not printed as if they were the audit.
                        Console.Error.WriteLine($"audit: {string.Join(", ", imported.FilesRefused)} refused (see above): no output written; fix the input, or pass --allow-partial for outputs marked partial");
                        return ExitCodes.Failed;
                    }

                    var input = new InputSummary(imported.RowsRejected, imported.FilesRefused, Partial: !imported.Clean);
                    result = await AuditRunner.RunAsync(store, protocols, options, outputs, time, cancellationToken, input);
                }

                AuditRunner.PrintHeadlines(result, outputs);
                if (!imported.Clean)
                {
                    Console.Error.WriteLine("audit: some input was rejected (see above); the figures leave it out and every output says so");
                }

                return imported.Clean || partialAllowed ? ExitCodes.Ok : ExitCodes.Failed;
            }
            finally
            {
                scratch.Delete(recursive: true);
            }
        });
        return command;
    }

    public static Command Demo(TimeProvider time)
    {
        var output = new Option<string>("--out") { Description = "Folder for the dataset, workspace and reports", DefaultValueFactory = _ => "imaging-value-demo" };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic dataset", DefaultValueFactory = _ => PaperDataset.DefaultSeed };
        var command = new Command("demo", "The main job on the bundled paper-calibrated dataset: workspace, screening, reviews, analysis, report") { output, seed };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dir = Path.GetFullPath(parse.GetValue(output)!);
            var data = Path.Combine(dir, "data");
            var workspace = Path.Combine(dir, "workspace");
            Console.Error.WriteLine($"demo: writing the synthetic paper dataset to {data}");
            PaperDataset.Write(data, parse.GetValue(seed));

            // The demo's workspace is its own: start it afresh each run.
            foreach (var file in Directory.Exists(workspace) ? Directory.GetFiles(workspace, SqliteWorkspace.FileName + "*") : [])
            {
                File.Delete(file);
            }

            using var store = Workspaces.Create(workspace, time);
            var files = CanonicalTable.All.Select(t => (t, Path.Combine(data, t.Name + ".csv"))).ToList();
            if (!(await ImportRunner.RunAsync(store.Imports, files, ColumnMap.None, strict: true, Path.Combine(workspace, "rejects"), cancellationToken, quiet: true)).Clean)
            {
                return ExitCodes.Failed;
            }

            // The paper's intervention: results presented to Family Medicine, followed up to the end of September 2018.
            var protocol = ProtocolLoader.Load("sacrum-mri-lbp");
            await store.Interventions.AddInterventionAsync(new Intervention(0, _paper.Intervention!.Value, "education", ["Family Medicine"], "audit results presented to the ordering clinicians", protocol.Protocol.Id), cancellationToken);
            var outputs = AuditOutputs.In(dir, null, null);
            var result = await AuditRunner.RunAsync(store, protocol, _paper, outputs, time, cancellationToken);
            AuditRunner.PrintHeadline(result, outputs);

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Synth()
    {
        var output = new Option<string>("--out") { Description = "Folder for orders.csv, conditions.csv, reports.csv, reviews.csv and truth.csv", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed: the figures are the same for every seed, the details differ", DefaultValueFactory = _ => PaperDataset.DefaultSeed };
        var paper = new Command("paper", "The paper-calibrated sacrum MRI dataset: 322 target exams in 48 months, 98 without red flags, and a follow-up") { output, seed };
        paper.SetAction(parse =>
        {
            var dir = parse.GetValue(output)!;
            var summary = PaperDataset.Write(dir, parse.GetValue(seed));
            Console.WriteLine($"wrote {dir}: {Plural.Count(summary.Orders, "order")}, {Plural.Count(summary.Conditions, "condition")}, {Plural.Count(summary.Reports, "report")}, {Plural.Count(summary.Reviews, "review")}, {Plural.Count(summary.DistinctIndications, "distinct indication")}");
            return ExitCodes.Ok;
        });
        var rows = new Option<long>("--rows") { Description = "Number of orders", DefaultValueFactory = _ => 1_000_000 };
        var file = new Option<string>("--out") { Description = "The orders.csv to write", Required = true };
        var orderSeed = new Option<int>("--seed") { Description = "Seed", DefaultValueFactory = _ => PaperDataset.DefaultSeed };
        var orders = new Command("orders", "A large canonical orders.csv for load tests and benchmarks (streamed, realistic rows)") { rows, file, orderSeed };
        orders.SetAction(parse =>
        {
            var written = LoadTestOrders.Write(parse.GetValue(file)!, parse.GetValue(rows), parse.GetValue(orderSeed));
            Console.WriteLine($"wrote {parse.GetValue(file)}: {Plural.Count(written, "order")}");
            return ExitCodes.Ok;
        });
        var protocolId = new Argument<string>("protocol") { Description = "A built-in protocol id or a protocol YAML file" };
        var protocolOut = new Option<string>("--out") { Description = "Folder for orders.csv, conditions.csv, reports.csv and truth.csv", Required = true };
        var protocolOrders = new Option<int>("--orders") { Description = "Number of orders", DefaultValueFactory = _ => ProtocolCohort.DefaultOrders };
        var protocolSeed = new Option<int>("--seed") { Description = "Seed: the same seed writes the same files", DefaultValueFactory = _ => PaperDataset.DefaultSeed };
        var cohort = new Command("protocol", "A synthetic cohort for any protocol, from its example cases: each order decided as its example expects (truth.csv)")
        {
            protocolId, protocolOut, protocolOrders, protocolSeed,
        };
        cohort.SetAction(parse =>
        {
            var dir = parse.GetValue(protocolOut)!;
            var count = parse.GetValue(protocolOrders);
            if (count < 1)
            {
                Console.Error.WriteLine($"--orders: {count} is not a number of orders (1 or more)");
                return ExitCodes.Usage;
            }

            var protocol = ProtocolLoader.Load(parse.GetValue(protocolId)!).Protocol;
            if (protocol.Examples.Count == 0)
            {
                Console.Error.WriteLine($"{protocol.Id}: the protocol has no examples to build a cohort from (examples: docs/protocols.md)");
                return ExitCodes.Failed;
            }

            var (orders, conditions, reports) = ProtocolCohort.Write(dir, protocol, count, parse.GetValue(protocolSeed));
            Console.WriteLine($"wrote {dir}: {Plural.Count(orders, "order")}, {Plural.Count(conditions, "condition")}, {Plural.Count(reports, "report")} from {Plural.Count(protocol.Examples.Count, "example")} of {protocol.Id}");
            return ExitCodes.Ok;
        });
        return new Command("synth", "Generate synthetic datasets") { paper, orders, cohort };
    }
}
