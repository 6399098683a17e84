using System.Text;

namespace ImagingValue.Core.Review;

/// <summary>
/// Which exams get a second reviewer: every exam whose primary review has a major finding, plus a random sample of
/// the others (the protocol's <c>second_review</c> section, <c>sample_rate</c> and <c>seed</c>).
/// </summary>
/// <remarks>
/// The sample is deterministic: an exam is sampled when a 64-bit FNV-1a hash of <c>"{seed}:{order_id}"</c>, read as a
/// fraction of 2^64, is below the rate. The same seed picks the same exams on every machine and run, and an exam's
/// pick does not change when later months are imported (unlike shuffling a list).
/// </remarks>
public sealed record SecondReviewPolicy
{
    public SecondReviewPolicy(double sampleRate, int seed)
    {
        if (double.IsNaN(sampleRate) || sampleRate < 0 || sampleRate > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "the second-review sample rate is a fraction from 0 to 1");
        }

        SampleRate = sampleRate;
        Seed = seed;
    }

    /// <summary>The default when a protocol says nothing: 10% of exams without a major finding, seed 1.</summary>
    public static SecondReviewPolicy Default { get; } = new(0.1, 1);

    /// <summary>The fraction (0-1) of exams without a major finding that also get a second review.</summary>
    public double SampleRate { get; }

    /// <summary>The seed of the sample.</summary>
    public int Seed { get; }

    /// <summary>Whether the exam is in the random sample (whatever its findings).</summary>
    public bool IsSampled(string orderId)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        const ulong offset = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offset;
        foreach (var b in Encoding.UTF8.GetBytes($"{Seed}:{orderId}"))
        {
            hash = unchecked((hash ^ b) * prime);
        }

        return hash / 18446744073709551616.0 < SampleRate;
    }

    /// <summary>Whether the exam needs a second review, given its primary review's major-finding answer.</summary>
    public bool NeedsSecondReview(string orderId, bool primaryHasMajorFinding) => primaryHasMajorFinding || IsSampled(orderId);
}
