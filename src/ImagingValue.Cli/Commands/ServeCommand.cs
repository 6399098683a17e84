using System.CommandLine;
using ImagingValue.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace ImagingValue.Cli.Commands;

/// <summary>serve: the CDS Hooks service (contracts section 4) with the built-in protocols.</summary>
internal static class ServeCommand
{
    public static Command Serve(TimeProvider time)
    {
        var workspace = new Option<string?>("--workspace") { Description = "The workspace folder (reserved for alert storage)" };
        var urls = new Option<string>("--urls") { Description = "Where to listen, ';'-separated", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var dev = new Option<bool>("--dev") { Description = "Accept unsigned requests; loopback addresses only" };
        var compat = new Option<bool>("--compat-extension-system-actions") { Description = "Also put ratings in extension.systemActions (Argonaut PAMA; the CDS Hooks sandbox reads only these)" };
        var command = new Command("serve", "Serve the CDS Hooks service: order-select and order-sign alerts with the audit's own screening") { workspace, urls, dev, compat };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = parse.GetValue(workspace);
            if (folder is not null && !Directory.Exists(folder))
            {
                Console.Error.WriteLine($"imaging-value: --workspace {folder}: no such folder");
                return ExitCodes.Failed;
            }

            var options = new CdsServerOptions
            {
                Urls = parse.GetValue(urls)!,
                Dev = parse.GetValue(dev),
                CompatExtensionSystemActions = parse.GetValue(compat),
                Workspace = folder,
                Time = time,
            };
            WebApplication app;
            try
            {
                app = CdsWebApp.Build(options);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"imaging-value: {ex.Message.Split(" (Parameter", 2)[0]}");
                return ExitCodes.Usage;
            }

            if (!options.Dev)
            {
                Console.Error.WriteLine("imaging-value: no trusted JWT issuer is configured yet: service and feedback calls get 401 (use --dev on loopback for unsigned testing)");
            }

            await using (app)
            {
                await app.StartAsync(cancellationToken);
                await app.WaitForShutdownAsync(cancellationToken);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
