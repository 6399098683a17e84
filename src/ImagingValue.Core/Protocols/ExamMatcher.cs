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
    public ExamMatch Explain(string? procedureCode, string? procedureName) =>
        // Orderables repeat across millions of orders: decide each (code, name) pair once.
        _cache.Count < MaxCached
            ? _cache.GetOrAdd((procedureCode, procedureName), key => Decide(key.Code, key.Name))
            : _cache.TryGetValue((procedureCode, procedureName), out var known) ? known : Decide(procedureCode, procedureName);

    private const int MaxCached = 100_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string? Code, string? Name), ExamMatch> _cache = new();

    private ExamMatch Decide(string? procedureCode, string? procedureName)
    {
        if (procedureCode is { Length: > 0 } code && _codes.Contains(code.Trim()))
        {
            return new ExamMatch(true, $"procedure code {code.Trim()} is {_definition.Label}");
        }

        var tokens = Tokens(procedureName ?? string.Empty);
        var excluded = _exclude.FirstOrDefault(term => ContainsSequence(tokens, term));
        if (excluded is not null)
        {
            return new ExamMatch(false, $"procedure \"{procedureName}\" names {string.Join(' ', excluded)}");
        }

        if (!_modality.Any(term => ContainsSequence(tokens, term)))
        {
            return new ExamMatch(false, $"procedure \"{procedureName}\" is not this modality");
        }

        if (!_body.Any(term => ContainsSequence(tokens, term)))
        {
            return new ExamMatch(false, $"procedure \"{procedureName}\" is not this body part");
        }

        return new ExamMatch(true, $"procedure \"{procedureName}\" is {_definition.Label}");
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

    private static bool ContainsSequence(string[] tokens, string[] term)
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

/// <summary>Whether a procedure is the exam, and the reason in words.</summary>
public sealed record ExamMatch(bool Matched, string Because);
