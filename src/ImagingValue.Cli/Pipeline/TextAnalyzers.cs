using ImagingValue.ClinicalText;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Screening;

namespace ImagingValue.Cli.Pipeline;

/// <summary>Builds the screener for a protocol: the default English context rules and low-back-pain concepts.</summary>
internal static class Screeners
{
    public static Screener For(Protocol protocol) =>
        new(protocol, new ClinicalTextAnalyzer(ContextRuleSet.Default, TargetRuleSet.LowBackPainDefaults));
}
