using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImagingValue.Cli.Pipeline;
using ImagingValue.Core.Statistics;
using ImagingValue.Core.Statistics.Regression;
using ImagingValue.Core.Statistics.Spc;
using ImagingValue.Import.Csv;

namespace ImagingValue.Cli.Commands;

/// <summary>
/// stats proportion | rate | kappa | spc | its: the library's methods on any series (contracts section 6).
/// Each prints a human summary; <c>--json FILE</c> (or <c>-</c> for stdout, the summary then going to stderr) writes the contract's keys.
/// </summary>
internal static class StatsCommands
{
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true };

    public static Command Stats() => new("stats", "Exact intervals, rate tests, kappa, SPC charts and interrupted time series on any data")
    {
        Proportion(), Rate(), KappaCommand(), Spc(), Its(),
    };

    private static Option<string?> JsonOption() => new("--json") { Description = "Write the results as JSON to this file, or - for stdout" };

    private static Command Proportion()
    {
        var x = new Option<int>("--x") { Description = "Successes", Required = true };
        var n = new Option<int>("--n") { Description = "Trials", Required = true };
        var json = JsonOption();
        var command = new Command("proportion", "A proportion with Wilson, Clopper-Pearson, Wilson (continuity-corrected) and Jeffreys 95% intervals") { x, n, json };
        command.SetAction(parse =>
        {
            int successes = parse.GetValue(x), trials = parse.GetValue(n);
            if (successes < 0 || trials <= 0 || successes > trials)
            {
                Console.Error.WriteLine("stats proportion: need 0 <= --x <= --n and --n > 0");
                return ExitCodes.Usage;
            }

            var result = new JsonObject
            {
                ["estimate"] = (double)successes / trials,
                ["wilson"] = Interval(BinomialInterval.Wilson(successes, trials)),
                ["clopper_pearson"] = Interval(BinomialInterval.ClopperPearson(successes, trials)),
                ["wilson_cc"] = Interval(BinomialInterval.WilsonContinuityCorrected(successes, trials)),
                ["jeffreys"] = Interval(BinomialInterval.Jeffreys(successes, trials)),
            };
            var summary = $"{successes}/{trials} = {Num(successes / (double)trials)}; 95% CI Wilson {Range(result["wilson"])}, Clopper-Pearson {Range(result["clopper_pearson"])}, " +
                $"Wilson-CC {Range(result["wilson_cc"])}, Jeffreys {Range(result["jeffreys"])}";
            return Emit(parse.GetValue(json), summary, result);
        });
        return command;
    }

    private static Command Rate()
    {
        var events = new Option<int>("--events") { Description = "Events", Required = true };
        var time = new Option<double>("--time") { Description = "Exposure time (e.g. months)", Required = true };
        var rate = new Option<double>("--rate") { Description = "Hypothesised rate (one sample) or rate ratio (two samples)", DefaultValueFactory = _ => 1 };
        var vsEvents = new Option<int?>("--vs-events") { Description = "Events of the comparison period (rate ratio)" };
        var vsTime = new Option<double?>("--vs-time") { Description = "Exposure time of the comparison period" };
        var json = JsonOption();
        var command = new Command("rate", "Exact Poisson rate test (R poisson.test): one sample, or the rate ratio against another period") { events, time, rate, vsEvents, vsTime, json };
        command.SetAction(parse =>
        {
            int x = parse.GetValue(events);
            double t = parse.GetValue(time), r = parse.GetValue(rate);
            if (x < 0 || t <= 0 || r <= 0 || parse.GetValue(vsEvents) is null != parse.GetValue(vsTime) is null)
            {
                Console.Error.WriteLine("stats rate: need --events >= 0, --time > 0, --rate > 0, and --vs-events with --vs-time");
                return ExitCodes.Usage;
            }

            JsonObject result;
            string summary;
            if (parse.GetValue(vsEvents) is { } x2 && parse.GetValue(vsTime) is { } t2)
            {
                var test = PoissonExact.RateRatio(x, t, x2, t2, r);
                result = new JsonObject { ["estimate"] = Number(test.RateRatio), ["ci95"] = Interval((test.Low, test.High)), ["p_value"] = test.PValue };
                summary = $"rate ratio ({x}/{Num(t)}) / ({x2}/{Num(t2)}) = {Num(test.RateRatio)}; 95% CI {Num(test.Low)}-{Num(test.High)}; p = {Num(test.PValue)} (H0 ratio {Num(r)})";
            }
            else
            {
                var test = PoissonExact.Test(x, t, r);
                result = new JsonObject { ["estimate"] = test.Estimate, ["ci95"] = Interval((test.Low, test.High)), ["p_value"] = test.PValue };
                summary = $"rate {x}/{Num(t)} = {Num(test.Estimate)}; exact 95% CI {Num(test.Low)}-{Num(test.High)}; p = {Num(test.PValue)} against rate {Num(r)}";
            }

            return Emit(parse.GetValue(json), summary, result);
        });
        return command;
    }

    private static Command KappaCommand()
    {
        var input = new Option<string>("--in") { Description = "A square table: header row of categories, first column row labels", Required = true };
        var json = JsonOption();
        var command = new Command("kappa", "Cohen's kappa with asymptotic SE and 95% CI, and linearly weighted kappa") { input, json };
        command.SetAction(parse =>
        {
            var table = ReadSquareTable(parse.GetValue(input)!);
            var k = Kappa.Cohen(table);
            var w = Kappa.LinearWeighted(table);
            var result = new JsonObject
            {
                ["kappa"] = k.Kappa,
                ["ase"] = k.Ase,
                ["ci95"] = Interval((k.Low, k.High)),
                ["weighted_linear"] = new JsonObject { ["kappa"] = w.Kappa, ["ase"] = w.Ase, ["ci95"] = Interval((w.Low, w.High)) },
            };
            var summary = $"kappa {Num(k.Kappa)} (ASE {Num(k.Ase)}, 95% CI {Num(k.Low)}-{Num(k.High)}); linearly weighted {Num(w.Kappa)} (95% CI {Num(w.Low)}-{Num(w.High)})";
            return Emit(parse.GetValue(json), summary, result);
        });
        return command;
    }

    private static Command Spc()
    {
        var chart = new Option<string>("--chart") { Description = "run, i, mr, c, u, p, up, pp, t or g", Required = true };
        var input = new Option<string>("--in") { Description = "series.csv: x, y and (u, p charts) n", Required = true };
        var freeze = new Option<int?>("--freeze") { Description = "Centre line and limits from points 1..K" };
        var part = new Option<string?>("--part") { Description = "New part after point K (K[,K...])" };
        var exclude = new Option<string?>("--exclude") { Description = "Points left out of the calculations (I[,I...])" };
        var rules = new Option<string>("--rules") { Description = "anhoej or mdc", DefaultValueFactory = _ => "anhoej" };
        var screen = new Option<bool>("--screen-mr") { Description = "Drop moving ranges above 3.267 times their mean before computing limits" };
        var json = JsonOption();
        var command = new Command("spc", "An SPC chart with phases, excluded points and run rules") { chart, input, freeze, part, exclude, rules, screen, json };
        command.SetAction(parse =>
        {
            var type = parse.GetValue(chart)!.ToLowerInvariant() switch
            {
                "run" => ChartType.Run, "i" => ChartType.I, "mr" => ChartType.MR, "c" => ChartType.C, "u" => ChartType.U,
                "p" => ChartType.P, "up" => ChartType.UPrime, "pp" => ChartType.PPrime, "t" => ChartType.T, "g" => ChartType.G,
                var other => throw new FormatException($"--chart: '{other}' is not one of run, i, mr, c, u, p, up, pp, t, g"),
            };
            var ruleSet = parse.GetValue(rules)!.ToLowerInvariant() switch
            {
                "anhoej" => RuleSet.Anhoej,
                "mdc" => RuleSet.MakingDataCount,
                var other => throw new FormatException($"--rules: '{other}' is not anhoej or mdc"),
            };
            var series = SeriesFile.Read(parse.GetValue(input)!);
            if (type is ChartType.U or ChartType.P or ChartType.UPrime or ChartType.PPrime && series.N is null)
            {
                throw new FormatException($"{parse.GetValue(input)}:1: n: the {parse.GetValue(chart)} chart needs a denominator column n");
            }

            var options = new SpcOptions(type, parse.GetValue(freeze), Indices(parse.GetValue(part), "--part"), Indices(parse.GetValue(exclude), "--exclude"), ruleSet, parse.GetValue(screen));
            var result = SpcChart.Compute(series.Y, series.N, options);
            var parts = new JsonArray();
            var lines = new List<string> { $"{parse.GetValue(chart)} chart of {series.Y.Count} points" };
            foreach (var p in result.Parts)
            {
                parts.Add(new JsonObject
                {
                    ["from"] = p.From,
                    ["to"] = p.To,
                    ["cl"] = Number(p.Cl),
                    ["lcl"] = Array(p.Lcl),
                    ["ucl"] = Array(p.Ucl),
                    ["n_useful"] = p.NUseful,
                    ["longest_run"] = p.LongestRun,
                    ["longest_run_max"] = p.LongestRunMax,
                    ["crossings"] = p.Crossings,
                    ["crossings_min"] = p.CrossingsMin,
                    ["runs_signal"] = p.RunsSignal,
                    ["outside"] = new JsonArray([.. p.Outside.Select(i => (JsonNode)i)]),
                    ["runs_unreliable"] = p.RunsUnreliable,
                });
                var limits = p.Lcl.Count == 0 ? string.Empty : $", limits {Num(p.Lcl.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min())}-{Num(p.Ucl.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max())}";
                lines.Add($"  points {p.From}-{p.To}: centre {Num(p.Cl)}{limits}; longest run {p.LongestRun} (max {p.LongestRunMax}), crossings {p.Crossings} (min {p.CrossingsMin})"
                    + (p.RunsUnreliable ? ", too few useful points for run rules" : p.RunsSignal ? ", RUNS SIGNAL" : string.Empty)
                    + (p.Outside.Count > 0 ? $"; outside the limits: {string.Join(',', p.Outside)}" : string.Empty));
            }

            var root = new JsonObject { ["parts"] = parts };
            if (result.Guard is { } guard)
            {
                var advice = string.Join(", ", guard.Remedies.Select(r => r switch
                {
                    LowCountRemedy.ExactPoissonComparison => "an exact Poisson rate comparison (stats rate)",
                    LowCountRemedy.TimeBetweenEventsChart => "a T chart of time between events",
                    LowCountRemedy.OpportunitiesBetweenEventsChart => "a G chart of opportunities between events",
                    _ => "cumulative counts",
                }));
                root["low_count"] = new JsonObject { ["events_per_subgroup"] = guard.EventsPerSubgroup, ["lower_limit_always_zero"] = guard.LowerLimitAlwaysZero, ["use_instead"] = advice };
                lines.Add($"  low counts ({Num(guard.EventsPerSubgroup)} per subgroup): the lower limit is 0, so a fall cannot signal; use instead: {advice}");
            }

            return Emit(parse.GetValue(json), string.Join('\n', lines), root);
        });
        return command;
    }

    private static Command Its()
    {
        var input = new Option<string>("--in") { Description = "series.csv: x, y and any offset column", Required = true };
        var interruption = new Option<int>("--interruption") { Description = "Points K and later are after the interruption", Required = true };
        var offset = new Option<string?>("--offset") { Description = "Column whose log is the offset (e.g. population)" };
        var slope = new Option<bool>("--slope-change") { Description = "Also estimate a change in slope at the interruption" };
        var harmonics = new Option<int>("--harmonics") { Description = "Fourier pairs for seasonality", DefaultValueFactory = _ => 0 };
        var period = new Option<int>("--period") { Description = "Season length in points", DefaultValueFactory = _ => 12 };
        var family = new Option<string>("--family") { Description = "poisson, quasipoisson or negbin", DefaultValueFactory = _ => "quasipoisson" };
        var json = JsonOption();
        var command = new Command("its", "Segmented (interrupted time series) Poisson, quasi-Poisson or negative-binomial regression") { input, interruption, offset, slope, harmonics, period, family, json };
        command.SetAction(parse =>
        {
            var series = SeriesFile.Read(parse.GetValue(input)!);
            var glmFamily = parse.GetValue(family)!.ToLowerInvariant() switch
            {
                "poisson" => GlmFamily.Poisson,
                "quasipoisson" => GlmFamily.QuasiPoisson,
                "negbin" => GlmFamily.NegativeBinomial,
                var other => throw new FormatException($"--family: '{other}' is not poisson, quasipoisson or negbin"),
            };
            var options = new ItsOptions
            {
                Family = glmFamily,
                Exposure = parse.GetValue(offset) is { } column ? series.Column(column) : null,
                SlopeChange = parse.GetValue(slope) ? SlopeChangeTerm.CentredAtInterruption : SlopeChangeTerm.None,
                Harmonics = parse.GetValue(harmonics),
                Period = parse.GetValue(period),
                SeasonPositions = parse.GetValue(harmonics) > 0 ? series.Months() : null,
            };
            var result = InterruptedTimeSeries.Fit(series.Y, parse.GetValue(interruption), options);
            var root = new JsonObject
            {
                ["level_change"] = Estimate(result.LevelChange),
                ["trend"] = new JsonObject { ["rate_ratio"] = result.Trend.RateRatio },
                ["dispersion"] = result.Dispersion,
            };
            if (result.SlopeChange is { } slopeChange)
            {
                root["slope_change"] = Estimate(slopeChange);
            }

            if (result.Theta is { } theta)
            {
                root["theta"] = theta;
            }

            var summary = $"level change at point {parse.GetValue(interruption)}: rate ratio {Num(result.LevelChange.RateRatio)} (95% CI {Num(result.LevelChange.Low)}-{Num(result.LevelChange.High)}); " +
                $"trend {Num(result.Trend.RateRatio)} per point" +
                (result.SlopeChange is { } s ? $"; slope change {Num(s.RateRatio)} (95% CI {Num(s.Low)}-{Num(s.High)})" : string.Empty) +
                $"; dispersion {Num(result.Dispersion)} ({parse.GetValue(family)})";
            return Emit(parse.GetValue(json), summary, root);
        });
        return command;
    }

    private static JsonObject Estimate(RateRatioEstimate e) => new() { ["rate_ratio"] = e.RateRatio, ["ci95"] = Interval((e.Low, e.High)) };

    /// <summary>Reads a square agreement table: header row of categories, first column row labels, counts inside.</summary>
    private static double[,] ReadSquareTable(string path)
    {
        if (!File.Exists(path))
        {
            throw new FormatException($"{path}: file not found");
        }

        using var reader = new CsvRecordReader(File.OpenRead(path));
        var header = new List<string>();
        if (!reader.Read(header) || header.Count < 3)
        {
            throw new FormatException($"{path}:1: header: expected a label column then at least two categories");
        }

        var k = header.Count - 1;
        var table = new double[k, k];
        var fields = new List<string>();
        var row = 0;
        while (reader.Read(fields))
        {
            if (row >= k || fields.Count != header.Count)
            {
                throw new FormatException($"{path}:{reader.RecordLine}: the table must be square: {k} rows of {k} counts under the header");
            }

            for (var j = 0; j < k; j++)
            {
                if (!double.TryParse(fields[j + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out table[row, j]) || table[row, j] < 0)
                {
                    throw new FormatException($"{path}:{reader.RecordLine}: {header[j + 1]}: '{fields[j + 1]}' is not a count");
                }
            }

            row++;
        }

        return row == k ? table : throw new FormatException($"{path}: the table must be square: {row} rows for {k} categories");
    }

    private static List<int>? Indices(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 1 ? i : throw new FormatException($"{option}: '{t}' is not a point number (1, 2, ...)"))
            .ToList();
    }

    private static int Emit(string? json, string summary, JsonObject result)
    {
        var text = result.ToJsonString(_indented);
        if (json == "-")
        {
            Console.Error.WriteLine(summary);
            Console.WriteLine(text);
        }
        else
        {
            Console.WriteLine(summary);
            if (json is not null)
            {
                File.WriteAllText(json, text + "\n");
            }
        }

        return ExitCodes.Ok;
    }

    private static JsonArray Interval((double Low, double High) interval) => [Number(interval.Low), Number(interval.High)];

    private static JsonArray Array(IReadOnlyList<double> values) => [.. values.Select(Number)];

    /// <summary>JSON has no NaN or infinity: a missing or unbounded value is null.</summary>
    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static string Num(double value) => double.IsFinite(value) ? value.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";

    private static string Range(JsonNode? interval) => $"{Num(interval![0]!.GetValue<double>())}-{Num(interval![1]!.GetValue<double>())}";
}
