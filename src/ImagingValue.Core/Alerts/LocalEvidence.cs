using System.Globalization;
using ImagingValue.Core.Analytics;

namespace ImagingValue.Core.Alerts;

/// <summary>
/// The headline of a site's latest audit of one protocol, kept in the workspace so the point-of-order card can cite
/// local evidence ("2 of 98 such MRIs here found a major cause") without re-running the audit per call.
/// </summary>
/// <param name="ProtocolId">The audited protocol.</param>
/// <param name="From">First day of the review period.</param>
/// <param name="To">Last day of the review period.</param>
/// <param name="Reviewed">Included exams with a final review.</param>
/// <param name="MajorFindings">Of those, exams with a major finding.</param>
/// <param name="MajorCi95Low">Wilson 95% interval of the major-finding rate, lower bound (0-1).</param>
/// <param name="MajorCi95High">Upper bound (0-1).</param>
/// <param name="ManagementMajor">Reviewed exams whose findings changed management in a major way.</param>
/// <param name="ManagementMinor">Reviewed exams whose findings changed management in a minor way.</param>
/// <param name="ChargePerExam">Charge per exam, whole dollars.</param>
/// <param name="RecordedAt">When the audit ran, UTC.</param>
/// <param name="Synthetic">The audited workspace holds synthetic orders (<c>demo</c>, <c>synth</c>): the card says so.</param>
public sealed record LocalEvidence(
    string ProtocolId,
    string From,
    string To,
    int Reviewed,
    int MajorFindings,
    double MajorCi95Low,
    double MajorCi95High,
    int ManagementMajor,
    int ManagementMinor,
    double ChargePerExam,
    DateTimeOffset RecordedAt,
    bool Synthetic = false)
{
    /// <summary>The evidence an audit gives; null when no included exam was reviewed (nothing to cite).</summary>
    public static LocalEvidence? Of(AuditSummary summary, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.Review.Reviewed == 0 || summary.Yield.MajorCi95 is not [var low, var high])
        {
            return null;
        }

        return new LocalEvidence(
            summary.Protocol,
            summary.Period.From,
            summary.Period.To,
            summary.Review.Reviewed,
            summary.Review.MajorFindings,
            low,
            high,
            summary.Review.ManagementMajor,
            summary.Review.ManagementMinor,
            summary.Cost.ChargePerExam,
            recordedAt,
            summary.Synthetic == true);
    }

    /// <summary>
    /// The audit's figures for the card, labelled as local, e.g. "Local audit (2013-07-01 to 2017-06-30): 2 of 98 reviewed exams showed a
    /// major finding that explains the pain (2.0%, 95% CI 0.6%–7.1%); none led to a major change in management (12 to a
    /// minor change). Charge: $4,900 per exam."
    /// </summary>
    public string Sentence()
    {
        var culture = CultureInfo.InvariantCulture;
        var rate = (double)MajorFindings / Reviewed;
        var major = ManagementMajor == 0 ? "none" : ManagementMajor.ToString(culture);
        var management = ManagementMinor == 0
            ? $"{major} led to a major change in management"
            : string.Create(culture, $"{major} led to a major change in management ({ManagementMinor} to a minor change)");
        return string.Create(
            culture,
            $"{(Synthetic ? "Synthetic data, not real patients. " : string.Empty)}Local audit ({From} to {To}): {MajorFindings} of {Text.Plural.Count(Reviewed, "reviewed exam")} showed a major finding that explains the pain ({rate * 100:0.0}%, 95% CI {MajorCi95Low * 100:0.0}%–{MajorCi95High * 100:0.0}%); {management}. Charge: {Text.Money.Dollars(ChargePerExam)} per exam.");
    }
}

/// <summary>Where the service finds a protocol's latest local evidence.</summary>
public interface ILocalEvidenceSource
{
    /// <summary>The newest evidence recorded for <paramref name="protocolId"/>, or null when none was.</summary>
    Task<LocalEvidence?> LatestAsync(string protocolId, CancellationToken cancellationToken);
}
