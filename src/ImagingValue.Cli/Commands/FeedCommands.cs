using System.CommandLine;
using System.Globalization;
using System.Net;
using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;
using ImagingValue.Core.Text;
using ImagingValue.Import.Hl7;
using ImagingValue.Storage;

namespace ImagingValue.Cli.Commands;

/// <summary>listen and hl7: the live HL7 v2 feed and the messages it refused.</summary>
internal static class FeedCommands
{
    public static Command Listen(TimeProvider time)
    {
        var workspace = WorkspaceCommands.WorkspaceOption();
        var mllp = new Option<string>("--mllp") { Description = "HOST:PORT to listen on for MLLP-framed HL7 v2 messages, e.g. 127.0.0.1:2575", Required = true };
        var maxBytes = new Option<int>("--max-message-bytes") { Description = "Largest message taken; larger ones are answered AE", DefaultValueFactory = _ => Hl7FeedHandler.DefaultMaxMessageBytes };
        var idle = new Option<int>("--idle-timeout-seconds") { Description = "Close a connection that sends nothing for this long", DefaultValueFactory = _ => (int)MllpOptions.Default.IdleTimeout.TotalSeconds };
        var command = new Command("listen", "Take the live HL7 v2 order and result feed over MLLP: each message acknowledged after it is stored; runs until SIGINT/SIGTERM") { workspace, mllp, maxBytes, idle };
        // System.CommandLine turns SIGINT and SIGTERM into this cancellation: the listener stops accepting, stores and
        // acknowledges the message in hand, and returns.
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryEndpoint(parse.GetValue(mllp)!, out var endpoint))
            {
                Console.Error.WriteLine($"listen: --mllp '{parse.GetValue(mllp)}' is not HOST:PORT (e.g. 127.0.0.1:2575 or 0.0.0.0:2575)");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(maxBytes) is < 1024 or > 256 * 1024 * 1024 || parse.GetValue(idle) < 1)
            {
                Console.Error.WriteLine("listen: --max-message-bytes must be 1024..268435456 and --idle-timeout-seconds at least 1");
                return ExitCodes.Usage;
            }

            using var store = Workspaces.Open(parse.GetValue(workspace)!, time, WorkspaceUse.Feed);
            var handler = new Hl7FeedHandler(store.Feeds, await SiteTimeZone.OfAsync(store.Settings, cancellationToken), time) { MaxMessageBytes = parse.GetValue(maxBytes) };
            using var listener = new MllpListener(handler, new MllpOptions(TimeSpan.FromSeconds(parse.GetValue(idle))), line => Console.Error.WriteLine(line));
            try
            {
                await listener.RunAsync(endpoint!, bound => Console.Error.WriteLine($"listen: MLLP on {bound}, workspace {parse.GetValue(workspace)}"), cancellationToken);
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                Console.Error.WriteLine($"listen: cannot listen on {endpoint}: {ex.Message}");
                return ExitCodes.Failed;
            }

            Console.Error.WriteLine($"listen: stopped; {await store.Feeds.CountStoredAsync(CancellationToken.None)} messages stored in this workspace");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Hl7(TimeProvider time)
    {
        var errorsWorkspace = WorkspaceCommands.WorkspaceOption();
        var errors = new Command("errors", "The messages that were refused (AE), with the reason, oldest first") { errorsWorkspace };
        errors.SetAction(async (parse, cancellationToken) =>
        {
            using var store = Workspaces.Open(parse.GetValue(errorsWorkspace)!, time);
            var refused = await store.Feeds.GetRefusedAsync(null, cancellationToken);
            Console.WriteLine("control_id\tsender\tmessage_type\treceived_at\tbytes\treason");
            foreach (var m in refused)
            {
                Console.WriteLine($"{m.ControlId}\t{m.Sender}\t{m.MessageType}\t{m.ReceivedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\t{m.Raw.Length}\t{m.Reason}");
            }

            Console.Error.WriteLine($"hl7 errors: {Plural.Count(refused.Count, "refused message")}");
            return ExitCodes.Ok;
        });

        var replayWorkspace = WorkspaceCommands.WorkspaceOption();
        var id = new Option<string?>("--id") { Description = "Only the message with this control id (MSH-10)" };
        var replay = new Command("replay", "Run the refused messages again (after a fix of mapping or protocol): stored ones leave the error store") { replayWorkspace, id };
        replay.SetAction(async (parse, cancellationToken) =>
        {
            using var store = Workspaces.Open(parse.GetValue(replayWorkspace)!, time);
            var handler = new Hl7FeedHandler(store.Feeds, await SiteTimeZone.OfAsync(store.Settings, cancellationToken), time);
            var refused = await store.Feeds.GetRefusedAsync(parse.GetValue(id), cancellationToken);
            if (refused.Count == 0)
            {
                Console.Error.WriteLine(parse.GetValue(id) is { } wanted ? $"hl7 replay: no refused message with control id '{wanted}'" : "hl7 replay: no refused messages");
                return parse.GetValue(id) is null ? ExitCodes.Ok : ExitCodes.Failed;
            }

            var stillRefused = 0;
            foreach (var message in refused)
            {
                var handled = await handler.HandleAsync(message.Raw, cancellationToken);
                if (handled.Code == Hl7AckCode.Accept)
                {
                    Console.Error.WriteLine($"{message.ControlId}: {(handled.Outcome == FeedOutcome.Duplicate ? "already stored" : "stored")}");
                }
                else
                {
                    stillRefused++;
                    Console.Error.WriteLine($"{message.ControlId}: still refused: {handled.Problem}");
                }
            }

            Console.Error.WriteLine($"hl7 replay: {refused.Count - stillRefused} of {refused.Count} stored");
            return stillRefused == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });

        return new Command("hl7", "HL7 v2 feed messages that were refused: see them, run them again") { errors, replay };
    }

    private static bool TryEndpoint(string text, out IPEndPoint? endpoint)
    {
        endpoint = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 0 or > 65535)
        {
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        if (host == "localhost")
        {
            host = "127.0.0.1";
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
