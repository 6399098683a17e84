using System.Globalization;
using System.Text.RegularExpressions;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Screening;

namespace ImagingValue.Synthetic;

/// <summary>
/// A synthetic cohort for any protocol, built from its example cases (YAML <c>examples</c>) and its optional
/// <c>synthetic</c> block: each order is one example, with its text, codes, conditions and age, moved back in time by
/// a seeded number of days (conditions move with it, the age stays the same), so the cohort spreads over two years and
/// every order keeps the decision its example expects. truth.csv says which example each order came from.
/// </summary>
public static partial class ProtocolCohort
{
    /// <summary>Orders written when the command gives no count.</summary>
    public const int DefaultOrders = 1000;

    /// <summary>How far back, in days, an order may move from its example's date.</summary>
    private const int SpreadDays = 730;

    public static IReadOnlyList<string> TruthColumns { get; } = ["order_id", "decision", "reason", "example", "note"];

    /// <summary>Writes orders.csv, conditions.csv, reports.csv and truth.csv for <paramref name="orders"/> orders into <paramref name="directory"/>.</summary>
    /// <returns>The number of orders, conditions and reports written.</returns>
    public static (int Orders, int Conditions, int Reports) Write(string directory, Protocol protocol, int orders, int seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(protocol);
        if (protocol.Examples.Count == 0)
        {
            throw new ArgumentException($"protocol {protocol.Id} has no examples to build a cohort from", nameof(protocol));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(orders);
        var cohort = Build(protocol, orders, seed);
        Directory.CreateDirectory(directory);
        CsvTableWriter.Write(Path.Combine(directory, "orders.csv"), PaperDataset.OrderColumns, cohort.Select(o => (IReadOnlyList<string>)
        [
            o.OrderId, o.PatientId, o.Accession, Minute(o.OrderedAt), Minute(o.OrderedAt.AddDays(1)), o.Code ?? "", o.Name,
            o.Example.Text ?? "", string.Join(";", o.Example.ReasonCodes), "", o.Department, o.Sex,
            o.BirthDate is { } birth ? Date(birth) : "", "completed", Core.Storage.SyntheticData.Value,
        ]));
        var conditions = cohort.SelectMany(o => o.Example.Conditions.Select(c => (IReadOnlyList<string>)
        [
            o.PatientId, c.Code, c.CodeSystem, c.Description ?? "", Shifted(c.OnsetDate, o.ShiftDays), Shifted(c.RecordedDate, o.ShiftDays),
            c.ClinicalStatus, Shifted(c.AbatementDate, o.ShiftDays),
        ])).ToList();
        CsvTableWriter.Write(Path.Combine(directory, "conditions.csv"), PaperDataset.ConditionColumns, conditions);
        var reports = cohort.Where(o => o.Report is not null).ToList();
        CsvTableWriter.Write(Path.Combine(directory, "reports.csv"), PaperDataset.ReportColumns, reports.Select(o => (IReadOnlyList<string>)
        [
            o.OrderId, o.Accession, o.Report!, Minute(o.OrderedAt.AddDays(1).AddHours(6)),
        ]));
        CsvTableWriter.Write(Path.Combine(directory, "truth.csv"), TruthColumns, cohort.Select(o => (IReadOnlyList<string>)
        [
            o.OrderId, ScreeningDecision.Text(o.Example.Expected), o.Example.ExpectedReason ?? "", o.Example.Where, o.Example.Note ?? "",
        ]));
        return (cohort.Count, conditions.Count, reports.Count);
    }

    private static List<CohortOrder> Build(Protocol protocol, int count, int seed)
    {
        var random = new Random(seed);
        var examples = protocol.Examples;
        var reports = protocol.Synthetic?.Reports ?? [];
        var departments = protocol.Synthetic?.Departments ?? [];
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var cohort = new List<CohortOrder>(count);
        for (var i = 0; i < count; i++)
        {
            // Every example once per round, in a new seeded order each round.
            if (i % examples.Count == 0)
            {
                random.Shuffle(order);
            }

            var example = examples[order[i % examples.Count]];
            // A text that names a month, a year or a date keeps its example's date: "since January" means that January.
            var shift = NamesADate(example.Text ?? "") ? 0 : random.Next(SpreadDays);
            var orderedAt = example.OrderedAt.AddDays(-shift);
            var target = ProtocolExampleRunner.ToOrder(protocol.TargetExam, example, i + 1);
            var number = (i + 1).ToString("D6", CultureInfo.InvariantCulture);
            var sex = random.Next(2) == 0 ? "F" : "M";
            cohort.Add(new CohortOrder(
                example,
                $"S{number}",
                $"SP{number}",
                $"SA{number}",
                orderedAt,
                shift,
                target.ProcedureCode,
                target.ProcedureName.ToUpperInvariant(),
                departments.Count == 0 ? "" : departments[random.Next(departments.Count)],
                sex,
                // The moved order's patient keeps the example's age (the example order carries its date and birth date).
                target.AgeAtOrder is { } age ? DateOnly.FromDateTime(orderedAt).AddYears(-age) : null,
                reports.Count == 0 ? null : reports[random.Next(reports.Count)]));
        }

        return cohort;
    }

    private static bool NamesADate(string text) => DatePattern().IsMatch(text);

    [GeneratedRegex(@"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(19|20)\d\d\b|\d{1,2}/\d{1,2}|\b(christmas|easter|spring|summer|autumn|winter|yesterday)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    private static string Shifted(DateOnly? date, int days) => date is { } d ? Date(d.AddDays(-days)) : "";

    private static string Minute(DateTime value) => PaperDataset.Minute(value);

    private static string Date(DateOnly value) => PaperDataset.Date(value);

    private sealed record CohortOrder(
        ProtocolExample Example,
        string OrderId,
        string PatientId,
        string Accession,
        DateTime OrderedAt,
        int ShiftDays,
        string? Code,
        string Name,
        string Department,
        string Sex,
        DateOnly? BirthDate,
        string? Report);
}
