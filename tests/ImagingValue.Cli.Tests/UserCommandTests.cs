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
}
