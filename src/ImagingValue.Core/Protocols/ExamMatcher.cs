using System.Text;

namespace ImagingValue.Core.Protocols;

/// <summary>Decides whether an order's procedure is a given exam (see <see cref="ExamDefinition"/>).</summary>
public sealed class ExamMatcher
{
    private readonly ExamDefinition _definition;
    private readonly string[][] _modality;
    private readonly string[][] _body;
    private readonly string[][] _exclude;
    private readonly HashSet<string> _codes;

    public ExamMatcher(ExamDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _definition = definition;
        _modality = [.. definition.ModalityTerms.Select(Tokens)];
        _body = [.. definition.BodyTerms.Select(Tokens)];
        _exclude = [.. definition.ExcludeTerms.Select(Tokens)];
        _codes = new HashSet<string>(definition.Codes.Select(c => c.Trim()), StringComparer.OrdinalIgnoreCase);
    }

    public string Label => _definition.Label;

    /// <summary>True when the code identifies the exam, or the name has a modality and a body term and no exclusion term.</summary>
    public bool Matches(string? procedureCode, string? procedureName) => Explain(procedureCode, procedureName) is { Matched: true };

    /// <summary>Whether the procedure matches, and why, in words fit for a screening log.</summary>
    public ExamMatch Explain(string? procedureCode, string? procedureName)
    {
        // Orderables repeat across millions of orders: decide each (code, name) pair once.
        if (_cache.TryGetValue((procedureCode, procedureName), out var known))
        {
            return known;
        }

        var match = Decide(procedureCode, procedureName);
        // Counted here, not with ConcurrentDictionary.Count, which takes every lock (this runs for every order of
        // every protocol on all cores).
        if (Volatile.Read(ref _cached) < MaxCached)
        {
            // The one kept, should two threads decide the same pair: every order of a procedure shares its evidence.
            var kept = _cache.GetOrAdd((procedureCode, procedureName), match);
            if (ReferenceEquals(kept, match))
            {
                Interlocked.Increment(ref _cached);
            }

            return kept;
        }

        return match;
    }

    private const int MaxCached = 100_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string? Code, string? Name), ExamMatch> _cache = new();
    private int _cached;

    private ExamMatch Decide(string? procedureCode, string? procedureName)
    {
        if (procedureCode is { Length: > 0 } code && _codes.Contains(code.Trim()))
        {
            return new ExamMatch(true, ExamMatchReason.Code, _definition.Label, code.Trim(), procedureName, null);
        }

        var tokens = Tokens(procedureName ?? string.Empty);
        var excluded = _exclude.FirstOrDefault(term => ContainsSequence(tokens, term));
        if (excluded is not null)
        {
            return new ExamMatch(false, ExamMatchReason.ExcludedTerm, _definition.Label, null, procedureName, string.Join(' ', excluded));
        }

        if (!_modality.Any(term => ContainsSequence(tokens, term)))
        {
            return new ExamMatch(false, ExamMatchReason.NotModality, _definition.Label, null, procedureName, null);
        }

        if (!_body.Any(term => ContainsSequence(tokens, term)))
        {
            return new ExamMatch(false, ExamMatchReason.NotBodyPart, _definition.Label, null, procedureName, null);
        }

        return new ExamMatch(true, ExamMatchReason.Name, _definition.Label, null, procedureName, null);
    }

    /// <summary>Lower case, every run of non-letters-or-digits one space: "MR SACRUM/COCCYX W/O" → mr sacrum coccyx w o.</summary>
    internal static string[] Tokens(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }

        return builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    internal static bool ContainsSequence(string[] tokens, string[] term)
    {
        if (term.Length == 0)
        {
            return false;
        }

        for (var i = 0; i + term.Length <= tokens.Length; i++)
        {
            var all = true;
            for (var j = 0; j < term.Length && all; j++)
            {
                all = tokens[i + j] == term[j];
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Why a procedure is or is not the exam.</summary>
public enum ExamMatchReason
{
    /// <summary>The procedure code is one of the exam's.</summary>
    Code,

    /// <summary>The name has a modality and a body term and no exclusion term.</summary>
    Name,

    /// <summary>The name holds an exclusion term.</summary>
    ExcludedTerm,

    /// <summary>The name has none of the modality terms.</summary>
    NotModality,

    /// <summary>The name has a modality term but none of the body terms.</summary>
    NotBodyPart,
}

/// <summary>Whether a procedure is the exam, and why.</summary>
/// <param name="Label">The exam's label.</param>
/// <param name="Code">The procedure code, trimmed, when it decided.</param>
/// <param name="ProcedureName">The procedure name as given.</param>
/// <param name="Term">The exclusion term found, when one was.</param>
public sealed record ExamMatch(bool Matched, ExamMatchReason Reason, string Label, string? Code, string? ProcedureName, string? Term)
{
    /// <summary>The match as screening evidence (built once: matches are cached per procedure).</summary>
    public Screening.ScreeningEvidence Evidence { get; } = new(
        Screening.EvidenceSource.Exam,
        Matched ? Screening.EvidenceRole.Counted : Screening.EvidenceRole.Unmet,
        For: Label,
        Concept: Term,
        Code: Reason == ExamMatchReason.Code ? Code : null,
        Text: Reason == ExamMatchReason.Code ? null : ProcedureName,
        Qualifiers: Reason switch
        {
            ExamMatchReason.ExcludedTerm => Screening.EvidenceQualifiers.ExcludedTerm,
            ExamMatchReason.NotModality => Screening.EvidenceQualifiers.NotModality,
            ExamMatchReason.NotBodyPart => Screening.EvidenceQualifiers.NotBodyPart,
            _ => Screening.EvidenceQualifiers.None,
        });

    /// <summary>The reason in words, as in screening.csv.</summary>
    public string Because => Screening.ScreeningEvidenceFormatter.Format(Evidence);
}
