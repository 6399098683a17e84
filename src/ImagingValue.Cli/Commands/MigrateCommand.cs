using System.CommandLine;
using System.Globalization;
using ImagingValue.Storage;
using ImagingValue.Storage.Postgres;

namespace ImagingValue.Cli.Commands;

/// <summary>
/// migrate: applies a PostgreSQL workspace's pending schema changes by hand (every command also applies them when it
/// opens the workspace), or with --check lists them without applying.
/// </summary>
public static class MigrateCommand
{
    public static Command Migrate()
    {
        var workspace = WorkspaceCommands.WorkspaceOption();
        var check = new Option<bool>("--check") { Description = "List the pending schema versions without applying them; exit code 1 when there are some" };
        var command = new Command("migrate", "Apply a PostgreSQL workspace's pending schema changes (for sites that apply them by hand)") { workspace, check };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(workspace)!;
            if (!PostgresLocation.IsIn(dir))
            {
                Console.Error.WriteLine($"migrate: {dir} is not a PostgreSQL workspace (no {PostgresLocation.FileName}); a SQLite workspace is migrated whenever a command opens it");
                return ExitCodes.Usage;
            }

            var checkOnly = parse.GetValue(check);
            var versions = PostgresWorkspace.Migrate(dir, apply: !checkOnly);
            var listed = string.Join(", ", versions.Select(v => v.ToString("D4", CultureInfo.InvariantCulture)));
            var location = Workspaces.Describe(dir);
            Console.Error.WriteLine(
                versions.Count == 0 ? $"migrate: {location} is at schema version {PostgresWorkspace.SchemaVersion}: nothing to apply"
                : checkOnly ? $"migrate: {location}: pending {listed}"
                : $"migrate: {location}: applied {listed}, now at schema version {PostgresWorkspace.SchemaVersion}");
            return checkOnly && versions.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }
}
