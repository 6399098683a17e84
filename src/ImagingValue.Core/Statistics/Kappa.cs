namespace ImagingValue.Core.Statistics;

/// <summary>
/// Cohen's kappa (plain or weighted) with its large-sample standard errors.
/// </summary>
/// <param name="Kappa">The agreement statistic κ = (Po − Pe)/(1 − Pe); 1 is perfect agreement, 0 is chance agreement.</param>
/// <param name="Ase">Asymptotic standard error under the alternative (Fleiss, Cohen &amp; Everitt 1969), used for the interval.</param>
/// <param name="Low">Lower end of the interval on Fisher's z scale, tanh(atanh κ − z·ASE/(1 − κ²)); always within [−1, 1]
/// (see <see cref="Kappa"/>). NaN when κ is ±1 (the ASE is 0 there and no interval can be formed).</param>
/// <param name="High">Upper end, tanh(atanh κ + z·ASE/(1 − κ²)); NaN when κ is ±1.</param>
/// <param name="NullSe">Standard error under the null hypothesis κ = 0, for the test z = κ / NullSe.</param>
public readonly record struct KappaResult(double Kappa, double Ase, double Low, double High, double NullSe);

/// <summary>
/// Cohen's kappa for two raters who classify the same subjects into the same k categories, from the
/// square k×k table of counts (rows = rater 1, columns = rater 2, categories in the same order).
/// </summary>
/// <remarks>
/// Cohen, Educ Psychol Meas 1960;20:37-46; weighted kappa: Cohen, Psychol Bull 1968;70:213-220.
/// Standard errors: Fleiss, Cohen &amp; Everitt, Psychol Bull 1969;72:323-327 — the ASE and null SE that
/// SAS PROC FREQ (AGREE) and R's <c>vcd::Kappa</c> / <c>psych::cohen.kappa</c> report.
/// With proportions p_ij, margins p_i. and p_.j and agreement weights w_ij (w_ii = 1):
/// Po = Σ w_ij p_ij, Pe = Σ w_ij p_i. p_.j, w̄_i. = Σ_j p_.j w_ij, w̄_.j = Σ_i p_i. w_ij,
/// ASE² = [Σ p_ij (w_ij(1 − Pe) − (w̄_i. + w̄_.j)(1 − Po))² − (Po·Pe − 2Pe + Po)²] / ((1 − Pe)⁴ n),
/// null SE² = [Σ p_i. p_.j (w_ij − (w̄_i. + w̄_.j))² − Pe²] / ((1 − Pe)² n).
/// With identity weights these reduce to the unweighted formulas. For [[20, 5], [10, 15]]:
/// κ = 0.4, ASE 0.12700, null SE 0.13856.
/// Interval: the Wald interval κ ± z·ASE can pass ±1 on small or lopsided tables, so the interval is formed on Fisher's
/// z scale (Fisher, Metron 1921;1:3-32; the transformation used for correlation-type coefficients bounded by ±1) with the
/// delta-method standard error ASE/(1 − κ²) and transformed back: tanh(atanh κ ± z·ASE/(1 − κ²)). It lies within
/// (−1, 1) by construction and is asymmetric towards 0, as the sampling distribution of κ is near the bounds. For
/// [[20, 5], [10, 15]]: 95% CI 0.1266–0.6169 (Wald 0.1511–0.6489).
/// </remarks>
public static class Kappa
{
    /// <summary>
    /// What an agreement report shows for a k×k table of counts (rows one side, columns the other): the number of
    /// pairs, percent agreement (1 decimal), and κ with its 95% interval (4 decimals). κ is null when there are no
    /// pairs or both sides put every pair in one class (chance agreement 1, κ undefined); the interval is null when
    /// its standard error is undefined.
    /// </summary>
    public static (int N, double? AgreePct, double? Kappa, double[]? Ci95) Summarize(int[][] table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var k = table.Length;
        var n = table.Sum(row => row.Sum());
        if (n == 0)
        {
            return (0, null, null, null);
        }

        var agreePct = Round(100.0 * Enumerable.Range(0, k).Sum(i => table[i][i]) / n, 1);
        var rowsOneClass = Enumerable.Range(0, k).Any(i => table[i].Sum() == n);
        var columnsOneClass = Enumerable.Range(0, k).Any(j => table.Sum(row => row[j]) == n);
        if (rowsOneClass && columnsOneClass)
        {
            return (n, agreePct, null, null);
        }

        var counts = new double[k, k];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                counts[i, j] = table[i][j];
            }
        }

        var result = Cohen(counts); // Finite: not both sides in one class, so chance agreement is below 1.
        double[]? ci = double.IsFinite(result.Low) ? [Round(result.Low, 4), Round(result.High, 4)] : null;
        return (n, agreePct, Round(result.Kappa, 4), ci);

        static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
    }

    /// <summary>Unweighted Cohen's kappa, its ASE, the two-sided Wald interval and the null SE.</summary>
    /// <param name="table">Square table of non-negative counts with a positive total.</param>
    /// <param name="confidence">Two-sided coverage of the interval, strictly between 0 and 1.</param>
    public static KappaResult Cohen(double[,] table, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(table);
        var k = table.GetLength(0);
        var weights = new double[k, k];
        for (var i = 0; i < k; i++)
        {
            weights[i, i] = 1;
        }

        return Weighted(table, weights, confidence);
    }

    /// <inheritdoc cref="Cohen(double[,], double)"/>
    public static KappaResult Cohen(int[,] table, double confidence = 0.95) => Cohen(ToDouble(table), confidence);

    /// <summary>
    /// Linearly weighted kappa ("equal spacing", Cicchetti-Allison): w_ij = 1 − |i − j|/(k − 1), for ordered
    /// categories. On a 2×2 table it equals the unweighted kappa.
    /// </summary>
    /// <param name="table">Square table (k ≥ 2) of non-negative counts with a positive total, categories in their order.</param>
    /// <param name="confidence">Two-sided coverage of the interval, strictly between 0 and 1.</param>
    public static KappaResult LinearWeighted(double[,] table, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(table);
        var k = table.GetLength(0);
        if (k < 2)
        {
            throw new ArgumentException("weighted kappa needs at least two categories", nameof(table));
        }

        var weights = new double[k, k];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                weights[i, j] = 1 - (Math.Abs(i - j) / (double)(k - 1));
            }
        }

        return Weighted(table, weights, confidence);
    }

    /// <inheritdoc cref="LinearWeighted(double[,], double)"/>
    public static KappaResult LinearWeighted(int[,] table, double confidence = 0.95) => LinearWeighted(ToDouble(table), confidence);

    /// <summary>
    /// Weighted kappa with caller-supplied agreement weights (w_ii = 1, 0 ≤ w_ij ≤ 1), with the
    /// Fleiss-Cohen-Everitt ASE and null SE. Identity weights give the unweighted kappa.
    /// </summary>
    /// <param name="table">Square table of non-negative counts with a positive total.</param>
    /// <param name="weights">Agreement weights, same shape as the table.</param>
    /// <param name="confidence">Two-sided coverage of the interval, strictly between 0 and 1.</param>
    /// <exception cref="ArgumentException">The table is not square, has negative or non-finite cells, sums to 0,
    /// or chance agreement is already perfect (Pe = 1, kappa undefined).</exception>
    public static KappaResult Weighted(double[,] table, double[,] weights, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(weights);
        var k = table.GetLength(0);
        if (k == 0 || table.GetLength(1) != k)
        {
            throw new ArgumentException("the table must be square and non-empty", nameof(table));
        }

        if (weights.GetLength(0) != k || weights.GetLength(1) != k)
        {
            throw new ArgumentException("the weights must have the table's shape", nameof(weights));
        }

        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must lie strictly between 0 and 1");
        }

        var n = 0.0;
        foreach (var cell in table)
        {
            if (!(cell >= 0) || double.IsInfinity(cell))
            {
                throw new ArgumentException("counts must be non-negative and finite", nameof(table));
            }

            n += cell;
        }

        if (!(n > 0))
        {
            throw new ArgumentException("the table has no observations", nameof(table));
        }

        var p = new double[k, k];
        var rows = new double[k];
        var cols = new double[k];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                p[i, j] = table[i, j] / n;
                rows[i] += p[i, j];
                cols[j] += p[i, j];
            }
        }

        double po = 0, pe = 0;
        var rowMeanWeight = new double[k]; // w̄_i. = Σ_j p_.j w_ij
        var colMeanWeight = new double[k]; // w̄_.j = Σ_i p_i. w_ij
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                po += weights[i, j] * p[i, j];
                pe += weights[i, j] * rows[i] * cols[j];
                rowMeanWeight[i] += cols[j] * weights[i, j];
                colMeanWeight[j] += rows[i] * weights[i, j];
            }
        }

        var oneMinusPe = 1 - pe;
        if (!(oneMinusPe > 0))
        {
            throw new ArgumentException("chance agreement is perfect (one category only); kappa is undefined", nameof(table));
        }

        var kappa = (po - pe) / oneMinusPe;
        double sumAlternative = 0, sumNull = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                var a = (weights[i, j] * oneMinusPe) - ((rowMeanWeight[i] + colMeanWeight[j]) * (1 - po));
                sumAlternative += p[i, j] * a * a;
                var b = weights[i, j] - (rowMeanWeight[i] + colMeanWeight[j]);
                sumNull += rows[i] * cols[j] * b * b;
            }
        }

        var correction = (po * pe) - (2 * pe) + po;
        var ase = Math.Sqrt(Math.Max(0, sumAlternative - (correction * correction)) / (oneMinusPe * oneMinusPe * oneMinusPe * oneMinusPe * n));
        var nullSe = Math.Sqrt(Math.Max(0, sumNull - (pe * pe)) / (oneMinusPe * oneMinusPe * n));
        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2));
        var (low, high) = FisherZInterval(kappa, ase, z);
        return new KappaResult(kappa, ase, low, high, nullSe);
    }

    /// <summary>
    /// tanh(atanh κ ± z·ASE/(1 − κ²)): the interval formed on Fisher's z scale with the delta-method SE, within
    /// (−1, 1); NaN at κ = ±1, where the scale is infinite and the ASE is 0 (no interval, never a point "interval").
    /// </summary>
    private static (double Low, double High) FisherZInterval(double kappa, double ase, double z)
    {
        var oneMinusSquare = 1 - (kappa * kappa);
        if (!(oneMinusSquare > 1e-12))
        {
            return (double.NaN, double.NaN);
        }

        var centre = Math.Atanh(kappa);
        var half = z * ase / oneMinusSquare;
        return (Math.Tanh(centre - half), Math.Tanh(centre + half));
    }

    private static double[,] ToDouble(int[,] table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var result = new double[table.GetLength(0), table.GetLength(1)];
        for (var i = 0; i < table.GetLength(0); i++)
        {
            for (var j = 0; j < table.GetLength(1); j++)
            {
                result[i, j] = table[i, j];
            }
        }

        return result;
    }
}
