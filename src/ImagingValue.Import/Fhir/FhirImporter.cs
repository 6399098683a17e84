using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;

namespace ImagingValue.Import.Fhir;

/// <summary>What a FHIR import did.</summary>
/// <param name="Read">Resources read, by type (every line or Bundle entry that named a type).</param>
/// <param name="Skipped">Resources of types the mapping does not use, by type: counted, not errors.</param>
/// <param name="NotOrders">ServiceRequests in <c>draft</c> (not an order yet) and DiagnosticReports based on no ServiceRequest.</param>
/// <param name="Errors">Every error line (<c>file:line: ResourceType/id: what is wrong</c>); the first <see cref="FhirImporter.MaxErrorsKept"/> are in <paramref name="ErrorsKept"/>.</param>
/// <param name="Counts">Rows per table (orders, conditions, reports); null when nothing was stored.</param>
public sealed record FhirImportReport(
    IReadOnlyDictionary<string, long> Read,
    IReadOnlyDictionary<string, long> Skipped,
    long NotOrders,
    long Errors,
    IReadOnlyList<string> ErrorsKept,
    string? RejectsPath,
    IReadOnlyDictionary<string, ImportCounts>? Counts)
{
    public bool Refused => Counts is null;
}

/// <summary>
/// Imports FHIR R4 resources (Bulk Data NDJSON or Bundles) into orders, conditions and reports (contracts section 7).
/// Files are streamed line by line; what each resource gives is kept in compact form, because a resource may
/// refer to one that comes later (an ImagingStudy before its ServiceRequest); references are resolved at the end
/// and all three tables are written in one transaction. Each bad resource is one line
/// <c>file:line: ResourceType/id: what is wrong</c> and is not stored; neither is what depends on it.
/// </summary>
public sealed partial class FhirImporter
{
    /// <summary>How many error lines a report keeps in memory; the rejects file has them all.</summary>
    public const int MaxErrorsKept = 1000;

    private const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    private const string Snomed = "http://snomed.info/sct";
    private const string IdentifierTypes = "http://terminology.hl7.org/CodeSystem/v2-0203";

    /// <summary>The resource types the mapping reads; any other is counted and skipped.</summary>
    private static readonly HashSet<string> UsedTypes = new(StringComparer.Ordinal)
    {
        "ServiceRequest", "Patient", "Practitioner", "PractitionerRole", "Organization", "Condition", "ImagingStudy", "Procedure", "DiagnosticReport",
    };

    /// <summary>Strict R4, as the SDK's default; its validator only skips checking again a code system or code it found valid.</summary>
    private static readonly BaseFhirJsonDeserializer Deserializer = new FhirJsonDeserializer(new DeserializerSettings { Validator = new RepeatedValueValidator() });

    private const int BatchLines = 64;

    private readonly IImportStore _store;
    private readonly TimeZoneInfo _zone;

