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
        // Not Required: the workspace and the address may come from Listen:Workspace and Listen:Mllp instead.
        var workspace = new Option<string?>("--workspace") { Description = "The workspace folder (or Listen:Workspace)" };
        var mllp = new Option<string?>("--mllp") { Description = "HOST:PORT to listen on for MLLP-framed HL7 v2 messages, e.g. 127.0.0.1:2575 (or Listen:Mllp)" };
        var maxBytes = new Option<int>("--max-message-bytes") { Description = "Largest message taken; larger ones are answered AE", DefaultValueFactory = _ => Hl7FeedHandler.DefaultMaxMessageBytes };
        var idle = new Option<int>("--idle-timeout-seconds") { Description = "Close a connection that sends nothing for this long", DefaultValueFactory = _ => (int)MllpOptions.Default.IdleTimeout.TotalSeconds };
        var config = ServiceConfiguration.ConfigOption();
        var logFormat = ServiceConfiguration.LogFormatOption();
        var command = new Command("listen", "Take the live HL7 v2 order and result feed over MLLP: each message acknowledged after it is stored; runs until SIGINT/SIGTERM") { workspace, mllp, maxBytes, idle, config, logFormat };
        // System.CommandLine turns SIGINT and SIGTERM into this cancellation: the listener stops accepting, stores and
        // acknowledges the message in hand, and returns.
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Every value: the command line, else the environment (Listen__Key), else the settings file (Listen:Key).
            var configured = ServiceConfiguration.Load(parse, "Listen", config);
            var folder = configured.Get(workspace, "Workspace");
            var address = configured.Get(mllp, "Mllp");
            var messageBytes = configured.Get(maxBytes, "MaxMessageBytes");
            var idleSeconds = configured.Get(idle, "IdleTimeoutSeconds");
            var log = LogLines.Writer(configured.JsonLogs(logFormat), "listen", time);
            if (folder is null || address is null)
            {
                Console.Error.WriteLine($"listen: {(folder is null ? "--workspace" : "--mllp")} is required (or {(folder is null ? "Listen:Workspace" : "Listen:Mllp")} in the settings file or environment)");
                return ExitCodes.Usage;
            }

            if (!TryEndpoint(address, out var endpoint))
            {
                Console.Error.WriteLine($"listen: --mllp '{address}' is not HOST:PORT (e.g. 127.0.0.1:2575 or 0.0.0.0:2575)");
                return ExitCodes.Usage;
            }

            if (messageBytes is < 1024 or > 256 * 1024 * 1024 || idleSeconds < 1)
            {
                Console.Error.WriteLine("listen: --max-message-bytes must be 1024..268435456 and --idle-timeout-seconds at least 1");
                return ExitCodes.Usage;
            }

            using var store = Workspaces.Open(folder, time, WorkspaceUse.Feed);
            var handler = new Hl7FeedHandler(store.Feeds, await SiteTimeZone.OfAsync(store.Settings, cancellationToken), time) { MaxMessageBytes = messageBytes };
            using var listener = new MllpListener(handler, new MllpOptions(TimeSpan.FromSeconds(idleSeconds)), log);
            try
            {
                await listener.RunAsync(endpoint!, bound => log($"listen: MLLP on {bound}, workspace {folder}"), cancellationToken);
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                Console.Error.WriteLine($"listen: cannot listen on {endpoint}: {ex.Message}");
                return ExitCodes.Failed;
            }

            log($"listen: stopped; {await store.Feeds.CountStoredAsync(CancellationToken.None)} messages stored in this workspace");
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
