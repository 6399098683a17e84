using System.Text.Json;

namespace ImagingValue.Import.Fhir;

/// <summary>One file of a FHIR import: NDJSON (one resource a line) or a Bundle, and the one type it may hold, if any.</summary>
/// <param name="ExpectedType">The resource type a Bulk Data file holds (from the manifest's <c>type</c> or a name like <c>Patient.000.ndjson</c>); null for any.</param>
public sealed record FhirSource(string Path, bool IsBundle, string? ExpectedType);

/// <summary>
/// Turns the paths given to <c>import --fhir</c> into files: a Bulk Data export folder (its <c>manifest.json</c>, whose
/// output URLs are matched to files in the folder by file name, or else its <c>*.ndjson</c> files), NDJSON files, or
/// Bundle <c>.json</c> files.
/// </summary>
public static class FhirSources
{
    /// <summary>The files to read, in order, and a problem line for each path that cannot be used.</summary>
    /// <remarks>
    /// In a folder without a manifest, <c>log.ndjson</c> is not read: it is the Bulk Data client's export log (lines of
    /// <c>exportId</c>, <c>eventId</c>, <c>timestamp</c>), written beside the resource files, not resources. It is listed
    /// in <c>notRead</c> so the person sees it was left out.
    /// </remarks>
    public static (IReadOnlyList<FhirSource> Sources, IReadOnlyList<string> Problems) Resolve(IEnumerable<string> paths, Func<string, bool> isResourceType) =>
        Resolve(paths, isResourceType, []);

    /// <summary>As <see cref="Resolve(IEnumerable{string}, Func{string, bool})"/>, also naming the folder files not read.</summary>
    public static (IReadOnlyList<FhirSource> Sources, IReadOnlyList<string> Problems) Resolve(IEnumerable<string> paths, Func<string, bool> isResourceType, List<string> notRead)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(isResourceType);
        ArgumentNullException.ThrowIfNull(notRead);
        var sources = new List<FhirSource>();
        var problems = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var manifest = System.IO.Path.Combine(path, "manifest.json");
                if (File.Exists(manifest))
                {
                    FromManifest(path, manifest, sources, problems);
                }
                else
                {
                    var files = Directory.GetFiles(path, "*.ndjson").Order(StringComparer.Ordinal).ToList();
                    var resources = files.Where(f => !IsExportLog(f)).ToList();
                    notRead.AddRange(files.Except(resources));
                    if (resources.Count == 0)
                    {
                        problems.Add($"{path}: no manifest.json and no *.ndjson files in this folder");
                    }

                    sources.AddRange(resources.Select(f => new FhirSource(f, false, TypeFromName(f, isResourceType))));
                }
            }
            else if (File.Exists(path))
            {
                var bundle = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
                sources.Add(new FhirSource(path, bundle, bundle ? null : TypeFromName(path, isResourceType)));
            }
            else
            {
                problems.Add($"{path}: no such file or folder");
            }
        }

        return (sources, problems);
    }

    private static bool IsExportLog(string path) => string.Equals(System.IO.Path.GetFileName(path), "log.ndjson", StringComparison.OrdinalIgnoreCase);

    /// <summary>A Bulk Data file's type from its name: <c>Patient.ndjson</c>, <c>Patient.000.ndjson</c>, <c>1.Patient.ndjson</c>.</summary>
    private static string? TypeFromName(string path, Func<string, bool> isResourceType) =>
        System.IO.Path.GetFileName(path).Split('.').FirstOrDefault(isResourceType);

    private static void FromManifest(string folder, string manifest, List<FhirSource> sources, List<string> problems)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
            if (!document.RootElement.TryGetProperty("output", out var output) || output.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{manifest}: output: missing (a Bulk Data manifest lists its files in output[])");
                return;
            }

            var index = 0;
            foreach (var item in output.EnumerateArray())
            {
                var type = item.TryGetProperty("type", out var t) ? t.GetString() : null;
                var url = item.TryGetProperty("url", out var u) ? u.GetString() : null;
                var name = url is null ? null : System.IO.Path.GetFileName(new Uri(url, UriKind.RelativeOrAbsolute) is { IsAbsoluteUri: true } absolute ? absolute.AbsolutePath : url);
                var file = name is null ? null : System.IO.Path.Combine(folder, name);
                if (file is null || !File.Exists(file))
                {
                    problems.Add($"{manifest}: output[{index}].url: {(url is null ? "missing" : $"no file {name} in {folder}")}");
                }
                else
                {
                    sources.Add(new FhirSource(file, false, type));
                }

                index++;
            }
        }
        catch (Exception ex) when (ex is JsonException or UriFormatException or InvalidOperationException)
        {
            problems.Add($"{manifest}: not a Bulk Data manifest: {ex.Message}");
        }
    }
}
