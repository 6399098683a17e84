using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using ImagingValue.ClinicalText;
using ImagingValue.Core.Data;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Review;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ImagingValue.Protocols;

/// <summary>
/// Reads protocols from YAML (the built-in ones by id, or a site's own file by path) and builds each one's
/// <see cref="ProtocolRuntime"/> from the text rule sets it names: the one place where a protocol gets its words.
/// </summary>
public static class ProtocolLoader
{
    private const string ResourcePrefix = "ImagingValue.Protocols.";

    // Runtimes by fingerprint: the same protocol and rules are built once per process, however often they are asked for
    // (building compiles every rule pattern); a changed file has another fingerprint and is built again.
    private static readonly ConcurrentDictionary<string, Lazy<ProtocolRuntime>> Built = new(StringComparer.Ordinal);

    /// <summary>The ids of the built-in protocols.</summary>
    public static IReadOnlyList<string> BuiltInIds { get; } = Assembly.GetExecutingAssembly().GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^".yaml".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>A built-in protocol id, or a path to a protocol YAML file, with everything it needs to run.</summary>
    /// <exception cref="FormatException">Not a protocol, or a mistake in it or in a rule file it names (the message names the file, line and field).</exception>
    public static ProtocolRuntime Load(string idOrPath)
    {
        ArgumentNullException.ThrowIfNull(idOrPath);
        if (BuiltInIds.Contains(idOrPath, StringComparer.Ordinal))
        {
            return Parse(BuiltInYaml(idOrPath), $"built-in protocol {idOrPath}");
        }

        if (File.Exists(idOrPath))
        {
            var full = Path.GetFullPath(idOrPath);
            return Parse(File.ReadAllText(full), idOrPath, Path.GetDirectoryName(full));
        }

        throw new FormatException($"protocol '{idOrPath}': neither a built-in protocol ({string.Join(", ", BuiltInIds)}) nor a file{NearestName.Hint(idOrPath, BuiltInIds)}");
    }

    /// <summary>
    /// Several protocols to screen together: each value a built-in id, a YAML file or a comma-separated list of them,
    /// in the order given.
    /// </summary>
    /// <exception cref="FormatException">A value that is no protocol (<see cref="Load"/>), or two that are the same protocol id.</exception>
    public static IReadOnlyList<ProtocolRuntime> LoadAll(IEnumerable<string> idsOrPaths)
    {
        ArgumentNullException.ThrowIfNull(idsOrPaths);
        var loaded = new List<ProtocolRuntime>();
        foreach (var idOrPath in idsOrPaths.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var runtime = Load(idOrPath);
            if (loaded.Any(p => p.Protocol.Id == runtime.Protocol.Id))
            {
                throw new FormatException($"protocol '{idOrPath}': protocol id '{runtime.Protocol.Id}' is given twice; each protocol is screened once");
            }

            loaded.Add(runtime);
        }

        return loaded.Count > 0 ? loaded : throw new FormatException("--protocol: name at least one protocol");
    }

    /// <summary>Every built-in protocol, ready to run.</summary>
    public static IReadOnlyList<ProtocolRuntime> LoadBuiltIn() => [.. BuiltInIds.Select(Load)];