    public FhirImporter(IImportStore store, TimeZoneInfo siteZone)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(siteZone);
        _store = store;
        _zone = siteZone;
    }

    /// <summary>
    /// Called with each NDJSON line's number as it is parsed, on the parsing thread: the tests' seam to fail or cancel
    /// an import at a given line while the batch before it is applied.
    /// </summary>
    internal Action<int>? ParsingLine { get; init; }

    /// <summary>Whether a name is an R4 resource type (for Bulk Data file names such as <c>Patient.000.ndjson</c>).</summary>
    public static bool IsResourceType(string name) => ModelInfo.IsKnownResource(name);

    /// <param name="strict">Store nothing when any resource is bad.</param>
    /// <param name="rejectsPath">Where the error lines are written (the file is made only when there are errors); null for none.</param>
    public async Task<FhirImportReport> ImportAsync(IReadOnlyList<FhirSource> sources, bool strict, string? rejectsPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentOutOfRangeException.ThrowIfZero(sources.Count);
        using var errors = new ErrorLog(rejectsPath);
        using var scratch = await _store.BeginScratchAsync(cancellationToken);
        var export = new Export(_zone, errors, scratch);
        foreach (var source in sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (source.IsBundle)
            {
                await ReadBundleAsync(source, export, errors, cancellationToken);
            }
            else
            {
                await ReadNdjsonAsync(source, export, errors, ParsingLine, cancellationToken);
            }
        }

        // Under --strict an error found while reading does not stop here: the rows are still resolved and staged (then
        // rolled back), so that one run names every error (an unknown subject, a key given twice) and a user fixing the
        // file does not find the next kind only on the next run.
        var tables = new[] { CanonicalTable.Orders, CanonicalTable.Conditions, CanonicalTable.Reports };
        var source0 = sources.Count == 1 ? Path.GetFullPath(sources[0].Path) : $"{Path.GetFullPath(sources[0].Path)} and {sources.Count - 1} more";
        await using var batch = await _store.BeginBatchImportAsync(tables, "fhir:" + source0, cancellationToken);
        await StageAsync(export, batch, cancellationToken);

        var counts = new Dictionary<string, ImportCounts>(StringComparer.Ordinal);
        var skips = new Dictionary<CanonicalTable, HashSet<string>>();
        foreach (var table in tables)
        {
            var skip = new HashSet<string>(StringComparer.Ordinal);
            foreach (var conflict in await batch[table].FindConflictsAsync(cancellationToken))
            {
                skip.Add(conflict.Key);
                var places = string.Join(", ", conflict.Lines.Select(l => export.StagedAt(l).ToString()));
                foreach (var line in conflict.Lines)
                {
                    errors.Add(export.StagedAt(line).Error($"{table.KeyDescription} {CanonicalValues.Quote(conflict.Key)} is given with different data by {places}: none of them imported"));
                }
            }

            skips[table] = skip;
        }

        if (strict && errors.Count > 0)
        {
            return errors.Report(export, null);
        }

        foreach (var table in tables)
        {
            counts[table.Name] = await batch[table].CommitAsync(skips[table], table == CanonicalTable.Orders ? errors.Count : 0, cancellationToken);
        }

        await batch.CommitAsync(cancellationToken);
        return errors.Report(export, counts);
    }

    /// <summary>
    /// Stages every resolved row. Two threads: one resolves (reads the scratch, checks references, numbers the rows and
    /// notes where each came from), the other stages into the workspace; they share no connection, and a bounded
    /// queue of small chunks keeps memory flat. Rows are staged in the order they are resolved.
    /// </summary>
    private static async Task StageAsync(Export export, IImportBatch batch, CancellationToken cancellationToken)
    {
        const int ChunkRows = 256;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stop.Token;
        using var chunks = new BlockingCollection<List<(CanonicalTable Table, int Number, string?[] Values)>>(boundedCapacity: 4);
        var resolving = Task.Run(
            () =>
            {
                try
                {
                    var staged = 0;
                    var chunk = new List<(CanonicalTable, int, string?[])>(ChunkRows);
                    foreach (var (table, row) in export.Resolve())
                    {
                        export.Staged(++staged, row.At);
                        chunk.Add((table, staged, row.Values));
                        if (chunk.Count == ChunkRows)
                        {
                            chunks.Add(chunk, token);
                            chunk = new(ChunkRows);
                        }
                    }

                    chunks.Add(chunk, token);
                }
                finally
                {
                    chunks.CompleteAdding();
                }
            },
            token);

        try
        {
            foreach (var chunk in chunks.GetConsumingEnumerable(token))
            {
                foreach (var (table, number, values) in chunk)
                {
                    await batch[table].StageAsync(number, table.KeyOf(values)!, values, null, token);
                }
            }
        }
        catch
        {
            // The resolving thread may be waiting for room in the queue: stop it before the scratch goes.
            await stop.CancelAsync();
            await resolving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await resolving;
    }

    private static async Task ReadNdjsonAsync(FhirSource source, Export export, ErrorLog errors, Action<int>? parsingLine, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(source.Path, new FileStreamOptions { BufferSize = 0, Options = FileOptions.SequentialScan });
        var lines = new Utf8Lines(file);
        var name = Path.GetFileName(source.Path);
        var batch = new LineBatch(BatchLines);
        var parsing = new Parsed[BatchLines];
        var applying = new Parsed[BatchLines];
        var applied = Task.CompletedTask;
        try
        {
            while (true)
            {
                // A small batch of lines is parsed on every core (the SDK's deserializer is most of the work) while the
                // batch before it is applied, in file order, on one thread: errors and "last one wins" come out as in a
                // sequential read, and the mapping and the scratch's writes no longer leave a core idle. Small, because
                // parsed resources held across garbage collections get promoted: 4,096 a batch cost more in GC than it
                // gained. Lines stay UTF-8 bytes from the file to the deserializer: no string is made of a line.
                batch.Clear();
                while (batch.Count < BatchLines && await lines.ReadAsync(cancellationToken))
                {
                    if (!IsBlank(lines.Current.Span))
                    {
                        batch.Add(lines.Number, lines.Current.Span);
                    }
                }

                if (batch.Count == 0)
                {
                    break;
                }

                var parsed = parsing;
                try
                {
                    Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                    {
                        parsingLine?.Invoke(batch.LineNumber(i));
                        parsed[i] = Parse(new Where(name, batch.LineNumber(i), null), batch.Text(i), source.ExpectedType);
                    });
                }
                catch (AggregateException ex)
                {
                    // The parse's own error, as an error of the apply comes out of its await: the caller tells a
                    // failed file (IOException: one line) or database from a bug by the type.
                    ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
                }

                await applied;
                (parsing, applying) = (applying, parsing);
                var (toApply, count) = (applying, batch.Count);
                applied = Task.Run(() => ApplyInOrder(toApply, count, export, errors), cancellationToken);
            }

            await applied;
        }
        finally
        {
            // Whatever ended the loop, the batch being applied is finished before the scratch and the error log go.
            await applied.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static void ApplyInOrder(Parsed[] parsed, int count, Export export, ErrorLog errors)
    {
        for (var i = 0; i < count; i++)
        {
            Apply(parsed[i], export, errors);
            parsed[i] = default;
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    private static async Task ReadBundleAsync(FhirSource source, Export export, ErrorLog errors, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(source.Path);
        JsonDocument document;
        try
        {
            await using var stream = File.OpenRead(source.Path);
            document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            errors.Add(new Where(name, (int)(ex.LineNumber ?? 0) + 1, null).Error($"invalid JSON: {ex.Message}"));
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("resourceType", out var type) || type.GetString() != "Bundle")
            {
                errors.Add(new Where(name, 1, null).Error("not a Bundle (a .json file must hold one Bundle; NDJSON files end in .ndjson)"));
                return;
            }

            if (!root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            // Entries refer to each other by fullUrl (urn:uuid:…), forwards as well as backwards: learn every name first.
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("fullUrl", out var url) && url.GetString() is { } fullUrl
                    && entry.TryGetProperty("resource", out var named) && named.ValueKind == JsonValueKind.Object
                    && named.TryGetProperty("resourceType", out var namedType) && named.TryGetProperty("id", out var namedId))
                {
                    export.Alias(fullUrl, namedType.GetString() ?? "?", namedId.GetString() ?? "?");
                }
            }

            var index = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                var where = new Where(name, 0, index++);
                if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("resource", out var resource))
                {
                    ReadResource(where, JsonMarshal.GetRawUtf8Value(resource), null, export, errors);
                }
            }
        }
    }

    /// <summary>Reads and counts one resource (a Bundle entry, or an NDJSON line already parsed).</summary>
    private static void ReadResource(Where where, ReadOnlySpan<byte> json, string? expectedType, Export export, ErrorLog errors) =>
        Apply(Parse(where, json, expectedType), export, errors);

    /// <summary>One line's resource, or why there is none: works on the line alone, so lines are parsed in parallel.</summary>
    private static Parsed Parse(Where where, ReadOnlySpan<byte> json, string? expectedType)
    {
        // Checked first: the JSON reader checks only what it decodes, and the SDK would throw on a bad string value.
        if (!Utf8.IsValid(json))
        {
            return new Parsed(where, null, null, where.Error("invalid JSON: not UTF-8 text (NDJSON is UTF-8)"));
        }

        if (!TryPeek(json, out var type, out var id, out var hasSubject, out var problem))
        {
            return new Parsed(where, null, null, where.Error(problem!));
        }

        // One string per type for every resource that names it (Where keeps it).
        type = UsedTypes.TryGetValue(type!, out var known) ? known : type;
        where.Type = type;
        where.Id = id;
        if (expectedType is not null && type != expectedType)
        {
            return new Parsed(where, type, null, where.Error($"resourceType: a {type} in a file of {expectedType} resources"));
        }

        if (!UsedTypes.Contains(type!))
        {
            return new Parsed(where, type, null, null);
        }

        if (string.IsNullOrEmpty(id))
        {
            return new Parsed(where, type, null, where.Error("id: missing (a resource is named by its id)"));
        }

        // Said before the SDK's own check (which would say "subject" is a required element), in the mapping's words.
        if (!hasSubject && type is "ServiceRequest" or "Condition")
        {
            return new Parsed(where, type, null, where.Error($"subject: missing (a{(type == "Condition" ? " condition" : "n order")} needs its Patient)"));
        }

        var reader = new Utf8JsonReader(json);
        if (!Deserializer.TryDeserializeResource(ref reader, out var resource, out var issues))
        {
            var all = issues.ToList();
            var first = string.Join("; ", all.Take(3).Select(i => i.Message));
            return new Parsed(where, type, null, where.Error($"not valid FHIR R4: {first}{(all.Count > 3 ? $" (and {all.Count - 3} more)" : "")}"));
        }

        return new Parsed(where, type, resource, null);
    }

    private static void Apply(Parsed parsed, Export export, ErrorLog errors)
    {
        if (parsed.Type is not null)
        {
            export.CountRead(parsed.Type);
        }

        if (parsed.Error is not null)
        {
            errors.Add(parsed.Error);
        }
        else if (parsed.Resource is null)
        {
            export.CountSkipped(parsed.Type!);
        }
        else
        {
            export.Add(parsed.At, parsed.Resource);
        }
    }

    /// <summary>A line read: its type (null when unreadable), the resource (null when skipped or bad), or the error line.</summary>
    private readonly record struct Parsed(Where At, string? Type, Resource? Resource, string? Error);

    /// <summary>The resource type and id from the top level of a JSON object (and whether it has a subject), without building it.</summary>
    private static bool TryPeek(ReadOnlySpan<byte> json, out string? type, out string? id, out bool hasSubject, out string? problem)
    {
        type = id = problem = null;
        hasSubject = false;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "invalid JSON: a line must hold one JSON object";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("resourceType"u8);
                var isId = reader.ValueTextEquals("id"u8);
                hasSubject |= reader.ValueTextEquals("subject"u8);
                reader.Read();
                if ((isType || isId) && reader.TokenType == JsonTokenType.String)
                {
                    (isType ? ref type : ref id) = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                problem = "invalid JSON: text after the object (one resource a line)";
                return false;
            }
        }
        catch (JsonException ex)
        {
            problem = $"invalid JSON at byte {ex.BytePositionInLine}: {ex.Message.Split(" LineNumber", 2)[0]}";
            return false;
        }

        if (type is null)
        {
            problem = "resourceType: missing";
            return false;
        }

        return true;
    }

    /// <summary>Where a resource is: <c>file:line</c> (NDJSON) or <c>file:entry[n]</c> (Bundle), and which resource.</summary>
    private sealed class Where(string file, int line, int? entry)
    {
        public string File => file;

        public int Line => line;

        public int? Entry => entry;

        public string? Type { get; set; }

        public string? Id { get; set; }

        public string Error(string what) => $"{this}: {(Type is null ? "?" : $"{Type}/{Id ?? "?"}")}: {what}";

        public override string ToString() => entry is { } e ? $"{file}:entry[{e}]" : $"{file}:{line}";
    }

    /// <summary>A canonical row and the resource it came from.</summary>
    private sealed record StagedRow(Where At, string?[] Values);

    private sealed class ErrorLog(string? rejectsPath) : IDisposable
    {
        private readonly List<string> _kept = [];
        private StreamWriter? _rejects;

        public long Count { get; private set; }

        public void Add(string line)
        {
            Count++;
            if (_kept.Count < MaxErrorsKept)
            {
                _kept.Add(line);
            }

            if (rejectsPath is not null)
            {
                if (_rejects is null)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(rejectsPath))!);
                    _rejects = new StreamWriter(rejectsPath, append: false, new UTF8Encoding(false));
                }

                _rejects.WriteLine(line);
            }
        }

        public FhirImportReport Report(Export export, IReadOnlyDictionary<string, ImportCounts>? counts)
        {
            _rejects?.Flush();
            return new FhirImportReport(export.Read, export.Skipped, export.NotOrders, Count, _kept, _rejects is null ? null : rejectsPath, counts);
        }

        public void Dispose() => _rejects?.Dispose();
    }
}
