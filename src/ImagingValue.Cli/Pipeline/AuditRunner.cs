using System.Globalization;
using ImagingValue.Core.Alerts;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Monitoring;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Review;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;
using ImagingValue.Core.Text;
using ImagingValue.Reports.Exports;
using ImagingValue.Reports.Html;
using ImagingValue.Reports.Office;

namespace ImagingValue.Cli.Pipeline;

/// <summary>Where an audit writes its outputs; null paths are not written.</summary>
internal sealed record AuditOutputs(string? SummaryJson, string? ScreeningLog, string? Report, string? Findings = null, string? Deck = null, string? Feedback = null)
{
    /// <summary>All of them in one folder, unless a path is given on its own.</summary>
    public static AuditOutputs In(string? directory, string? json, string? screeningLog) => new(
        json ?? (directory is null ? null : Path.Combine(directory, "summary.json")),
        screeningLog ?? (directory is null ? null : Path.Combine(directory, "screening.csv")),
        directory is null ? null : Path.Combine(directory, "report.html"),
        directory is null ? null : Path.Combine(directory, "findings.csv"),
        directory is null ? null : Path.Combine(directory, "education-deck.pptx"),
        directory is null ? null : Path.Combine(directory, "department-feedback.docx"));

    /// <summary>
    /// Where the protocol at <paramref name="index"/> of an audit of several writes its own outputs: the first one
    /// here; each further one in a folder named after its id beside each file, without summary.json and
    /// screening.csv (those hold every protocol).
    /// </summary>
    public AuditOutputs ForProtocol(int index, string protocolId)
    {
        if (index == 0)
        {
            return this;
        }

        string? Beside(string? path) => path is null ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, protocolId, Path.GetFileName(path));
        return new AuditOutputs(null, null, Beside(Report), Beside(Findings), Beside(Deck), Beside(Feedback));
    }
}

/// <summary>An audit's figures, and its monitoring when the workspace records interventions.</summary>
internal sealed record AuditRun(AuditResult Audit, MonitorResult? Monitor);

/// <summary>
/// Analyzes a workspace and writes the outputs, the part of analyze, report, audit and demo they share: from the latest
/// screening run when the data and protocol are unchanged since, else from a new one.
/// </summary>
internal static class AuditRunner
{
    /// <summary>One protocol's audit (<see cref="RunAsync(IWorkspace, IReadOnlyList{ProtocolRuntime}, AuditOptions, AuditOutputs, TimeProvider, CancellationToken, InputSummary?)"/>).</summary>
    public static async Task<AuditRun> RunAsync(
        IWorkspace store, ProtocolRuntime runtime, AuditOptions options, AuditOutputs outputs, TimeProvider time, CancellationToken cancellationToken, InputSummary? input = null) =>
        (await RunAsync(store, [runtime], options, outputs, time, cancellationToken, input))[0];

