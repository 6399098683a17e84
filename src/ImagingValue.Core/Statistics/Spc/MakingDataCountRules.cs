namespace ImagingValue.Core.Statistics.Spc;

/// <summary>
/// The four Making Data Count rules as NHSRplotthedots implements them (<c>R/ptd_calculate_point_type.R</c>),
/// applied within one phase. Label precedence: outside the limits, 7-point trend, 2 of 3 beyond the near
/// limit, 7 points on one side.
/// </summary>
public static class MakingDataCountRules
{
    /// <summary>Rule length for trends and shifts.</summary>
    public const int RunLength = 7;

    /// <summary>Phases shorter than this have trial limits.</summary>
    public const int TrialLimitPoints = 12;

    /// <summary>
    /// 1 at each point that ends 7 points in a row on the same side of the mean (<paramref name="relativeToMean"/>
    /// is sign(y − mean); 0, on the mean, breaks the run), else 0.
    /// </summary>
    public static int[] SevenPointsOneSide(IReadOnlyList<int> relativeToMean)
    {
        ArgumentNullException.ThrowIfNull(relativeToMean);
        var result = new int[relativeToMean.Count];
        for (var i = RunLength - 1; i < relativeToMean.Count; i++)
        {
            var side = relativeToMean[i];
            var same = side != 0;
            for (var j = 1; j < RunLength && same; j++)
            {
                same = relativeToMean[i - j] == side;
            }

            result[i] = same ? 1 : 0;
        }

        return result;
    }

    /// <summary>
    /// +1 (−1) at each point that ends 7 strictly increasing (decreasing) points, i.e. 6 differences of the same
    /// sign; an equal value breaks the trend. Else 0.
    /// </summary>
    public static int[] SevenPointTrend(IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        var result = new int[y.Count];
        for (var i = RunLength - 1; i < y.Count; i++)
        {
            var up = true;
            var down = true;
            for (var j = i - RunLength + 2; j <= i; j++)
            {
                up &= y[j] > y[j - 1];
                down &= y[j] < y[j - 1];
            }

            result[i] = up ? 1 : down ? -1 : 0;
        }

        return result;
    }

    /// <summary>Marks every point that belongs to a flagged run of 7 (the flag sits on its last point).</summary>
    public static bool[] PartOfSeven(IReadOnlyList<int> endFlags)
    {
        ArgumentNullException.ThrowIfNull(endFlags);
        var result = new bool[endFlags.Count];
        for (var i = 0; i < endFlags.Count; i++)
        {
            for (var j = i; j < Math.Min(endFlags.Count, i + RunLength) && !result[i]; j++)
            {
                result[i] = Math.Abs(endFlags[j]) == 1;
            }
        }

        return result;
    }

    /// <summary>
    /// 2 of 3: a point beyond its near limit (but within the limits) is flagged when some window of 3 consecutive
    /// points containing it has at least 2 such points and all 3 on the same side of the mean.
    /// </summary>
    public static bool[] TwoInThree(IReadOnlyList<bool> closeToLimits, IReadOnlyList<int> relativeToMean)
    {
        ArgumentNullException.ThrowIfNull(closeToLimits);
        ArgumentNullException.ThrowIfNull(relativeToMean);
        var n = closeToLimits.Count;
        var result = new bool[n];
        for (var start = 0; start + 2 < n; start++)
        {
            var close = 0;
            var side = 0;
            for (var k = start; k < start + 3; k++)
            {
                close += closeToLimits[k] ? 1 : 0;
                side += relativeToMean[k];
            }

            if (close >= 2 && Math.Abs(side) == 3)
            {
                for (var k = start; k < start + 3; k++)
                {
                    result[k] |= closeToLimits[k];
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Labels each point of one phase. <paramref name="relativeToMean"/> is sign(y − mean);
    /// <paramref name="closeToLimits"/> is "beyond a near limit but within the limits".
    /// </summary>
    public static MdcSignal[] Classify(
        IReadOnlyList<double> y,
        IReadOnlyList<int> relativeToMean,
        IReadOnlyList<bool> closeToLimits,
        IReadOnlyList<bool> outsideLimits)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(outsideLimits);
        var n = y.Count;
        var trend = PartOfSeven(SevenPointTrend(y));
        var twoInThree = TwoInThree(closeToLimits, relativeToMean);
        var shift = PartOfSeven(SevenPointsOneSide(relativeToMean));
        var labels = new MdcSignal[n];
        for (var i = 0; i < n; i++)
        {
            var above = relativeToMean[i] > 0;
            if (outsideLimits[i])
            {
                labels[i] = relativeToMean[i] == 1 ? MdcSignal.AboveUcl : MdcSignal.BelowLcl;
            }
            else if (trend[i])
            {
                // As the package: a point inside a trend takes the direction of the step to its right,
                // the trend's last point the step to its left.
                var rightInTrend = i + 1 < n && trend[i + 1];
                var step = rightInTrend ? Math.Sign(y[i + 1] - y[i]) : i > 0 ? Math.Sign(y[i] - y[i - 1]) : 0;
                labels[i] = step == 1 ? MdcSignal.TrendIncreasing : MdcSignal.TrendDecreasing;
            }
            else if (twoInThree[i])
            {
                labels[i] = above ? MdcSignal.TwoInThreeAbove : MdcSignal.TwoInThreeBelow;
            }
            else if (shift[i])
            {
                labels[i] = above ? MdcSignal.SevenPointsAbove : MdcSignal.SevenPointsBelow;
            }
            else
            {
                labels[i] = MdcSignal.CommonCause;
            }
        }

        return labels;
    }

    /// <summary>Maps a label through the improvement direction.</summary>
    public static MdcPointType PointType(MdcSignal signal, ImprovementDirection improvement)
    {
        var direction = signal switch
        {
            MdcSignal.AboveUcl or MdcSignal.TrendIncreasing or MdcSignal.TwoInThreeAbove or MdcSignal.SevenPointsAbove => 1,
            MdcSignal.BelowLcl or MdcSignal.TrendDecreasing or MdcSignal.TwoInThreeBelow or MdcSignal.SevenPointsBelow => -1,
            _ => 0,
        };
        if (direction == 0)
        {
            return MdcPointType.CommonCause;
        }

        return improvement switch
        {
            ImprovementDirection.Increase => direction > 0 ? MdcPointType.SpecialCauseImprovement : MdcPointType.SpecialCauseConcern,
            ImprovementDirection.Decrease => direction < 0 ? MdcPointType.SpecialCauseImprovement : MdcPointType.SpecialCauseConcern,
            _ => direction > 0 ? MdcPointType.SpecialCauseNeutralHigh : MdcPointType.SpecialCauseNeutralLow,
        };
    }

    /// <summary>
    /// Assurance icon from a target and the latest phase's limits (<c>R/ptd_calculate_assurance_type.R</c>);
    /// null for a neutral direction.
    /// </summary>
    public static MdcAssurance? Assurance(double target, double lowerLimit, double upperLimit, ImprovementDirection improvement)
    {
        if (improvement == ImprovementDirection.Neutral)
        {
            return null;
        }

        var increasing = improvement == ImprovementDirection.Increase;
        if (target > upperLimit)
        {
            return increasing ? MdcAssurance.ConsistentFail : MdcAssurance.ConsistentPass;
        }

        if (target < lowerLimit)
        {
            return increasing ? MdcAssurance.ConsistentPass : MdcAssurance.ConsistentFail;
        }

        return MdcAssurance.Inconsistent;
    }
}
