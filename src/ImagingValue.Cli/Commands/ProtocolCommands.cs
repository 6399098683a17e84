using System.CommandLine;
using ImagingValue.Core.Protocols;
using ImagingValue.Protocols;

namespace ImagingValue.Cli.Commands;

/// <summary>protocol list | show | test: the protocols described in words, and checked against their example cases (contracts section 9).</summary>
internal static class ProtocolCommands
{
    public static Command Protocol() => new("protocol", "Describe the built-in protocols and check a protocol against its example cases")
    {
        List(), Show(), Test(),
    };

    private static Command List()
    {
        var command = new Command("list", "The built-in protocols: id, title, red flags and example cases");
        command.SetAction(_ =>
        {
            foreach (var runtime in ProtocolLoader.LoadBuiltIn())
            {
                Console.WriteLine(ProtocolDescription.Summary(runtime));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("ID") { Description = "A built-in protocol id or a protocol YAML file" };
        var command = new Command("show", "A protocol in words: target exam, qualifying indication, each red flag with its codes, phrases and sources, what never counts") { id };
        command.SetAction(parse =>
        {
            var given = parse.GetValue(id)!;
            Console.Write(ProtocolDescription.Describe(ProtocolLoader.Load(given), given));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Test()
    {
        var file = new Argument<string>("FILE") { Description = "A protocol YAML file, or a built-in protocol id" };
        var command = new Command("test", "Screen the example cases a protocol carries; print each failure with its evidence; exit 1 on any failure") { file };
        command.SetAction(parse =>
        {
            var runtime = ProtocolLoader.Load(parse.GetValue(file)!);
            var outcomes = ProtocolExampleRunner.Run(runtime);
            var failed = outcomes.Where(o => !o.Passed).ToList();
            foreach (var failure in failed)
            {
                Console.Write(ProtocolDescription.Failure(failure));
            }

            if (outcomes.Count == 0)
            {
                Console.Error.WriteLine($"{runtime.Protocol.Id}: no examples to run: add some under `examples:` (docs/protocols.md)");
                return ExitCodes.Failed;
            }

            Console.WriteLine($"{runtime.Protocol.Id}: {outcomes.Count - failed.Count} of {outcomes.Count} examples pass{(failed.Count > 0 ? $", {failed.Count} {(failed.Count == 1 ? "fails" : "fail")}" : string.Empty)}");
            return failed.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
