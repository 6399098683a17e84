using System.CommandLine;
using System.Text;
using ImagingValue.Core.Review;
using ImagingValue.Storage;
using ImagingValue.Web.Review;

namespace ImagingValue.Cli.Commands;

/// <summary>
/// user add, list, reset-password, role, disable, enable, unlock: the review workspace's local accounts. Every change
/// but an unlock ends the account's sessions at their next request (a new security stamp).
/// </summary>
internal static class UserCommands
{
    public static Command User(TimeProvider time)
    {
        return new Command("user", "Accounts of the review workspace (./imaging-value serve --workspace DIR)") {
            Add(time), List(time), ResetPassword(time), Role(time),
            Change(time, "disable", "Disable an account: it cannot sign in, and its sessions end", "is disabled", new AccountChange(Disabled: true)),
            Change(time, "enable", "Enable a disabled account again", "is enabled", new AccountChange(Disabled: false)),
            Change(time, "unlock", "Lift the lock that wrong passwords put on an account", "is unlocked", new AccountChange(Unlock: true)),
        };
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

            var password = ReadPassword("user add");
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

    private static Command ResetPassword(TimeProvider time) => Change(
        time,
        "reset-password",
        "Give an account a new password, read from standard input (or prompted for on a terminal); lifts any lock and ends its sessions",
        "has a new password",
        _ => ReadPassword("user reset-password") is var password && Passwords.Problem(password) is { } problem
            ? Refused($"user reset-password: {problem}", ExitCodes.Failed)
            : (new AccountChange(PasswordHash: Passwords.Hash(password!)), null, ExitCodes.Ok));

    private static Command Role(TimeProvider time)
    {
        var role = new Option<string>("--role") { Description = "admin, reviewer, adjudicator or viewer", Required = true };
        var command = Change(
            time,
            "role",
            "Change an account's role; its sessions end, so the new role applies from the next sign-in",
            "has its new role",
            parse => UserRoles.TryParse(parse.GetValue(role), out var userRole)
                ? (new AccountChange(Role: userRole), null, ExitCodes.Ok)
                : Refused($"user role: --role: '{parse.GetValue(role)}' is not one of admin, reviewer, adjudicator, viewer", ExitCodes.Usage));
        command.Options.Add(role);
        return command;
    }

    private static Command Change(TimeProvider time, string verb, string description, string done, AccountChange change) =>
        Change(time, verb, description, done, _ => (change, null, ExitCodes.Ok));

    private static (AccountChange? Change, string? Problem, int ExitCode) Refused(string problem, int exitCode) => (null, problem, exitCode);

    /// <summary>A command that changes one account by name; <paramref name="change"/> reads the arguments (or says why not); an unknown name is exit 1.</summary>
    private static Command Change(
        TimeProvider time, string verb, string description, string done, Func<ParseResult, (AccountChange? Change, string? Problem, int ExitCode)> change)
    {
        var workspace = WorkspaceCommands.WorkspaceOption();
        var name = new Option<string>("--name") { Description = "The account's sign-in name", Required = true };
        var command = new Command(verb, description) { workspace, name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var userName = parse.GetValue(name)!.Trim();
            var (accountChange, problem, exitCode) = change(parse);
            if (accountChange is null)
            {
                Console.Error.WriteLine(problem);
                return exitCode;
            }

            using var workspaceStores = Workspaces.Open(parse.GetValue(workspace)!, time);
            var changed = await workspaceStores.Users.ChangeUserAsync(userName, accountChange, cancellationToken);
            if (changed is null)
            {
                Console.Error.WriteLine($"user {verb}: no account named '{userName}'");
                return ExitCodes.Failed;
            }

            Console.Error.WriteLine($"{UserRoles.Name(changed.Role)} '{changed.Name}' {done}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(TimeProvider time)
    {
        var workspace = WorkspaceCommands.WorkspaceOption();
        var command = new Command("list", "List the accounts (name, role, disabled, locked)") { workspace };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var workspaceStores = Workspaces.Open(parse.GetValue(workspace)!, time);
            var store = workspaceStores.Users;
            foreach (var user in await store.GetUsersAsync(cancellationToken))
            {
                Console.WriteLine($"{user.Name}\t{UserRoles.Name(user.Role)}{(user.Disabled ? "\tdisabled" : string.Empty)}{(user.IsLockedAt(time.GetUtcNow()) ? "\tlocked" : string.Empty)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The first line of standard input when it is redirected; otherwise a prompt without echo, asked twice.</summary>
    private static string? ReadPassword(string command)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        var first = Prompt("password: ");
        var again = Prompt("password again: ");
        if (first != again)
        {
            Console.Error.WriteLine($"{command}: the two passwords differ");
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
