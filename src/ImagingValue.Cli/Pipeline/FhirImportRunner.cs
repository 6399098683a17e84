using System.Globalization;
using ImagingValue.Core.Storage;
using ImagingValue.Core.Text;
using ImagingValue.Import.Fhir;

namespace ImagingValue.Cli.Pipeline;

/// <summary>
/// <c>import --fhir</c>: Bulk Data folders, NDJSON and Bundle files, read together (a resource may refer to one in
/// another file) and stored in one transaction; tells the person what was read, skipped, stored and rejected.
/// </summary>
internal static class FhirImportRunner
{
    /// <returns>Whether the import was clean (no error at all).</returns>
    public static async Task<bool> RunAsync(IImportStore store, TimeZoneInfo zone, IReadOnlyList<string> paths, bool strict, string rejectsDirectory, CancellationToken cancellationToken)
    {
        var notRead = new List<string>();
        var (sources, problems) = FhirSources.Resolve(paths, FhirImporter.IsResourceType, notRead);
        foreach (var file in notRead)
        {
            Console.Error.WriteLine($"{file}: not read (the Bulk Data client's export log, not resources)");
        }

        foreach (var problem in problems)
        {
            Console.Error.WriteLine(problem);
        }

        if (problems.Count > 0 || sources.Count == 0)
        {
            Console.Error.WriteLine("import --fhir: nothing imported");
            return false;
        }

        var report = await new FhirImporter(store, zone).ImportAsync(sources, strict, Path.Combine(rejectsDirectory, "fhir.rejects.txt"), cancellationToken);
        foreach (var error in report.ErrorsKept)
        {
            Console.Error.WriteLine(error);
        }

        if (report.Errors > report.ErrorsKept.Count)
        {
            Console.Error.WriteLine($"... and {Plural.Count(report.Errors - report.ErrorsKept.Count, "more error", "more errors")} (all are in {report.RejectsPath})");
        }

        Console.Error.WriteLine("fhir: read " + string.Join(", ", report.Read.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Value:N0} {kv.Key}"))));
        if (report.Skipped.Count > 0)
        {
            Console.Error.WriteLine("fhir: not used (skipped): " + string.Join(", ", report.Skipped.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Value:N0} {kv.Key}"))));
        }

        if (report.NotOrders > 0)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fhir: {report.NotOrders:N0} draft ServiceRequests or DiagnosticReports based on no ServiceRequest (not orders, skipped)"));
        }

        if (report.Counts is not { } counts)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fhir: refused under --strict ({report.Errors:N0} {Plural.Noun(report.Errors, "error")}): nothing imported"));
            return false;
        }

        foreach (var (table, c) in counts)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fhir: {table}: {c.Inserted:N0} new, {c.Updated:N0} updated, {c.Unchanged:N0} unchanged"));
        }

        if (report.Errors > 0)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fhir: {report.Errors:N0} {Plural.Noun(report.Errors, "resource")} rejected (see {report.RejectsPath})"));
        }

        return report.Errors == 0;
    }
}
