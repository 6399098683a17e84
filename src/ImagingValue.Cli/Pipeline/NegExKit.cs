using System.Globalization;
using System.Text.RegularExpressions;
using ImagingValue.ClinicalText;
using ImagingValue.Core.Text;

namespace ImagingValue.Cli.Pipeline;

/// <summary>
/// Scores the engine on the public NegEx/ConText test kit (Chapman et al.; <c>rsAnnotations-1-120-random.txt</c> of
/// GitHub chapmanbe/negex, Apache-2.0), whose path the person passes with <c>--kit</c>;
/// nothing of it ships here. The kit is held out: this prints aggregate figures only, never rows or errors, so nobody tunes on it.
/// </summary>
internal static partial class NegExKit
{
    public static int Score(string path, ClinicalTextAnalyzer analyzer)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"{path}: file not found");
            return 1;
        }

        var rows = File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).ToList();
        var negated = new Counts();
        var negatedPossibleAsNegated = new Counts();
        var historical = new Counts();
        var hypothetical = new Counts();
        var other = new Counts();
        int notFound = 0, temporalCorrect = 0, scored = 0;
        foreach (var f in rows)
        {
            var condition = Spaces().Replace(f[1].Trim(), " ");
            var sentence = Spaces().Replace(f[2], " ");
            Assertion a;
            try
            {
                a = analyzer.Assert(sentence, condition);
            }
            catch (ArgumentException)
            {
                notFound++;
                a = Assertion.Affirmed;
            }

            scored++;
            var goldNegated = f[3].Trim().Equals("Negated", StringComparison.OrdinalIgnoreCase);
            var goldTemporal = f[4].Trim();
            var goldOther = !f[5].Trim().Equals("Patient", StringComparison.OrdinalIgnoreCase);
            negated.Add(a.Negated, goldNegated);
            negatedPossibleAsNegated.Add(a.Negated || a.Uncertain, goldNegated);
            historical.Add(a.Historical && !a.Hypothetical, goldTemporal.Equals("Historical", StringComparison.OrdinalIgnoreCase));
            hypothetical.Add(a.Hypothetical, goldTemporal.Equals("Not particular", StringComparison.OrdinalIgnoreCase));
            other.Add(a.Experiencer == Experiencer.Other, goldOther);
            var systemTemporal = a.Hypothetical ? "Not particular" : a.Historical ? "Historical" : "Recent";
            temporalCorrect += systemTemporal.Equals(goldTemporal, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        }

        Console.WriteLine($"NegEx/ConText test kit: {Plural.Count(scored, "row")}, target not found in {notFound} (scored as affirmed, recent, patient)");
        Console.WriteLine("feature                          P      R      F1     TP   FP   FN   TN");
        Print("negated (possible -> affirmed)", negated);
        Print("negated (possible -> negated)", negatedPossibleAsNegated);
        Print("historical", historical);
        Print("hypothetical (not particular)", hypothetical);
        Print("experiencer other", other);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"negation accuracy {negated.Accuracy:P1}; temporality accuracy {(double)temporalCorrect / scored:P1}"));
        return 0;
    }

    private static void Print(string name, Counts c) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-30} {c.Precision,6:0.000} {c.Recall,6:0.000} {c.F1,6:0.000} {c.Tp,5} {c.Fp,4} {c.Fn,4} {c.Tn,5}"));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private sealed class Counts
    {
        public int Tp { get; private set; }

        public int Fp { get; private set; }

        public int Fn { get; private set; }

        public int Tn { get; private set; }

        public double Precision => Tp + Fp == 0 ? 0 : (double)Tp / (Tp + Fp);

        public double Recall => Tp + Fn == 0 ? 0 : (double)Tp / (Tp + Fn);

        public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

        public double Accuracy => (double)(Tp + Tn) / (Tp + Fp + Fn + Tn);

        public void Add(bool system, bool gold)
        {
            if (system && gold)
            {
                Tp++;
            }
            else if (system)
            {
                Fp++;
            }
            else if (gold)
            {
                Fn++;
            }
            else
            {
                Tn++;
            }
        }
    }
}