    /// <summary>
    /// Audits a workspace against each protocol (screened together when a run is not current) and writes the outputs:
    /// the first protocol's where <paramref name="outputs"/> says, as a single-protocol audit writes them;
    /// screening.csv with every protocol's rows; summary.json with every protocol's figures under <c>protocols</c>
    /// when there are several; each further protocol's report, deck, feedback, findings and monitoring in a folder
    /// named after its id beside them.
    /// </summary>
    /// <param name="input">
    /// What the command's own imports left out, stated in every output. Null for a workspace's earlier imports: then
    /// the rows they rejected, as the workspace recorded them (not stated when an import predates that record).
    /// </param>
    public static async Task<IReadOnlyList<AuditRun>> RunAsync(
        IWorkspace store, IReadOnlyList<ProtocolRuntime> runtimes, AuditOptions options, AuditOutputs outputs, TimeProvider time, CancellationToken cancellationToken, InputSummary? input = null)
    {
        var screened = await WorkspaceScreening.LatestOrScreenAsync(store.Data, store.Screening, runtimes, time, cancellationToken);
        // Only the target exams are held (with their orders); every other order is read once, a page at a time, for
        // the few figures it adds, so ten million orders are never in memory at once.
        var inputs = await AuditInputs.ReadAsync(store.Data, store.Screening, screened, [.. runtimes.Select(r => r.Protocol)], cancellationToken);
        if (input is null && await store.Data.GetRejectedImportRowsAsync(cancellationToken) is { } rejected)
        {
            input = new InputSummary(rejected, [], Partial: rejected > 0);
        }

        // Every output of synthetic data says so (summary.json "synthetic", every page and slide).
        var synthetic = await store.Data.HasSyntheticOrdersAsync(cancellationToken);
        var reviews = await store.Data.GetReviewsAsync(cancellationToken);
        var audits = new List<(AuditRun Run, IReadOnlyDictionary<string, FindingSuggestion>? Suggestions)>();
        for (var i = 0; i < runtimes.Count; i++)
        {
            audits.Add(await AnalyzeAsync(store, runtimes[i], inputs.Targets[i], inputs.Facts, reviews, options, input, synthetic, time, cancellationToken));
        }

        if (outputs.SummaryJson is { } json)
        {
            var first = audits[0].Run.Audit.Summary;
            SummaryJson.Write(json, audits.Count == 1 ? first : first with { Protocols = audits.ToDictionary(a => a.Run.Audit.Protocol.Id, a => a.Run.Audit.Summary, StringComparer.Ordinal) });
        }

        if (outputs.ScreeningLog is { } log)
        {
            // Streamed from the stored runs: a row per order and protocol, never all in memory.
            await ScreeningLogWriter.WriteAsync(
                log,
                [.. audits.Select((a, i) => new ProtocolDecisionStream(a.Run.Audit.Protocol.Id, store.Screening.ReadScreeningDecisionsAsync(screened[i].RunId, cancellationToken), ScreeningLogWriter.Windows(a.Run.Audit)))],
                cancellationToken);
        }

        for (var i = 0; i < audits.Count; i++)
        {
            WriteReports(audits[i].Run, audits[i].Suggestions, outputs.ForProtocol(i, audits[i].Run.Audit.Protocol.Id), time);
        }

        return [.. audits.Select(a => a.Run)];
    }

    /// <summary>One protocol's figures from its screening run; records the analysis and the local evidence the card cites.</summary>
    private static async Task<(AuditRun Run, IReadOnlyDictionary<string, FindingSuggestion>? Suggestions)> AnalyzeAsync(
        IWorkspace store,
        ProtocolRuntime runtime,
        IReadOnlyList<TargetOrder> targets,
        OrderFacts facts,
        IReadOnlyList<Core.Data.ExamReview> reviews,
        AuditOptions options,
        InputSummary? input,
        bool synthetic,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var protocol = runtime.Protocol;
        var suggestions = await SuggestFindingsAsync(store.Data, runtime, targets, cancellationToken);
        var audit = AuditAnalyzer.Analyze(protocol, options, targets, facts, reviews, suggestions);
        if (input is not null)
        {
            audit = audit with { Summary = audit.Summary with { Input = input } };
        }

        if (synthetic)
        {
            audit = audit with { Summary = audit.Summary with { Synthetic = true } };
        }

        var monitor = await MonitorAsync(store, protocol, options, targets, facts, cancellationToken);
        // The review pages open on this period and the dashboard shows these figures (nothing is written when they are
        // the latest already). The charge is recorded as used, so a command that gives the protocol's own charge and
        // one that leaves it out record the same analysis.
        await store.Screening.RecordAnalysisAsync(protocol.Id, options with { ChargePerExam = options.ChargePerExam ?? protocol.ChargePerExam }, time.GetUtcNow(), cancellationToken);
        if (LocalEvidence.Of(audit.Summary, time.GetUtcNow()) is { } evidence)
        {
            // The point-of-order card cites the newest audit of its protocol.
            await store.Evidence.SaveAsync(evidence, cancellationToken);
        }

        return (new AuditRun(audit, monitor), suggestions);
    }

