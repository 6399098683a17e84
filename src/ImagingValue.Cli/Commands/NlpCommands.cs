using System.CommandLine;
using System.Text;
using ImagingValue.ClinicalText;
using ImagingValue.Cli.Pipeline;
using ImagingValue.Core.Text;
using ImagingValue.Protocols;

namespace ImagingValue.Cli.Commands;

/// <summary>nlp annotate and nlp benchmark: the clinical text engine on its own (contracts section 5).</summary>
internal static class NlpCommands
{
    public static Command Nlp()
    {
        var input = new Option<string>("--in") { Description = "TSV with header id<TAB>sentence<TAB>target", Required = true };
        var output = new Option<string>("--out") { Description = "TSV written with id<TAB>negated<TAB>uncertain<TAB>historical<TAB>hypothetical<TAB>experiencer", Required = true };
        var protocol = ProtocolOption();
        var annotate = new Command("annotate", "Negation, uncertainty, history, hypothetical and experiencer for a target phrase in each sentence") { input, output, protocol };
        annotate.SetAction(parse => Annotate(parse.GetValue(input)!, parse.GetValue(output)!, Analyzer(parse.GetValue(protocol)!)));

        var kit = new Option<string>("--kit") { Description = "The NegEx/ConText test kit file (rsAnnotations-1-120-random.txt)", Required = true };
        var kitProtocol = ProtocolOption();
        var benchmark = new Command("benchmark", "Score the engine on the public NegEx/ConText test kit (a held-out set: figures only, never rows)") { kit, kitProtocol };
        benchmark.SetAction(parse => NegExKit.Score(parse.GetValue(kit)!, Analyzer(parse.GetValue(kitProtocol)!)));

        return new Command("nlp", "The clinical text engine") { annotate, benchmark };
    }

    private static Option<string> ProtocolOption() =>
        new("--protocol") { Description = "Read with this protocol's text rules: a built-in protocol id or a protocol YAML file", DefaultValueFactory = _ => "sacrum-mri-lbp" };

    /// <summary>The reader of indications of a protocol (its modifier and target rules).</summary>
    internal static ClinicalTextAnalyzer Analyzer(string protocol) => ProtocolLoader.Load(protocol).IndicationText;

    /// <summary>
    /// Streams the input in blocks, annotates each block on every core, and writes rows in input order.
    /// A row whose target is not in its sentence is written with no modifiers and reported on stderr.
    /// </summary>
    private static int Annotate(string inputPath, string outputPath, ClinicalTextAnalyzer analyzer)
    {
        if (!File.Exists(inputPath))
        {
            Console.Error.WriteLine($"{inputPath}: file not found");
            return ExitCodes.Failed;
        }

        using var reader = new StreamReader(inputPath, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, 1 << 16);
        var header = reader.ReadLine();
        if (header is null || !header.TrimEnd('\r').Split('\t').Select(h => h.Trim().ToLowerInvariant()).SequenceEqual(["id", "sentence", "target"]))
        {
            Console.Error.WriteLine($"{inputPath}:1: header: expected id<TAB>sentence<TAB>target");
            return ExitCodes.Failed;
        }

        using var writer = new StreamWriter(outputPath, append: false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        writer.WriteLine("id\tnegated\tuncertain\thistorical\thypothetical\texperiencer");
        const int BlockSize = 8192;
        var block = new List<string>(BlockSize);
        var results = new string[BlockSize];
        var problems = new string?[BlockSize];
        var lineNumber = 1;
        var missing = 0;
        while (true)
        {
            block.Clear();
            string? line;
            while (block.Count < BlockSize && (line = reader.ReadLine()) is not null)
            {
                block.Add(line);
            }

            if (block.Count == 0)
            {
                break;
            }

            var firstLine = lineNumber + 1;
            Parallel.For(0, block.Count, i => (results[i], problems[i]) = AnnotateLine(analyzer, block[i], inputPath, firstLine + i));
            for (var i = 0; i < block.Count; i++)
            {
                writer.WriteLine(results[i]);
                if (problems[i] is { } problem)
                {
                    missing++;
                    Console.Error.WriteLine(problem);
                }
            }

            lineNumber += block.Count;
        }

        if (missing > 0)
        {
            Console.Error.WriteLine($"{inputPath}: {Plural.Count(missing, "row")} written without annotation (see above)");
        }

        return ExitCodes.Ok;
    }

    private static (string Row, string? Problem) AnnotateLine(ClinicalTextAnalyzer analyzer, string line, string file, int lineNumber)
    {
        var fields = line.TrimEnd('\r').Split('\t');
        var id = fields[0];
        if (fields.Length < 3)
        {
            return (Row(id, Assertion.Affirmed), $"{file}:{lineNumber}: target: the row has {fields.Length} fields, expected 3");
        }

        try
        {
            return (Row(id, analyzer.Assert(fields[1], fields[2])), null);
        }
        catch (ArgumentException ex)
        {
            return (Row(id, Assertion.Affirmed), $"{file}:{lineNumber}: target: {ex.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    private static string Row(string id, Assertion a) => string.Join(
        '\t',
        id,
        Bool(a.Negated),
        Bool(a.Uncertain),
        Bool(a.Historical),
        Bool(a.Hypothetical),
        a.Experiencer == Experiencer.Patient ? "patient" : "other");

    private static string Bool(bool value) => value ? "true" : "false";
}
