namespace ImagingValue.Core.Statistics.Spc;

/// <summary>
/// Statistical process control charts with qicharts2 semantics (README 1.1–1.4) and, for XmR charts,
/// the NHS Making Data Count rules (NHSRplotthedots). Missing values are NaN.
/// </summary>
public static class SpcChart
{
    /// <summary>qicharts2's d2 for moving ranges of 2.</summary>
    public const double D2 = 1.128;

    /// <summary>D4 for moving ranges of 2: the MR chart's UCL factor and the MR screening threshold.</summary>
    public const double D4 = 3.267;

    /// <summary>Making Data Count's XmR factor (2.66·MR̄).</summary>
    public const double MdcLimitFactor = 2.66;

    /// <summary>The low-count guard fires below this many expected events per subgroup.</summary>
    public const double LowCountEventsPerSubgroup = 3;

    /// <summary>The T chart's transformation exponent (y^(1/3.6)).</summary>
    public const double TExponent = 3.6;

    /// <summary>
    /// Computes a chart. <paramref name="n"/> is the denominator per subgroup: required for U, P, U′ and P′;
    /// when given for other charts (except C) the plotted value is y/n.
    /// </summary>
    public static SpcResult Compute(IReadOnlyList<double> y, IReadOnlyList<double>? n, SpcOptions options)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(options);
        var count = y.Count;
        if (count == 0)
        {
            throw new ArgumentException("at least one point is needed", nameof(y));
        }

        if (n is not null && n.Count != count)
        {
            throw new ArgumentException("n must have one value per point", nameof(n));
        }

        var chart = options.Chart;
        if (n is null && chart is ChartType.U or ChartType.P or ChartType.UPrime or ChartType.PPrime)
        {
            throw new ArgumentException($"a {chart} chart needs denominators", nameof(n));
        }