    /// <summary>The YAML text of a built-in protocol, to copy and edit.</summary>
    public static string BuiltInYaml(string id)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + id + ".yaml")
            ?? throw new ArgumentException($"no built-in protocol '{id}'", nameof(id));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses protocol YAML and builds its runtime; errors name <paramref name="source"/>, the line and the field.</summary>
    /// <param name="directory">Where rule files named by a relative path are found (the protocol file's folder); null when the text has no file (built-in rule sets only).</param>
    public static ProtocolRuntime Parse(string yaml, string source, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var lines = YamlLines.Load(yaml, source);
        // Keys and value types are checked against the document's shape first, so a typo says which keys are valid
        // and where, instead of the deserializer's message about internal types.
        lines.RequireShape(typeof(ProtocolDocument));
        var document = Deserialize(yaml, source);
        var protocol = document.ToProtocol(lines);
        var text = document.TextRules ?? new TextRulesDocument();
        var modifiers = text.Modifiers.Count == 0 ? [RuleSetSource.BuiltIn("context_rules")] : text.Modifiers.Select((m, i) => RuleSetSource.Resolve(m, RuleKind.Modifiers, directory, lines, "text_rules", "modifiers", i)).ToList();
        var targets = text.Targets.Select((t, i) => RuleSetSource.Resolve(t, RuleKind.Targets, directory, lines, "text_rules", "targets", i)).ToList();
        var reportRules = (document.ReportFindings?.Rules ?? []).Select((r, i) => RuleSetSource.Resolve(r, RuleKind.Targets, directory, lines, "report_findings", "rules", i)).ToList();

        var usesConcepts = protocol.Indication.Concepts.Count > 0 || protocol.RedFlags.Any(f => f.Concepts.Count > 0 || f.Requires?.WithConcepts.Count > 0);
        if (usesConcepts && targets.Count == 0)
        {
            throw new FormatException($"{lines.At("text_rules", "targets")}: text_rules.targets: required: name the rule sets its concepts come from "
                + $"(built-in: {string.Join(", ", BuiltInRules.TargetSets)}) or rule files relative to the protocol, e.g. text_rules: {{targets: [lbp_targets]}}");
        }

        if (protocol.ReportFindings is not null && reportRules.Count == 0)
        {
            throw new FormatException($"{lines.At("report_findings", "rules")}: report_findings.rules: required: name the rule sets its finding concepts come from "
                + $"(built-in: {string.Join(", ", BuiltInRules.TargetSets)}) or rule files relative to the protocol");
        }

        var concepts = targets.SelectMany(t => t.Targets!.Rules).Select(r => r.Category).ToHashSet(StringComparer.Ordinal);
        RequireKnown(protocol.Indication.Concepts, concepts, targets, lines, "qualifying_indication", "concepts");
        for (var i = 0; i < protocol.RedFlags.Count; i++)
        {
            RequireKnown(protocol.RedFlags[i].Concepts, concepts, targets, lines, "red_flags", i, "concepts");
            RequireKnown(protocol.RedFlags[i].Requires?.WithConcepts ?? [], concepts, targets, lines, "red_flags", i, "with_concepts");
        }

        if (protocol.ReportFindings is { } findings)
        {
            var findingConcepts = reportRules.SelectMany(t => t.Targets!.Rules).Select(r => r.Category).ToHashSet(StringComparer.Ordinal);
            RequireKnown(findings.Major, findingConcepts, reportRules, lines, "report_findings", "major");
            RequireKnown(findings.Minor, findingConcepts, reportRules, lines, "report_findings", "minor");
            RequireKnown(findings.Incidental, findingConcepts, reportRules, lines, "report_findings", "incidental");
        }

        var fingerprint = Fingerprint(yaml, modifiers.Concat(targets).Concat(reportRules));
        return Built.GetOrAdd(fingerprint, _ => new Lazy<ProtocolRuntime>(() =>
        {
            var modifierRules = modifiers.Select(m => m.Modifiers!).Aggregate((a, b) => a.Concat(b));
            var indicationRules = Combine(targets);
            var indicationText = new ClinicalTextAnalyzer(modifierRules, indicationRules);
            Func<ClinicalTextAnalyzer>? reportText = reportRules.Count == 0 ? null : () => new ClinicalTextAnalyzer(modifierRules, Combine(reportRules));
            return new ProtocolRuntime(protocol, indicationText, reportText, fingerprint, indicationRules);
        })).Value;
    }

    private static ProtocolDocument Deserialize(string yaml, string source)
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
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw YamlLines.Unreadable(source, ex);
        }

        return document;
    }

    private static TargetRuleSet Combine(List<RuleSetSource> sets) =>
        sets.Count == 0 ? TargetRuleSet.FromJson("""{"target_rules": []}""") : sets.Select(s => s.Targets!).Aggregate((a, b) => a.Concat(b));

    /// <summary>Refuses a concept id that no named rule set defines: a typo would otherwise match nothing, silently.</summary>
    private static void RequireKnown(IReadOnlyList<string> used, HashSet<string> known, List<RuleSetSource> sets, YamlLines lines, params object[] path)
    {
        for (var i = 0; i < used.Count; i++)
        {
            if (!known.Contains(used[i]))
            {
                throw new FormatException($"{lines.At([.. path, i])}: {YamlLines.Describe(path)}: '{used[i]}' is not a concept of {string.Join(" or ", sets.Select(s => s.Name))} "
                    + $"(known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }
        }
    }

    /// <summary>SHA-256 of the protocol text and every rule text it uses, in order.</summary>
    private static string Fingerprint(string yaml, IEnumerable<RuleSetSource> sets)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(yaml));
        foreach (var set in sets)
        {
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(set.Text));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
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

        public TextRulesDocument? TextRules { get; set; }

        public List<SourceDocument> Sources { get; set; } = [];

        public CardDocument? Card { get; set; }

        public List<ExampleDocument> Examples { get; set; } = [];

        public EducationDocument? Education { get; set; }

        public SyntheticDocument? Synthetic { get; set; }

        public Protocol ToProtocol(YamlLines lines)
        {
            var id = Required(Id, lines, "id");
            var sources = Sources.Select((s, i) => s.ToSource(lines, i)).ToList();
            var sourceIds = sources.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var flags = RedFlags.Select((f, i) => f.ToRedFlag(lines, i)).ToList();
            for (var i = 0; i < flags.Count; i++)
            {
                RequireSources(flags[i].Sources ?? [], sourceIds, lines, "red_flags", i, "sources");
            }

            for (var i = 0; i < flags.Count; i++)
            {
                if (flags.FindIndex(f => f.Id == flags[i].Id) < i)
                {
                    throw lines.Error($"id '{flags[i].Id}' appears twice", "red_flags", i, "id");
                }

                if (flags[i].Id == Protocol.NoQualifyingIndication)
                {
                    throw lines.Error($"'{Protocol.NoQualifyingIndication}' is reserved", "red_flags", i, "id");
                }
            }

            var indication = QualifyingIndication ?? throw lines.Error("required", "qualifying_indication");
            var reasons = flags.Select(f => f.Id).Append(Protocol.NoQualifyingIndication).ToList();
            var examples = Examples.Select((e, i) => e.ToExample(lines, i, reasons)).ToList();
            return new Protocol(
                id,
                Title ?? id,
                Description ?? string.Empty,
                ChargePerExam,
                (TargetExam ?? throw lines.Error("required", "target_exam")).ToExam(lines, "target_exam"),
                ConcurrentExams.ToDictionary(kv => kv.Key, kv => kv.Value.ToExam(lines, "concurrent_exams", kv.Key), StringComparer.Ordinal),
                new QualifyingIndication(indication.Label ?? "the qualifying indication", indication.Concepts, Ranges(indication.Codes, lines, "qualifying_indication", "codes")),
                flags,
                ReportFindings is { } findings ? new ReportFindingCategories(findings.Major, findings.Minor, findings.Incidental) : null,
                SecondReview?.ToPolicy(lines),
                sources,
                Card?.ToCardText(lines, sourceIds),
                examples,
                Education?.ToEducationText(lines, sourceIds),
                Synthetic is { } synthetic ? new SyntheticCohortText(synthetic.Reports, synthetic.Departments) : null);
        }
    }

    /// <summary>An example case: an order's text, the patient, and the decision expected (docs/protocols.md, examples).</summary>
    private sealed class ExampleDocument
    {
        // The order date when an example gives none: any fixed date will do, as long as every run reads the same.
        private static readonly DateTime DefaultOrderedAt = new(2024, 1, 15, 10, 0, 0);

        public string? Text { get; set; }

        public int? Age { get; set; }

        public string? BirthDate { get; set; }

        public string? OrderedAt { get; set; }

        public List<string> ReasonCodes { get; set; } = [];

        public List<ExampleConditionDocument> Conditions { get; set; } = [];

        public string? Procedure { get; set; }

        public string? ProcedureCode { get; set; }

        public string? Expect { get; set; }

        public string? Reason { get; set; }

        public string? Note { get; set; }

        public ProtocolExample ToExample(YamlLines lines, int index, List<string> reasons)
        {
            var orderedAt = OrderedAt is null ? DefaultOrderedAt
                : CanonicalValues.TryParseDateTime(OrderedAt, out var at) ? at
                : throw lines.Error($"'{OrderedAt}' is not an ISO date or date-time (2024-01-15 or 2024-01-15T10:00)", "examples", index, "ordered_at");
            if (Age is not null && BirthDate is not null)
            {
                throw lines.Error("give age or birth_date, not both", "examples", index, "age");
            }

            if (Age is < 0 or > 130)
            {
                throw lines.Error($"{Age} is not an age in years", "examples", index, "age");
            }

            // An age is completed years at the order: born that many years before the order's date.
            var birth = Age is { } age ? DateOnly.FromDateTime(orderedAt).AddYears(-age) : Date(BirthDate, lines, "examples", index, "birth_date");
            if (!ScreeningDecision.TryParse(Expect, out var expected))
            {
                throw lines.Error(Expect is null ? "required: included, excluded or not_target" : $"'{Expect}' is not included, excluded or not_target", "examples", index, "expect");
            }

            if (expected == Decision.Excluded && !reasons.Contains(Reason ?? string.Empty, StringComparer.Ordinal))
            {
                throw lines.Error($"an excluded example needs the reason id it expects, one of: {string.Join(", ", reasons)}{(Reason is null ? string.Empty : $" (not '{Reason}')")}",
                    "examples", index, "reason");
            }

            if (expected != Decision.Excluded && Reason is not null)
            {
                throw lines.Error($"only an excluded example has a reason (this one expects {Expect})", "examples", index, "reason");
            }

            if (Text is null && ReasonCodes.Count == 0 && Conditions.Count == 0)
            {
                throw lines.Error("needs text, reason_codes or conditions", "examples", index);
            }

            var conditions = Conditions.Select((c, k) => c.ToCondition(lines, index, k)).ToList();
            return new ProtocolExample(lines.At("examples", index), Text, orderedAt, birth, [.. ReasonCodes.Select(c => c.Trim().ToUpperInvariant())], conditions,
                ProcedureCode, Procedure, expected, expected == Decision.Excluded ? Reason : null, Note);
        }
    }

    /// <summary>A condition in the example patient's history, as conditions.csv gives it.</summary>
    private sealed class ExampleConditionDocument
    {
        public string? Code { get; set; }

        public string System { get; set; } = "ICD-10-CM";

        public string? Description { get; set; }

        public string? Onset { get; set; }

        public string? Recorded { get; set; }

        public string Status { get; set; } = "active";

        public PatientCondition ToCondition(YamlLines lines, int example, int index)
        {
            var code = Required(Code, lines, "examples", example, "conditions", index, "code");
            return new PatientCondition(ProtocolExampleRunner.ExamplePatient, code.Trim().ToUpperInvariant(), System, Description,
                Date(Onset, lines, "examples", example, "conditions", index, "onset"), Date(Recorded, lines, "examples", example, "conditions", index, "recorded"),
                Status, null);
        }
    }

    private static DateOnly? Date(string? text, YamlLines lines, params object[] path) =>
        text is null ? null
        : DateOnly.TryParseExact(text, CanonicalValues.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw lines.Error($"'{text}' is not an ISO date (yyyy-MM-dd)", path);


    /// <summary>Refuses a source id the protocol's <c>sources</c> do not define.</summary>
    private static void RequireSources(IReadOnlyList<string> used, HashSet<string> known, YamlLines lines, params object[] path)
    {
        for (var i = 0; i < used.Count; i++)
        {
            if (!known.Contains(used[i]))
            {
                throw lines.Error($"'{used[i]}' is not a source of this protocol (sources: {(known.Count == 0 ? "none" : string.Join(", ", known.Order(StringComparer.Ordinal)))})", [.. path, i]);
            }
        }
    }

    private sealed class SourceDocument
    {
        public string? Id { get; set; }

        public string? Title { get; set; }

        public string? Url { get; set; }

        public GuidelineSource ToSource(YamlLines lines, int index)
        {
            var id = Required(Id, lines, "sources", index, "id");
            // The card links each source: an absolute http(s) address of the guideline's own page, not an in-page anchor.
            if (!Uri.TryCreate(Required(Url, lines, "sources", index, "url"), UriKind.Absolute, out var url)
                || url.Scheme is not ("https" or "http") || url.Fragment.Length > 0)
            {
                throw lines.Error($"'{Url}' is not an http(s) address without a '#' fragment ({id})", "sources", index, "url");
            }

            return new GuidelineSource(id, Required(Title, lines, "sources", index, "title"), url);
        }
    }

    private sealed class CardDocument
    {
        public string? Basis { get; set; }

        public List<string> BasisSources { get; set; } = [];

        public List<AdviceDocument> Advice { get; set; } = [];

        public string? Cancel { get; set; }

        public List<AlternativeDocument> Alternatives { get; set; } = [];

        public CardText ToCardText(YamlLines lines, HashSet<string> sourceIds)
        {
            RequireSources(BasisSources, sourceIds, lines, "card", "basis_sources");
            var advice = Advice.Select((a, i) =>
            {
                RequireSources(a.Sources, sourceIds, lines, "card", "advice", i, "sources");
                return new CardAdvice(a.Terms, Ranges(a.Codes, lines, "card", "advice", i, "codes"), Required(a.Text, lines, "card", "advice", i, "text"), a.Sources);
            }).ToList();
            var alternatives = Alternatives.Select((a, i) => a.ToAlternative(lines, i)).ToList();
            return new CardText(Required(Basis, lines, "card", "basis"), BasisSources, advice, Cancel, alternatives);
        }
    }

    /// <summary>An order the card offers instead (docs/protocols.md, card.alternatives).</summary>
    private sealed class AlternativeDocument
    {
        public string? Label { get; set; }

        public string? Action { get; set; }

        public string? System { get; set; }

        public string? Code { get; set; }

        public string? Display { get; set; }

        public string? Text { get; set; }

        public List<string> Terms { get; set; } = [];

        public List<string> Codes { get; set; } = [];

        public CardAlternative ToAlternative(YamlLines lines, int index)
        {
            var label = Required(Label, lines, "card", "alternatives", index, "label");
            var display = Required(Display, lines, "card", "alternatives", index, "display");
            // The created order's code system is a FHIR system URI (CPT, SNOMED CT, LOINC or a site's own).
            if (!Uri.TryCreate(Required(System, lines, "card", "alternatives", index, "system"), UriKind.Absolute, out _))
            {
                throw lines.Error($"'{System}' is not a code system URI (e.g. http://www.ama-assn.org/go/cpt)", "card", "alternatives", index, "system");
            }

            return new CardAlternative(
                label,
                Action ?? label,
                System!,
                Required(Code, lines, "card", "alternatives", index, "code"),
                display,
                Text ?? display,
                Terms,
                Ranges(Codes, lines, "card", "alternatives", index, "codes"));
        }
    }

    /// <summary>The deck's and the feedback's words (docs/protocols.md, education); every key optional.</summary>
    private sealed class EducationDocument
    {
        public List<string> Question { get; set; } = [];

        public List<GuidelineDocument> Guidelines { get; set; } = [];

        public string? RightCall { get; set; }

        public List<string> Instead { get; set; } = [];

        public string? FeedbackAdvice { get; set; }

        public EducationText ToEducationText(YamlLines lines, HashSet<string> sourceIds)
        {
            var guidelines = Guidelines.Select((g, i) =>
            {
                RequireSources(g.Sources, sourceIds, lines, "education", "guidelines", i, "sources");
                return new GuidelineStatement(Required(g.Text, lines, "education", "guidelines", i, "text"), g.Sources);
            }).ToList();
            return new EducationText(Question, guidelines, RightCall, Instead, FeedbackAdvice);
        }
    }

    /// <summary>What synth protocol adds to the examples (docs/protocols.md, synthetic).</summary>
    private sealed class SyntheticDocument
    {
        public List<string> Reports { get; set; } = [];

        public List<string> Departments { get; set; } = [];
    }

    private sealed class GuidelineDocument
    {
        public string? Text { get; set; }

        public List<string> Sources { get; set; } = [];
    }

    private sealed class AdviceDocument
    {
        public List<string> Terms { get; set; } = [];

        public List<string> Codes { get; set; } = [];

        public string? Text { get; set; }

        public List<string> Sources { get; set; } = [];
    }

    private sealed class SecondReviewDocument
    {
        public double SampleRate { get; set; } = SecondReviewPolicy.Default.SampleRate;

        public int Seed { get; set; } = SecondReviewPolicy.Default.Seed;

        public SecondReviewPolicy ToPolicy(YamlLines lines) =>
            SampleRate is >= 0 and <= 1
                ? new SecondReviewPolicy(SampleRate, Seed)
                : throw lines.Error(string.Create(CultureInfo.InvariantCulture, $"{SampleRate} is not a fraction from 0 to 1"), "second_review", "sample_rate");
    }

    private sealed class TextRulesDocument
    {
        public List<string> Modifiers { get; set; } = [];

        public List<string> Targets { get; set; } = [];
    }

    private sealed class FindingsDocument
    {
        public List<string> Rules { get; set; } = [];

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

        public ExamDefinition ToExam(YamlLines lines, params object[] path)
        {
            if (Codes.Count == 0 && (ModalityTerms.Count == 0 || BodyTerms.Count == 0))
            {
                throw lines.Error("needs codes, or both modality_terms and body_terms", path);
            }

            return new ExamDefinition(Label ?? YamlLines.Describe(path), ModalityTerms, BodyTerms, ExcludeTerms, Codes);
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

        public List<string> Sources { get; set; } = [];

        public int? MinAge { get; set; }

        public int? MaxAge { get; set; }

        public int? MinDurationDays { get; set; }

        public List<string> WithConcepts { get; set; } = [];

        public RedFlag ToRedFlag(YamlLines lines, int index)
        {
            var id = Required(Id, lines, "red_flags", index, "id");
            if (Concepts.Count == 0 && Codes.Count == 0 && SnomedCodes.Count == 0)
            {
                throw lines.Error($"({id}) needs concepts or codes", "red_flags", index);
            }

            // SNOMED CT concept ids are 6 to 18 digits; anything else is a typo (or an ICD-10 code in the wrong list).
            var bad = SnomedCodes.FindIndex(c => c.Length is < 6 or > 18 || !c.All(char.IsAsciiDigit));
            if (bad >= 0)
            {
                throw lines.Error($"'{SnomedCodes[bad]}' is not a SNOMED CT concept id ({id})", "red_flags", index, "snomed_codes", bad);
            }

            return new RedFlag(id, Label ?? id, Concepts, Ranges(Codes, lines, "red_flags", index, "codes"), SuspectedCounts, HistoricalCounts, MaxDaysBeforeOrder, UndatedCounts, ConditionWindowDays, RecentHistoryTriggers,
                [.. SnomedCodes], [.. Sources], Requirements(lines, index, id));
        }

        private RedFlagRequirements? Requirements(YamlLines lines, int index, string id)
        {
            if (MinAge is < 0 or > 130 || MaxAge is < 0 or > 130)
            {
                throw lines.Error($"an age in years, 0 to 130 ({id})", "red_flags", index, MinAge is < 0 or > 130 ? "min_age" : "max_age");
            }

            if (MinAge > MaxAge)
            {
                throw lines.Error($"min_age {MinAge} is above max_age {MaxAge} ({id})", "red_flags", index, "min_age");
            }

            if (MinDurationDays is <= 0)
            {
                throw lines.Error($"a number of days above 0 ({id})", "red_flags", index, "min_duration_days");
            }

            var requires = new RedFlagRequirements(MinAge, MaxAge, MinDurationDays, WithConcepts);
            return requires.Any ? requires : null;
        }
    }

    private static string Required(string? value, YamlLines lines, params object[] path) =>
        string.IsNullOrWhiteSpace(value) ? throw lines.Error("required", path) : value;

    private static List<CodeRange> Ranges(List<string> codes, YamlLines lines, params object[] path) =>
        codes.Select((code, i) =>
        {
            try
            {
                return CodeRange.Parse(code);
            }
            catch (FormatException ex)
            {
                throw lines.Error(ex.Message, [.. path, i]);
            }
        }).ToList();
}
