using MathNet.Numerics.Distributions;

namespace ImagingValue.Core.Statistics.Regression;

/// <summary>How a change in slope after the interruption enters the segmented model.</summary>
public enum SlopeChangeTerm
{
    /// <summary>No slope-change term: level change only.</summary>
    None,

    /// <summary>
    /// (t − T₀)·Xₜ with T₀ = K − 1, so the level change is the gap at the interruption
    /// (the authors' corrected code: <c>I(time − 36):smokban</c> for K = 37).
    /// </summary>
    CentredAtInterruption,

    /// <summary>
    /// t·Xₜ (R <c>smokban*time</c>, the tutorial's original code). The level coefficient is then the
    /// gap extrapolated to t = 0, not at the interruption; kept to reproduce published figures.
    /// </summary>
    Uncentred,
}

/// <summary>Settings of <see cref="InterruptedTimeSeries.Fit"/>.</summary>
public sealed record ItsOptions
{
    /// <summary>Model family; quasi-Poisson is the tutorial's choice.</summary>
    public GlmFamily Family { get; init; } = GlmFamily.QuasiPoisson;

    /// <summary>Exposure per point (e.g. standardised population); its log is the offset. Null means none.</summary>
    public IReadOnlyList<double>? Exposure { get; init; }

    /// <summary>Whether and how to model a change in slope.</summary>
    public SlopeChangeTerm SlopeChange { get; init; } = SlopeChangeTerm.None;

    /// <summary>Number of Fourier pairs sin/cos(2π·j·s/period), j = 1..Harmonics (R <c>tsModel::harmonic(s, Harmonics, Period)</c>).</summary>
    public int Harmonics { get; init; }

    /// <summary>Season length in time units (12 for monthly data).</summary>
    public int Period { get; init; } = 12;

    /// <summary>Position within the period of the first point, 1-based (1 = January when month 1 is January).</summary>
    public int FirstSeasonPosition { get; init; } = 1;

    /// <summary>
    /// Explicit season position of each point (e.g. the calendar month 1..12 from the data), used for the
    /// Fourier terms instead of counting on from <see cref="FirstSeasonPosition"/>; needed when points are not consecutive.
    /// </summary>
    public IReadOnlyList<double>? SeasonPositions { get; init; }

    /// <summary>Coverage of the Wald intervals.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>For NB2: a known θ; null estimates it.</summary>
    public double? Theta { get; init; }
}

/// <summary>A rate ratio exp(β) with its Wald interval, and β with its SE on the log scale.</summary>
public sealed record RateRatioEstimate(double RateRatio, double Low, double High, double LogEstimate, double StandardError);

/// <summary>A fitted segmented interrupted-time-series model.</summary>
public sealed record ItsResult
{
    /// <summary>The underlying GLM (coefficients named by <see cref="InterruptedTimeSeries"/> constants).</summary>
    public required GlmResult Model { get; init; }

    /// <summary>exp(β₂): the rate ratio at the interruption (at t = 0 for <see cref="SlopeChangeTerm.Uncentred"/>).</summary>
    public required RateRatioEstimate LevelChange { get; init; }

    /// <summary>exp(β₃): the ratio of post- to pre-interruption trend per time unit; null without a slope term.</summary>
    public RateRatioEstimate? SlopeChange { get; init; }

    /// <summary>exp(β₁): the underlying (pre-interruption) trend per time unit.</summary>
    public required RateRatioEstimate Trend { get; init; }

    /// <summary>exp(β₁ + β₃): the trend per time unit after the interruption; equals <see cref="Trend"/> without a slope term.</summary>
    public required RateRatioEstimate PostTrend { get; init; }

    /// <summary>φ (1 for Poisson and NB2).</summary>
    public double Dispersion => Model.Dispersion;

    /// <summary>NB2 θ; null otherwise.</summary>
    public double? Theta => Model.Theta;

    /// <summary>NB2 SE of θ; null otherwise or when fixed.</summary>
    public double? ThetaStandardError => Model.ThetaStandardError;

    /// <summary>The confidence level used.</summary>
    public required double ConfidenceLevel { get; init; }

    /// <summary>The pre-interruption trend over <paramref name="units"/> time units, exp(units·β₁) (e.g. 12 for per year).</summary>
    public RateRatioEstimate TrendOver(double units) => Scale(Trend, units, ConfidenceLevel);

    internal static RateRatioEstimate Scale(RateRatioEstimate e, double units, double level)
    {
        var z = Normal.InvCDF(0, 1, 1 - ((1 - level) / 2));
        var b = units * e.LogEstimate;
        var se = Math.Abs(units) * e.StandardError;
        return new RateRatioEstimate(Math.Exp(b), Math.Exp(b - (z * se)), Math.Exp(b + (z * se)), b, se);
    }
}

/// <summary>
/// Segmented regression for interrupted time series (Lopez Bernal, Cummins &amp; Gasparrini, IJE 2017;46:348–355):
/// log E[Yₜ] = β₀ + β₁·t + β₂·Xₜ [+ β₃·(t − T₀)·Xₜ] [+ Fourier pairs] + log(exposure),
/// with t = 1..n and Xₜ = 1 from the first post-interruption point K on.
/// </summary>
public static class InterruptedTimeSeries
{
    /// <summary>Name of the time column.</summary>
    public const string TimeName = "time";

    /// <summary>Name of the level-step column Xₜ.</summary>
    public const string LevelName = "level";

    /// <summary>Name of the slope-change column.</summary>
    public const string SlopeName = "slope";