        if (options.Freeze is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Freeze, "freeze must be at least 1");
        }

        var mdc = options.Rules == RuleSet.MakingDataCount;
        if (mdc && chart != ChartType.I)
        {
            throw new ArgumentException("Making Data Count rules apply to I (XmR) charts only", nameof(options));
        }

        // As qicharts2: with denominators, a subgroup missing either y or n is missing in both.
        var numerators = y.ToArray();
        var denominators = n?.ToArray();
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            if (denominators is not null && (double.IsNaN(numerators[i]) || double.IsNaN(denominators[i])))
            {
                numerators[i] = double.NaN;
                denominators[i] = double.NaN;
            }

            values[i] = denominators is null || chart == ChartType.C ? numerators[i] : numerators[i] / denominators[i];
        }

        if (chart == ChartType.T && values.Any(v => v <= 0))
        {
            throw new ArgumentException("time between events must be greater than zero", nameof(y));
        }

        var excluded = new HashSet<int>(options.Exclude ?? []);
        var multiply = options.Multiply ?? 1;
        var plotted = new double[count];
        var parts = new List<SpcPart>();
        var points = new List<MdcPoint>();
        var guardParts = new List<int>();
        var guardEvents = double.PositiveInfinity;
        var guardZero = false;
        var bounds = PartBounds(options.Parts, count);
        for (var p = 0; p < bounds.Count; p++)
        {
            var (from, to) = bounds[p];
            var len = to - from + 1;
            var v = values.Skip(from - 1).Take(len).ToArray();
            var nn = denominators?.Skip(from - 1).Take(len).ToArray();
            var include = Enumerable.Range(from, len).Select(i => !excluded.Contains(i)).ToArray();
            var freeze = mdc ? options.Freeze : options.Parts is { Count: > 0 } ? null : options.Freeze - (from - 1);
            var baseline = Enumerable.Range(1, len).Select(i => include[i - 1] && (freeze is null || i <= freeze)).ToArray();

            var limits = chart switch
            {
                ChartType.Run => RunLimits(v, baseline),
                ChartType.I => IndividualsLimits(v, baseline, options.ScreenMovingRanges, mdc),
                ChartType.MR => MovingRangeLimits(v, baseline),
                ChartType.C => CountLimits(v, baseline),
                ChartType.U or ChartType.UPrime or ChartType.P or ChartType.PPrime =>
                    RatioLimits(chart, numerators.Skip(from - 1).Take(len).ToArray(), nn!, v, baseline, options.ScreenMovingRanges),
                ChartType.T => TimeLimits(v, baseline, options.ScreenMovingRanges),
                ChartType.G => GeometricLimits(v, baseline),
                _ => throw new ArgumentOutOfRangeException(nameof(options), chart, "unknown chart"),
            };
            v = limits.Values ?? v;

            var runs = AnhoejRules.Analyse(v.Where((_, i) => include[i]), limits.Cl);
            var runsSignal = chart != ChartType.MR && runs.Signal;

            if (chart is ChartType.C or ChartType.U or ChartType.UPrime)
            {
                var events = chart == ChartType.C ? limits.Cl : Mean(nn!.Select(x => limits.Cl * x));
                var allZero = limits.Lcl.All(l => l == 0);
                if (allZero || events < LowCountEventsPerSubgroup)
                {
                    guardParts.Add(p + 1);
                    guardEvents = Math.Min(guardEvents, events);
                    guardZero |= allZero;
                }
            }

            var outside = new List<int>();
            var lcl = limits.Lcl.Select(l => l * multiply).ToArray();
            var ucl = limits.Ucl.Select(u => u * multiply).ToArray();
            for (var i = 0; i < len; i++)
            {
                plotted[from - 1 + i] = v[i] * multiply;
                if (lcl.Length > 0 && (plotted[from - 1 + i] > ucl[i] || plotted[from - 1 + i] < lcl[i]))
                {
                    outside.Add(from + i);
                }
            }

            var cl = limits.Cl * multiply;
            double[] nearLcl = [];
            double[] nearUcl = [];
            if (mdc)
            {
                var near = 2.0 / 3.0 * MdcLimitFactor * limits.AverageMovingRange!.Value * multiply;
                nearLcl = [.. Enumerable.Repeat(cl - near, len)];
                nearUcl = [.. Enumerable.Repeat(cl + near, len)];
                var segment = plotted.Skip(from - 1).Take(len).ToArray();
                var relative = segment.Select(x => double.IsNaN(x) ? 0 : Math.Sign(x - cl)).ToArray();
                var isOutside = segment.Select((x, i) => x > ucl[i] || x < lcl[i]).ToArray();
                var close = segment.Select((x, i) => !isOutside[i] && (x < nearLcl[i] || x > nearUcl[i])).ToArray();
                var labels = MakingDataCountRules.Classify(segment, relative, close, isOutside);
                points.AddRange(labels.Select((s, i) => new MdcPoint(from + i, s, MakingDataCountRules.PointType(s, options.Improvement))));
            }

            parts.Add(new SpcPart(
                from,
                to,
                cl,
                lcl,
                ucl,
                runs.NUseful,
                runs.LongestRun,
                runs.LongestRunMax,
                runs.Crossings,
                runs.CrossingsMin,
                runsSignal,
                runs.NUseful < AnhoejRules.MinimumUsefulPoints,
                outside,
                limits.AverageMovingRange is { } amr ? amr * multiply : null,
                limits.SigmaZ,
                limits.Screened,
                nearLcl,
                nearUcl,
                mdc && len < MakingDataCountRules.TrialLimitPoints));
        }

        LowCountAdvice? guard = guardParts.Count == 0
            ? null
            : new LowCountAdvice(
                guardParts,
                guardEvents,
                guardZero,
                [LowCountRemedy.ExactPoissonComparison, LowCountRemedy.TimeBetweenEventsChart, LowCountRemedy.OpportunitiesBetweenEventsChart, LowCountRemedy.CumulativeCount]);

        MdcPointType? variation = mdc ? points[^1].Type : null;
        MdcAssurance? assurance = null;
        if (mdc && options.Target is { } target)
        {
            var last = parts[^1];
            assurance = MakingDataCountRules.Assurance(target, last.Lcl[^1], last.Ucl[^1], options.Improvement);
        }

        return new SpcResult(chart, plotted, parts, guard, points, variation, assurance);
    }

    /// <summary>qicharts2 <c>makeparts</c>: each k in <paramref name="splits"/> ends a part after point k.</summary>
    private static List<(int From, int To)> PartBounds(IReadOnlyList<int>? splits, int count)
    {
        var cuts = (splits ?? []).Append(0).Where(k => k >= 0 && k < count).Distinct().Order().ToList();
        var result = new List<(int, int)>();
        for (var i = 0; i < cuts.Count; i++)
        {
            result.Add((cuts[i] + 1, i + 1 < cuts.Count ? cuts[i + 1] : count));
        }

        return result;
    }

    private sealed record Limits(
        double Cl,
        double[] Lcl,
        double[] Ucl,
        double? AverageMovingRange = null,
        double? SigmaZ = null,
        int Screened = 0,
        double[]? Values = null);

    private static Limits RunLimits(double[] v, bool[] baseline) =>
        new(Median(Select(v, baseline)), [], []);

    private static Limits IndividualsLimits(double[] v, bool[] baseline, bool screen, bool mdc)
    {
        var cl = Mean(Select(v, baseline));
        var (amr, screened) = AverageMovingRange(Select(v, baseline).Select(x => x - cl).ToArray(), screen);
        var half = mdc ? MdcLimitFactor * amr : 3 * (amr / D2);
        return new(cl, Fill(v.Length, cl - half), Fill(v.Length, cl + half), amr, null, screened);
    }

    private static Limits MovingRangeLimits(double[] v, bool[] baseline)
    {
        var mr = new double[v.Length];
        mr[0] = double.NaN;
        for (var i = 1; i < v.Length; i++)
        {
            mr[i] = Math.Abs(v[i] - v[i - 1]);
        }

        var cl = Mean(Select(mr, baseline));
        return new(cl, Fill(v.Length, 0), Fill(v.Length, D4 * cl), Values: mr);
    }

    private static Limits CountLimits(double[] v, bool[] baseline)
    {
        var cl = Mean(Select(v, baseline));
        var sd = Math.Sqrt(cl);
        return new(cl, Fill(v.Length, Math.Max(0, cl - (3 * sd))), Fill(v.Length, cl + (3 * sd)));
    }

    private static Limits RatioLimits(ChartType chart, double[] numerators, double[] n, double[] v, bool[] baseline, bool screen)
    {
        var cl = Sum(Select(numerators, baseline)) / Sum(Select(n, baseline));
        var proportion = chart is ChartType.P or ChartType.PPrime;
        var sd = n.Select(ni => Math.Sqrt(proportion ? cl * (1 - cl) / ni : cl / ni)).ToArray();
        double? sigmaZ = null;
        var screened = 0;
        if (chart is ChartType.UPrime or ChartType.PPrime)
        {
            var z = Enumerable.Range(0, v.Length).Where(i => baseline[i]).Select(i => (v[i] - cl) / sd[i]).ToArray();
            (var amr, screened) = AverageMovingRange(z, screen);
            sigmaZ = amr / D2;
            sd = sd.Select(s => s * sigmaZ.Value).ToArray();
        }

        var lcl = sd.Select(s => ClampLow(cl - (3 * s))).ToArray();
        var ucl = sd.Select(s => proportion ? ClampHigh(cl + (3 * s)) : cl + (3 * s)).ToArray();
        return new(cl, lcl, ucl, null, sigmaZ, screened);
    }

    private static Limits TimeLimits(double[] v, bool[] baseline, bool screen)
    {
        var transformed = v.Select(x => Math.Pow(x, 1 / TExponent)).ToArray();
        var i = IndividualsLimits(transformed, baseline, screen, mdc: false);
        static double Back(double x) => Math.Pow(x, TExponent);
        var lcl = i.Lcl.Select(l => Back(l) is var b && (b < 0 || double.IsNaN(b)) ? 0 : b).ToArray();
        return new(Back(i.Cl), lcl, [.. i.Ucl.Select(Back)], i.AverageMovingRange, null, i.Screened, [.. transformed.Select(Back)]);
    }

    private static Limits GeometricLimits(double[] v, bool[] baseline)
    {
        var mean = Mean(Select(v, baseline));
        var sd = Math.Sqrt(mean * (mean + 1));
        return new(Median(Select(v, baseline)), Fill(v.Length, Math.Max(0, mean - (3 * sd))), Fill(v.Length, mean + (3 * sd)));
    }

    /// <summary>Mean |Δx| over non-missing ranges; with screening, ranges ≥ 3.267·MR̄ are dropped and MR̄ recomputed.</summary>
    private static (double Amr, int Screened) AverageMovingRange(double[] x, bool screen)
    {
        var mr = new List<double>();
        for (var i = 1; i < x.Length; i++)
        {
            var d = Math.Abs(x[i] - x[i - 1]);
            if (!double.IsNaN(d))
            {
                mr.Add(d);
            }
        }

        var amr = Mean(mr);
        if (!screen)
        {
            return (amr, 0);
        }

        var limit = D4 * amr;
        var kept = mr.Where(r => r < limit).ToList();
        return (Mean(kept), mr.Count - kept.Count);
    }

    private static double ClampLow(double x) => x < 0 && double.IsFinite(x) ? 0 : x;

    private static double ClampHigh(double x) => x > 1 && double.IsFinite(x) ? 1 : x;

    private static double[] Fill(int length, double value) => [.. Enumerable.Repeat(value, length)];

    private static IEnumerable<double> Select(double[] x, bool[] keep) => x.Where((_, i) => keep[i]);

    private static double Sum(IEnumerable<double> x) => x.Where(d => !double.IsNaN(d)).Sum();

    private static double Mean(IEnumerable<double> x)
    {
        var list = x.Where(d => !double.IsNaN(d)).ToList();
        return list.Count == 0 ? double.NaN : list.Sum() / list.Count;
    }

    private static double Median(IEnumerable<double> x)
    {
        var sorted = x.Where(d => !double.IsNaN(d)).Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
