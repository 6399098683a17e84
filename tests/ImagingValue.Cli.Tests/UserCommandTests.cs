using System.Text;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

public class UserCommandTests
{
    [Fact]
    public void UserAdd_PasswordFromStdin_StoredOnlyAsAHash()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws").ExitCode);
        const string password = "Correct-Horse-7731";

        var added = CliRunner.RunWithInput(dir.Path, password + "\n", "user", "add", "--workspace", "ws", "--name", "ana", "--role", "adjudicator");
        var again = CliRunner.RunWithInput(dir.Path, password + "\n", "user", "add", "--workspace", "ws", "--name", "ANA", "--role", "viewer");
        var shortOne = CliRunner.RunWithInput(dir.Path, "short\n", "user", "add", "--workspace", "ws", "--name", "ben", "--role", "viewer");
        var badRole = CliRunner.RunWithInput(dir.Path, password + "\n", "user", "add", "--workspace", "ws", "--name", "cy", "--role", "boss");
        var list = CliRunner.Run(dir.Path, "user", "list", "--workspace", "ws");

        Assert.Equal(0, added.ExitCode);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists already", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, shortOne.ExitCode);
        Assert.Equal(2, badRole.ExitCode);
        Assert.Equal("ana\tadjudicator", list.Stdout.Trim());
        var bytes = File.ReadAllBytes(Path.Combine(dir.Path, "ws", "imaging-value.db"));
        foreach (var encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode })
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(encoding.GetBytes(password)));
        }

        Assert.DoesNotContain(password, added.Stdout + added.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UserChanges_RolePasswordDisableEnableUnlock_ListedAndUnknownNamesRefused()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws").ExitCode);
        Assert.Equal(0, CliRunner.RunWithInput(dir.Path, "Correct-Horse-7731\n", "user", "add", "--workspace", "ws", "--name", "ana", "--role", "reviewer").ExitCode);
        Assert.Equal(0, CliRunner.RunWithInput(dir.Path, "Correct-Horse-7731\n", "user", "add", "--workspace", "ws", "--name", "ben", "--role", "viewer").ExitCode);
        string List() => CliRunner.Run(dir.Path, "user", "list", "--workspace", "ws").Stdout.Trim().ReplaceLineEndings("\n");
        string Hash(string name) => Scalar(dir.File("ws/imaging-value.db"), $"SELECT password_hash FROM users WHERE name = '{name}'");

        var role = CliRunner.Run(dir.Path, "user", "role", "--workspace", "ws", "--name", "ANA", "--role", "adjudicator");
        var badRole = CliRunner.Run(dir.Path, "user", "role", "--workspace", "ws", "--name", "ana", "--role", "boss");
        var disable = CliRunner.Run(dir.Path, "user", "disable", "--workspace", "ws", "--name", "ben");
        var afterDisable = List();
        var enable = CliRunner.Run(dir.Path, "user", "enable", "--workspace", "ws", "--name", "ben");
        var before = Hash("ana");
        var shortPassword = CliRunner.RunWithInput(dir.Path, "short\n", "user", "reset-password", "--workspace", "ws", "--name", "ana");
        var reset = CliRunner.RunWithInput(dir.Path, "Another-Horse-8842\n", "user", "reset-password", "--workspace", "ws", "--name", "ana");
        var unlock = CliRunner.Run(dir.Path, "user", "unlock", "--workspace", "ws", "--name", "ana");
        var unknown = CliRunner.Run(dir.Path, "user", "disable", "--workspace", "ws", "--name", "nobody");

        Assert.Equal((0, "adjudicator 'ana' has its new role"), (role.ExitCode, role.Stderr.Trim()));
        Assert.Equal(2, badRole.ExitCode);
        Assert.Contains("'boss' is not one of", badRole.Stderr, StringComparison.Ordinal);
        Assert.Equal((0, "ana\tadjudicator\nben\tviewer\tdisabled"), (disable.ExitCode, afterDisable));
        Assert.Equal((0, "ana\tadjudicator\nben\tviewer"), (enable.ExitCode, List()));
        Assert.Equal(1, shortPassword.ExitCode);
        Assert.Equal(0, reset.ExitCode);
        Assert.NotEqual(before, Hash("ana"));
        Assert.DoesNotContain("Another-Horse-8842", reset.Stdout + reset.Stderr, StringComparison.Ordinal);
        Assert.Equal((0, "adjudicator 'ana' is unlocked"), (unlock.ExitCode, unlock.Stderr.Trim()));
        Assert.Equal((1, "user disable: no account named 'nobody'"), (unknown.ExitCode, unknown.Stderr.Trim()));
    }

    [Theory]
    [InlineData("password", "user add: the password is too short: at least 12 characters")]
    [InlineData("Correct-11c", "user add: the password is too short: at least 12 characters")]
    [InlineData("            ", "user add: the password is only spaces")]
    [InlineData("qwerty123456", "user add: the password is a commonly used one")]
    [InlineData("QWERTY123456", "user add: the password is a commonly used one")]
    public void UserAdd_WeakPassword_RefusedWithTheReasonAndNothingStored(string password, string reason)
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws").ExitCode);

        var added = CliRunner.RunWithInput(dir.Path, password + "\n", "user", "add", "--workspace", "ws", "--name", "ana", "--role", "viewer");

        Assert.Equal((1, reason), (added.ExitCode, added.Stderr.Trim()));
        Assert.Equal(string.Empty, CliRunner.Run(dir.Path, "user", "list", "--workspace", "ws").Stdout.Trim());
    }

    [Fact]
    public void UserResetPassword_CommonPassword_RefusedAndTheOldOneKept()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws").ExitCode);
        Assert.Equal(0, CliRunner.RunWithInput(dir.Path, "Correct-Horse-7731\n", "user", "add", "--workspace", "ws", "--name", "ana", "--role", "reviewer").ExitCode);
        var before = Scalar(dir.File("ws/imaging-value.db"), "SELECT password_hash FROM users WHERE name = 'ana'");

        var reset = CliRunner.RunWithInput(dir.Path, "1qaz2wsx3edc\n", "user", "reset-password", "--workspace", "ws", "--name", "ana");

        Assert.Equal((1, "user reset-password: the password is a commonly used one"), (reset.ExitCode, reset.Stderr.Trim()));
        Assert.Equal(before, Scalar(dir.File("ws/imaging-value.db"), "SELECT password_hash FROM users WHERE name = 'ana'"));
    }

    private static string Scalar(string database, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }
}
