using ImagingValue.ClinicalText;
using ImagingValue.Core.Review;
using ImagingValue.Core.Screening;

namespace ImagingValue.Core.Protocols;

/// <summary>
/// A protocol with everything it needs to run, built once from the rule sets the protocol names: the text reader of
/// indications and conditions, the screener, and the report-finding suggester. The CLI, the CDS service and the review
/// workspace all take a protocol in this form, so none of them decides on its own which words a protocol knows.
/// Thread-safe.
/// </summary>
public sealed class ProtocolRuntime
{
    private readonly Lazy<ReportFindingSuggester?> _suggester;

    /// <param name="indicationText">Reads indications and condition texts: the protocol's modifier and target rules.</param>
    /// <param name="reportText">Builds the reader of report text for finding suggestions (the modifier rules and the protocol's report-finding rules); called once, on first use; null when the protocol has none.</param>
    /// <param name="fingerprint">Changes whenever the protocol file or any rule set it names changes (a hash of their texts).</param>
    /// <param name="indicationRules">The concept rules <paramref name="indicationText"/> was built from, so a protocol can be described in its own words; null for none.</param>
    public ProtocolRuntime(Protocol protocol, ClinicalTextAnalyzer indicationText, Func<ClinicalTextAnalyzer>? reportText, string fingerprint, TargetRuleSet? indicationRules = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(indicationText);
        ArgumentException.ThrowIfNullOrWhiteSpace(fingerprint);
        if (protocol.ReportFindings is not null && reportText is null)
        {
            throw new ArgumentException($"protocol {protocol.Id} classes report findings but has no report text rules", nameof(reportText));
        }

        Protocol = protocol;
        IndicationText = indicationText;
        Screener = new Screener(protocol, indicationText);
        Fingerprint = fingerprint;
        IndicationRules = indicationRules?.Rules ?? [];
        // The report rules are only needed where reports are read (audit, review pages): built on first use.
        _suggester = new(() => protocol.ReportFindings is { } categories ? new ReportFindingSuggester(categories, reportText!()) : null);
    }

    public Protocol Protocol { get; }

    /// <summary>The text reader of indications and condition texts.</summary>
    public ClinicalTextAnalyzer IndicationText { get; }

    public Screener Screener { get; }

    /// <summary>The concept rules the indication reader knows (phrases and patterns by concept), to show what each concept matches.</summary>
    public IReadOnlyList<TargetRule> IndicationRules { get; }

    /// <summary>Suggests report findings by the protocol's classes; null when the protocol classes none.</summary>
    public ReportFindingSuggester? FindingSuggester => _suggester.Value;

    /// <summary>A hash of the protocol's file and rule texts: screening runs made with another fingerprint are stale.</summary>
    public string Fingerprint { get; }
}