    /// <summary>
    /// Fits the segmented model to <paramref name="counts"/>. <paramref name="firstPostIndex"/> is K, 1-based:
    /// points K..n are after the interruption (K = 37 for a ban starting in month 37).
    /// </summary>
    /// <exception cref="ArgumentException">Invalid K, exposure, or seasonal settings (and the GLM's own checks).</exception>
    public static ItsResult Fit(IReadOnlyList<double> counts, int firstPostIndex, ItsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        options ??= new ItsOptions();
        var columns = Design(counts.Count, firstPostIndex, options);
        double[]? offset = null;
        if (options.Exposure is { } exposure)
        {
            if (exposure.Count != counts.Count)
            {
                throw new ArgumentException($"Exposure has {exposure.Count} values for {counts.Count} counts.", nameof(options));
            }

            offset = new double[exposure.Count];
            for (var i = 0; i < exposure.Count; i++)
            {
                if (!(exposure[i] > 0) || !double.IsFinite(exposure[i]))
                {
                    throw new ArgumentException($"Exposure value {i + 1} is {exposure[i]}; exposures must be positive.", nameof(options));
                }

                offset[i] = Math.Log(exposure[i]);
            }
        }

        var model = GlmFit.Fit(counts, columns, options.Family, new GlmOptions
        {
            Offset = offset,
            ConfidenceLevel = options.ConfidenceLevel,
            Theta = options.Theta,
        });

        var level = options.ConfidenceLevel;
        var trend = Estimate(model[TimeName]);
        var post = trend;
        RateRatioEstimate? slope = null;
        if (options.SlopeChange != SlopeChangeTerm.None)
        {
            slope = Estimate(model[SlopeName]);
            var it = model.IndexOf(TimeName);
            var isl = model.IndexOf(SlopeName);
            var b = model.Coefficients[it].Estimate + model.Coefficients[isl].Estimate;
            var v = model.Covariance[it][it] + model.Covariance[isl][isl] + (2 * model.Covariance[it][isl]);
            var z = Normal.InvCDF(0, 1, 1 - ((1 - level) / 2));
            var se = Math.Sqrt(v);
            post = new RateRatioEstimate(Math.Exp(b), Math.Exp(b - (z * se)), Math.Exp(b + (z * se)), b, se);
        }

        return new ItsResult
        {
            Model = model,
            LevelChange = Estimate(model[LevelName]),
            SlopeChange = slope,
            Trend = trend,
            PostTrend = post,
            ConfidenceLevel = level,
        };
    }

    /// <summary>
    /// The design columns (without intercept) for n points: time, level, optional slope, then
    /// sin1..sinH, cos1..cosH as R's <c>harmonic()</c> orders them.
    /// </summary>
    public static IReadOnlyList<DesignColumn> Design(int n, int firstPostIndex, ItsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (firstPostIndex < 2 || firstPostIndex > n)
        {
            throw new ArgumentException($"The first post-interruption point must be in 2..{n}; it was {firstPostIndex}.", nameof(firstPostIndex));
        }

        if (options.Harmonics < 0 || (options.Harmonics > 0 && (options.Period < 2 || 2 * options.Harmonics > options.Period)))
        {
            throw new ArgumentException($"Harmonics must be between 0 and period/2 ({options.Period}/2).", nameof(options));
        }

        if (options.Harmonics > 0 && (options.FirstSeasonPosition < 1 || options.FirstSeasonPosition > options.Period))
        {
            throw new ArgumentException($"The first season position must be in 1..{options.Period}.", nameof(options));
        }

        if (options.SeasonPositions is { } positions && positions.Count != n)
        {
            throw new ArgumentException($"Season positions have {positions.Count} values for {n} points.", nameof(options));
        }

        var t0 = firstPostIndex - 1;
        var time = new double[n];
        var step = new double[n];
        var slope = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t = i + 1;
            time[i] = t;
            step[i] = t >= firstPostIndex ? 1 : 0;
            slope[i] = options.SlopeChange == SlopeChangeTerm.Uncentred ? t * step[i] : (t - t0) * step[i];
        }

        var columns = new List<DesignColumn> { new(TimeName, time), new(LevelName, step) };
        if (options.SlopeChange != SlopeChangeTerm.None)
        {
            columns.Add(new DesignColumn(SlopeName, slope));
        }

        var sines = new List<DesignColumn>();
        var cosines = new List<DesignColumn>();
        for (var j = 1; j <= options.Harmonics; j++)
        {
            var sin = new double[n];
            var cos = new double[n];
            for (var i = 0; i < n; i++)
            {
                var season = options.SeasonPositions is { } given ? given[i] : ((options.FirstSeasonPosition - 1 + i) % options.Period) + 1;
                var angle = 2 * Math.PI * j * season / options.Period;
                sin[i] = Math.Sin(angle);
                cos[i] = Math.Cos(angle);
            }

            // At j = period/2 the sine is zero at every integer season: R's glm would report NA; we omit it.
            if (2 * j != options.Period)
            {
                sines.Add(new DesignColumn($"sin{j}", sin));
            }

            cosines.Add(new DesignColumn($"cos{j}", cos));
        }

        columns.AddRange(sines);
        columns.AddRange(cosines);
        return columns;
    }

    private static RateRatioEstimate Estimate(GlmCoefficient c) =>
        new(c.RateRatio, Math.Exp(c.Low), Math.Exp(c.High), c.Estimate, c.StandardError);
}
