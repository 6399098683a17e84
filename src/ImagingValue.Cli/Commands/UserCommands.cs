using System.CommandLine;
using System.Text;
using ImagingValue.Core.Review;
using ImagingValue.Storage;
using ImagingValue.Web.Review;

namespace ImagingValue.Cli.Commands;

/// <summary>user add, user list: the review workspace's local accounts.</summary>
internal static class UserCommands
{
    public static Command User(TimeProvider time)
    {
        return new Command("user", "Accounts of the review workspace (./imaging-value serve --workspace DIR)") { Add(time), List(time) };
    }

    private static Command Add(TimeProvider time)
    {
        var workspace = WorkspaceCommands.WorkspaceOption();
        var name = new Option<string>("--name") { Description = "The sign-in name (also the reviewer name on saved reviews)", Required = true };
        var role = new Option<string>("--role") { Description = "admin, reviewer, adjudicator or viewer", Required = true };
        var command = new Command("add", "Add an account; the password is read from standard input (or prompted for on a terminal), never from the command line")
        {
            workspace, name, role,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var userName = parse.GetValue(name)!.Trim();
            if (userName.Length == 0 || userName.Length > 64 || userName.Any(char.IsControl))
            {
                Console.Error.WriteLine("user add: --name: 1 to 64 printable characters");
                return ExitCodes.Usage;
            }

            if (!UserRoles.TryParse(parse.GetValue(role), out var userRole))
            {
                Console.Error.WriteLine($"user add: --role: '{parse.GetValue(role)}' is not one of admin, reviewer, adjudicator, viewer");
                return ExitCodes.Usage;
            }

            var password = ReadPassword();
            if (Passwords.Problem(password) is { } problem)
            {
                Console.Error.WriteLine($"user add: {problem}");
                return ExitCodes.Failed;
            }

            using var workspaceStores = Workspaces.Open(parse.GetValue(workspace)!, time);
            var store = workspaceStores.Users;
            var added = await store.AddUserAsync(new WorkspaceUser(userName, userRole, Passwords.Hash(password!), 0, null), time.GetUtcNow(), cancellationToken);
            if (!added)
            {
                Console.Error.WriteLine($"user add: an account named '{userName}' exists already");
                return ExitCodes.Failed;
            }

            Console.Error.WriteLine($"added {UserRoles.Name(userRole)} '{userName}'");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(TimeProvider time)
    {
        var workspace = WorkspaceCommands.WorkspaceOption();
        var command = new Command("list", "List the accounts (name, role, locked)") { workspace };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var workspaceStores = Workspaces.Open(parse.GetValue(workspace)!, time);
            var store = workspaceStores.Users;
            foreach (var user in await store.GetUsersAsync(cancellationToken))
            {
                Console.WriteLine($"{user.Name}\t{UserRoles.Name(user.Role)}{(user.IsLockedAt(time.GetUtcNow()) ? "\tlocked" : string.Empty)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The first line of standard input when it is redirected; otherwise a prompt without echo, asked twice.</summary>
    private static string? ReadPassword()
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        var first = Prompt("password: ");
        var again = Prompt("password again: ");
        if (first != again)
        {
            Console.Error.WriteLine("user add: the two passwords differ");
            return null;
        }

        return first;
    }

    private static string Prompt(string label)
    {
        Console.Error.Write(label);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
