using ImagingValue.Core.Protocols;

namespace ImagingValue.Reports.Office;

/// <summary>
/// The clinical sentences of the deck and the feedback, from the protocol (YAML <c>education</c>, docs/protocols.md):
/// the question, what the guidelines say, what to do instead. A protocol that leaves one out gets generic words built
/// from its labels and its point-of-order card, never another protocol's.
/// </summary>
internal static class ProtocolTexts
{
    /// <summary>The question slide's opening lines.</summary>
    public static IReadOnlyList<string> Question(Protocol p) =>
        p.Education is { Question.Count: > 0 } e
            ? e.Question
            : [$"When {p.TargetExam.Label} is ordered for {p.Indication.Label} with no red flag, how often does it find a likely, actionable cause of the pain?",
               "And how often does it change what we do for the patient?"];

    /// <summary>What the guidelines say: the protocol's statements, else the card's basis with the guidelines it cites.</summary>
    public static IReadOnlyList<string> Guidelines(Protocol p)
    {
        if (p.Education is { Guidelines.Count: > 0 } e)
        {
            return [.. e.Guidelines.Select(g => g.Text)];
        }

        var cited = p.SourcesOf(p.Card?.BasisSources ?? []);
        var sources = cited.Count > 0 ? cited : p.Sources ?? [];
        return
        [
            p.Card?.Basis ?? $"For {p.Indication.Label} without red flags, imaging is usually not appropriate.",
            .. sources.Select(s => s.Title),
        ];
    }

    /// <summary>The title of the slide that lists the red flags.</summary>
    public static string RightCall(Protocol p) => p.Education?.RightCall ?? "When imaging is the right call";

    /// <summary>What to do instead: the protocol's lines, else every piece of the card's advice.</summary>
    public static IReadOnlyList<string> Instead(Protocol p) =>
        p.Education is { Instead.Count: > 0 } e ? e.Instead
        : p.Card is { Advice.Count: > 0 } card ? [.. card.Advice.Select(a => a.Text)]
        : ["Re-assess for red flags at each visit; image when one appears."];

    /// <summary>The advice that ends a department's paragraph, after a semicolon (so it starts in lower case).</summary>
    public static string FeedbackAdvice(Protocol p)
    {
        if (p.Education?.FeedbackAdvice is { } advice)
        {
            return advice;
        }

        return p.Card?.For(null, []) is { } fallback
            ? "without a red flag: " + char.ToLowerInvariant(fallback.Text[0]) + fallback.Text[1..]
            : "without a red flag, imaging is usually not appropriate.";
    }
}
