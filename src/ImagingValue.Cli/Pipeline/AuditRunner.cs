using ImagingValue.Core.Analytics;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;
using ImagingValue.Import.Csv;
using ImagingValue.Reports.Html;
using ImagingValue.Reports.Json;

namespace ImagingValue.Cli.Pipeline;

/// <summary>Where an audit writes its outputs; null paths are not written.</summary>
internal sealed record AuditOutputs(string? SummaryJson, string? ScreeningLog, string? Report)
{
    /// <summary>All three in one folder, unless a path is given on its own.</summary>
    public static AuditOutputs In(string? directory, string? json, string? screeningLog) => new(
        json ?? (directory is null ? null : Path.Combine(directory, "summary.json")),
        screeningLog ?? (directory is null ? null : Path.Combine(directory, "screening.csv")),
        directory is null ? null : Path.Combine(directory, "report.html"));
}

/// <summary>Screens a workspace, analyzes it and writes the outputs: the part of analyze, audit and demo they share.</summary>
internal static class AuditRunner
{
    public static async Task<AuditResult> RunAsync(IWorkspaceStore store, Protocol protocol, AuditOptions options, AuditOutputs outputs, TimeProvider time, CancellationToken cancellationToken)
    {
        var (run, orders) = await WorkspaceScreening.ScreenAsync(store, Screeners.For(protocol), time, cancellationToken);
        var reviews = await store.GetReviewsAsync(cancellationToken);
        var audit = AuditAnalyzer.Analyze(protocol, options, orders, run.Decisions, reviews);

        if (outputs.SummaryJson is { } json)
        {
            SummaryJson.Write(json, audit.Summary);
        }

        if (outputs.ScreeningLog is { } log)
        {
            ScreeningLogWriter.Write(log, run.Decisions, ScreeningLogWriter.Windows(audit));
        }

        if (outputs.Report is { } report)
        {
            AuditReport.Write(report, audit, time.GetUtcNow());
        }

        return audit;
    }

    /// <summary>The headline figures as the console shows them.</summary>
    public static void PrintHeadline(AuditResult audit, AuditOutputs outputs)
    {
        var s = audit.Summary;
        Console.WriteLine($"{audit.Protocol.Title}, {s.Period.From}..{s.Period.To}");
        Console.WriteLine($"  cohort: {s.Cohort.TargetExams} target exams, {s.Cohort.Excluded} excluded, {s.Cohort.Included} included");
        Console.WriteLine($"  excluded by reason: {string.Join(", ", s.Cohort.ExcludedByReason.Select(kv => $"{kv.Key} {kv.Value}"))}");
        Console.WriteLine($"  {AuditReport.Headline(s)}");
        foreach (var path in new[] { outputs.SummaryJson, outputs.ScreeningLog, outputs.Report }.OfType<string>())
        {
            Console.WriteLine($"  wrote {path}");
        }
    }
}
