using System.Reflection;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Review;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ImagingValue.Import.Protocols;

/// <summary>Reads protocols from YAML: the built-in ones by id, or a site's own file by path.</summary>
public static class ProtocolLoader
{
    private const string ResourcePrefix = "ImagingValue.Import.Protocols.";

    /// <summary>The ids of the built-in protocols.</summary>
    public static IReadOnlyList<string> BuiltInIds { get; } = Assembly.GetExecutingAssembly().GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^".yaml".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>A built-in protocol id, or a path to a protocol YAML file.</summary>
    public static Protocol Load(string idOrPath)
    {
        ArgumentNullException.ThrowIfNull(idOrPath);
        if (BuiltInIds.Contains(idOrPath, StringComparer.Ordinal))
        {
            return Parse(BuiltInYaml(idOrPath), $"built-in protocol {idOrPath}");
        }

        if (File.Exists(idOrPath))
        {
            return Parse(File.ReadAllText(idOrPath), idOrPath);
        }

        throw new FormatException($"protocol '{idOrPath}': neither a built-in protocol ({string.Join(", ", BuiltInIds)}) nor a file");
    }

    /// <summary>The YAML text of a built-in protocol, to copy and edit.</summary>
    public static string BuiltInYaml(string id)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + id + ".yaml")
            ?? throw new ArgumentException($"no built-in protocol '{id}'", nameof(id));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses protocol YAML; errors name <paramref name="source"/>, the line and the field.</summary>
    public static Protocol Parse(string yaml, string source)
    {
        ProtocolDocument document;
        try
        {
            document = new DeserializerBuilder()
                .WithNamingConvention(UnderscoredNamingConvention.Instance)
                .Build()
                .Deserialize<ProtocolDocument>(yaml) ?? throw new FormatException($"{source}: empty protocol");
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{source}:{ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        return document.ToProtocol(source);
    }

    // The YAML shape; setters for the deserializer only.
    private sealed class ProtocolDocument
    {
        public string? Id { get; set; }

        public string? Title { get; set; }

        public string? Description { get; set; }

        public decimal ChargePerExam { get; set; }

        public ExamDocument? TargetExam { get; set; }

        public Dictionary<string, ExamDocument> ConcurrentExams { get; set; } = [];

        public IndicationDocument? QualifyingIndication { get; set; }

        public List<RedFlagDocument> RedFlags { get; set; } = [];

        public FindingsDocument? ReportFindings { get; set; }

        public SecondReviewDocument? SecondReview { get; set; }

        public Protocol ToProtocol(string source)
        {
            var id = Required(Id, source, "id");
            var flags = RedFlags.Select((f, i) => f.ToRedFlag(source, i)).ToList();
            var duplicate = flags.GroupBy(f => f.Id).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new FormatException($"{source}: red_flags: id '{duplicate.Key}' appears twice");
            }

            if (flags.Any(f => f.Id == Protocol.NoQualifyingIndication))
            {
                throw new FormatException($"{source}: red_flags: '{Protocol.NoQualifyingIndication}' is reserved");
            }

            var indication = QualifyingIndication ?? throw new FormatException($"{source}: qualifying_indication: required");
            return new Protocol(
                id,
                Title ?? id,
                Description ?? string.Empty,
                ChargePerExam,
                (TargetExam ?? throw new FormatException($"{source}: target_exam: required")).ToExam(source, "target_exam"),
                ConcurrentExams.ToDictionary(kv => kv.Key, kv => kv.Value.ToExam(source, $"concurrent_exams.{kv.Key}"), StringComparer.Ordinal),
                new QualifyingIndication(indication.Label ?? "the qualifying indication", indication.Concepts, Ranges(indication.Codes, source, "qualifying_indication.codes")),
                flags,
                ReportFindings is { } findings ? new ReportFindingCategories(findings.Major, findings.Minor, findings.Incidental) : null,
                SecondReview?.ToPolicy(source));
        }
    }

    private sealed class SecondReviewDocument
    {
        public double SampleRate { get; set; } = SecondReviewPolicy.Default.SampleRate;

        public int Seed { get; set; } = SecondReviewPolicy.Default.Seed;

        public SecondReviewPolicy ToPolicy(string source) =>
            SampleRate is >= 0 and <= 1
                ? new SecondReviewPolicy(SampleRate, Seed)
                : throw new FormatException($"{source}: second_review.sample_rate: {SampleRate} is not a fraction from 0 to 1");
    }

    private sealed class FindingsDocument
    {
        public List<string> Major { get; set; } = [];

        public List<string> Minor { get; set; } = [];

        public List<string> Incidental { get; set; } = [];
    }

    private sealed class ExamDocument
    {
        public string? Label { get; set; }

        public List<string> ModalityTerms { get; set; } = [];

        public List<string> BodyTerms { get; set; } = [];

        public List<string> ExcludeTerms { get; set; } = [];

        public List<string> Codes { get; set; } = [];

        public ExamDefinition ToExam(string source, string path)
        {
            if (Codes.Count == 0 && (ModalityTerms.Count == 0 || BodyTerms.Count == 0))
            {
                throw new FormatException($"{source}: {path}: needs codes, or both modality_terms and body_terms");
            }

            return new ExamDefinition(Label ?? path, ModalityTerms, BodyTerms, ExcludeTerms, Codes);
        }
    }

    private sealed class IndicationDocument
    {
        public string? Label { get; set; }

        public List<string> Concepts { get; set; } = [];

        public List<string> Codes { get; set; } = [];
    }

    private sealed class RedFlagDocument
    {
        public string? Id { get; set; }

        public string? Label { get; set; }

        public List<string> Concepts { get; set; } = [];

        public List<string> Codes { get; set; } = [];

        public bool SuspectedCounts { get; set; } = true;

        public bool HistoricalCounts { get; set; }

        public int? MaxDaysBeforeOrder { get; set; }

        public bool UndatedCounts { get; set; } = true;

        public int? ConditionWindowDays { get; set; }

        public List<string> RecentHistoryTriggers { get; set; } = [];

        public List<string> SnomedCodes { get; set; } = [];

        public RedFlag ToRedFlag(string source, int index)
        {
            var path = $"red_flags[{index}]";
            var id = Required(Id, source, $"{path}.id");
            if (Concepts.Count == 0 && Codes.Count == 0 && SnomedCodes.Count == 0)
            {
                throw new FormatException($"{source}: {path} ({id}): needs concepts or codes");
            }

            // SNOMED CT concept ids are 6 to 18 digits; anything else is a typo (or an ICD-10 code in the wrong list).
            if (SnomedCodes.FirstOrDefault(c => c.Length is < 6 or > 18 || !c.All(char.IsAsciiDigit)) is { } bad)
            {
                throw new FormatException($"{source}: {path}.snomed_codes ({id}): '{bad}' is not a SNOMED CT concept id");
            }

            return new RedFlag(id, Label ?? id, Concepts, Ranges(Codes, source, $"{path}.codes"), SuspectedCounts, HistoricalCounts, MaxDaysBeforeOrder, UndatedCounts, ConditionWindowDays, RecentHistoryTriggers,
                [.. SnomedCodes]);
        }
    }

    private static string Required(string? value, string source, string path) =>
        string.IsNullOrWhiteSpace(value) ? throw new FormatException($"{source}: {path}: required") : value;

    private static List<CodeRange> Ranges(List<string> codes, string source, string path) =>
        codes.Select(code =>
        {
            try
            {
                return CodeRange.Parse(code);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"{source}: {path}: {ex.Message}", ex);
            }
        }).ToList();
}
