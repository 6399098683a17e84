using System.CommandLine;
using ImagingValue.Cli.Commands;
using ImagingValue.Storage;
using ImagingValue.Storage.Sqlite;

var time = TimeProvider.System;
var root = new RootCommand("imaging-value: find low-value imaging, prove it with data, stop it at the point of order.")
{
    AuditCommands.Demo(time),
    AuditCommands.Audit(time),
    WorkspaceCommands.Init(time),
    MigrateCommand.Migrate(),
    WorkspaceCommands.Import(time),
    WorkspaceCommands.Export(time),
    FeedCommands.Listen(time),
    FeedCommands.Hl7(time),
    WorkspaceCommands.Screen(time),
    WorkspaceCommands.Analyze(time),
    WorkspaceCommands.Report(time),
    AuditCommands.Synth(),
    NlpCommands.Nlp(),
    ProtocolCommands.Protocol(),
    StatsCommands.Stats(),
    MonitorCommands.Intervention(time),
    MonitorCommands.Monitor(time),
    ServeCommand.Serve(time),
    UserCommands.User(time),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"imaging-value: {error.Message}");
    }

    Console.Error.WriteLine("imaging-value: see --help");
    return ExitCodes.Usage;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception ex) when (ex is FormatException or WorkspaceNotFoundException or IOException or InvalidDataException or UnauthorizedAccessException)
{
    // Expected failures (bad input, missing files) are one readable line, not a stack trace.
    Console.Error.WriteLine($"imaging-value: {ex.Message}");
    return ExitCodes.Failed;
}
catch (Exception ex) when (DatabaseFaults.Unavailable(ex) is { } database)
{
    // The database did not answer under a command (a server stopped, a timeout the connection string set, a SQLite
    // file locked by another process past the timeout): not a bug. The operator's console, so the driver's message
    // (it may name the server, never the password).
    var timedOut = database.InnerException is TimeoutException ? " (no answer within the connection string's Command Timeout)" : string.Empty;
    Console.Error.WriteLine($"imaging-value: the workspace's database failed{timedOut}: {database.Message}");
    return ExitCodes.Failed;
}
catch (OperationCanceledException)
{
    // Ctrl+C (or SIGTERM): the command's token was cancelled and it stopped. Not a crash: no trace, and the shell's
    // code for an interrupted command (it was "Unhandled exception", exit 134, with the trace).
    Console.Error.WriteLine("imaging-value: cancelled");
    return ExitCodes.Cancelled;
}
catch (Exception ex)
{
    // Anything else is a bug: say so, with the trace a developer needs (no patient data is in exception messages).
    Console.Error.WriteLine($"imaging-value: unexpected error, please report it: {ex}");
    return ExitCodes.Failed;
}