    /// <summary>The outputs of one protocol that people read: findings, report, deck, feedback, monitor.json.</summary>
    private static void WriteReports(AuditRun run, IReadOnlyDictionary<string, FindingSuggestion>? suggestions, AuditOutputs outputs, TimeProvider time)
    {
        var (audit, monitor) = (run.Audit, run.Monitor);
        if (outputs.Findings is { } findings && suggestions is not null)
        {
            FindingsLogWriter.Write(findings, suggestions.Values);
        }

        if (outputs.Report is { } report)
        {
            AuditReport.Write(report, audit, time.GetUtcNow(), monitor);
        }

        if (outputs.Deck is { } deck)
        {
            EducationDeck.Write(deck, audit, time.GetUtcNow());
        }

        if (outputs.Feedback is { } feedback)
        {
            DepartmentFeedback.Write(feedback, audit, time.GetUtcNow());
        }

        if (monitor is not null && outputs.Report is { } reportPath)
        {
            SummaryJson.Write(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(reportPath))!, "monitor.json"), monitor);
        }
    }

    /// <summary>Monitoring from the start of the review period to the end of the follow-up (or of the data), when there are interventions.</summary>
    private static async Task<MonitorResult?> MonitorAsync(
        IWorkspace store, Protocol protocol, AuditOptions options, IReadOnlyList<TargetOrder> targets, OrderFacts facts, CancellationToken cancellationToken)
    {
        var interventions = await store.Interventions.GetInterventionsAsync(cancellationToken);
        return OrderingMonitor.ForAudit(protocol, options, AuditInputs.IncludedExamDates(targets), facts, interventions) is { } result
            ? await MonitorOutput.WithPointOfOrderAsync(result, store.Alerts, facts, cancellationToken)
            : null;
    }

    /// <summary>Report-text suggestions for every target exam with a report, when the protocol defines finding classes.</summary>
    private static async Task<IReadOnlyDictionary<string, FindingSuggestion>?> SuggestFindingsAsync(
        IClinicalDataStore store, ProtocolRuntime runtime, IReadOnlyList<TargetOrder> targets, CancellationToken cancellationToken)
    {
        if (runtime.FindingSuggester is not { } suggester)
        {
            return null;
        }

        var reports = await store.GetReportsAsync(cancellationToken);
        if (reports.Count == 0)
        {
            return null;
        }

        return ReportFindings.SuggestAll(suggester, targets.Where(t => t.Decision.Decision != Decision.NotTarget).Select(t => t.Order), reports);
    }

    /// <summary>Each protocol's headline figures, the first one's first, with the files each wrote.</summary>
    public static void PrintHeadlines(IReadOnlyList<AuditRun> runs, AuditOutputs outputs)
    {
        for (var i = 0; i < runs.Count; i++)
        {
            if (i > 0)
            {
                Console.WriteLine();
            }

            PrintHeadline(runs[i], outputs.ForProtocol(i, runs[i].Audit.Protocol.Id));
        }
    }

    /// <summary>The headline figures as the console shows them.</summary>
    public static void PrintHeadline(AuditRun run, AuditOutputs outputs)
    {
        var audit = run.Audit;
        var s = audit.Summary;
        var r = s.Review;
        var money = (double value) => "$" + value.ToString("#,0", CultureInfo.InvariantCulture);
        Console.WriteLine($"{audit.Protocol.Title}, {s.Period.From}..{s.Period.To}");
        if (s.Synthetic == true)
        {
            Console.WriteLine($"  data:       {Reports.Html.AuditReport.SyntheticNotice}");
        }

        if (s.Input is { } input)
        {
            // The sentence the reports print starts with its own label ("Input:", "Partial input:").
            Console.WriteLine($"  {input.Describe()}");
        }

        Console.WriteLine($"  cohort:     {Plural.Count(s.Cohort.TargetExams, "target exam")}, {s.Cohort.Excluded} excluded, {s.Cohort.Included} included ({Plural.Count(s.Cohort.Cancelled, "cancelled order")} not counted)");
        Console.WriteLine($"  excluded:   {string.Join(", ", s.Cohort.ExcludedByReason.Select(kv => $"{kv.Key} {kv.Value}"))}");
        var coverage = new Reports.ReviewCoverage(r.Reviewed, s.Cohort.Included);
        if (coverage.None)
        {
            Console.WriteLine($"  findings:   {coverage.Status}");
        }
        else
        {
            var interval = s.Yield.MajorCi95 is { } ci ? $" ({Pct(s.Yield.MajorRate!.Value)}, 95% CI {Pct(ci[0])}–{Pct(ci[1])})" : string.Empty;
            var soFar = coverage.Complete ? string.Empty : $" of the {r.Reviewed} reviewed so far";
            Console.WriteLine($"  findings:   {r.MajorFindings}/{r.Reviewed} major{interval}, {r.MinorFindings} minor, {r.IncidentalFindings} incidental; management changed: {r.ManagementMajor} major, {r.ManagementMinor} minor{soFar}; {coverage.Status}");
        }

        // Charges per major finding divide the charges of every included exam: only with every one reviewed.
        Console.WriteLine($"  cost:       {money(s.Cost.TotalCharges)} ({s.Cohort.Included} x {money(s.Cost.ChargePerExam)})" + (coverage.Complete && s.Cost.ChargesPerMajorFinding is { } per ? $", {money(per)} per major finding" : string.Empty));
        if (s.FollowUp is { Covered: false } uncovered)
        {
            var end = uncovered.CoveredThrough is { } through ? $"the data ends on {through}" : "no order on or after its start";
            Console.WriteLine($"  follow-up:  {uncovered.From}..{uncovered.To}: no data for this window ({end}); nothing observed is claimed");
        }
        else if (s.FollowUp is { Observed: { } observed, AvoidedExams: { } avoided, Savings: { } savings } f)
        {
            var change = f.ChangePct is { } pct ? pct.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%" : "n/a";
            Console.WriteLine($"  follow-up:  {f.From}..{f.To}: {observed} observed, {Num(f.Expected)} expected against the review period's {Num(f.BaselinePerMonth)} a month: change {change}; {Plural.Count(avoided, "exam")} and {money(savings)} avoided");
        }

        if (r.Unreviewed > 0 || r.DisagreementsUnadjudicated > 0)
        {
            Console.WriteLine($"  note:       {Plural.Count(r.Unreviewed, "included exam")} not reviewed yet, {Plural.Count(r.DisagreementsUnadjudicated, "disagreement")} awaiting adjudication");
        }

        if (s.Agreement is { } agreement)
        {
            static string Describe(FieldAgreement f) => f.Kappa is { } k ? $"{f.AgreePct}% (kappa {k:0.00})" : $"{f.AgreePct}%";
            Console.WriteLine($"  agreement:  report suggestions vs final reviews on {Plural.Count(agreement.Major.N, "exam")}: major {Describe(agreement.Major)}, minor {Describe(agreement.Minor)}, incidental {Describe(agreement.Incidental)}");
        }

        foreach (var path in new[] { outputs.SummaryJson, outputs.ScreeningLog, outputs.Findings, outputs.Report, outputs.Deck, outputs.Feedback }.OfType<string>())
        {
            Console.WriteLine($"  wrote       {path}");
        }

        if (run.Monitor is { } monitor)
        {
            if (outputs.Report is { } report)
            {
                Console.WriteLine($"  wrote       {Path.Combine(Path.GetDirectoryName(Path.GetFullPath(report))!, "monitor.json")}");
            }

            Console.WriteLine();
            MonitorOutput.Print(monitor, sensitivity: run.Audit.Summary.FollowUp is not null);
        }
    }

    private static string Pct(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
