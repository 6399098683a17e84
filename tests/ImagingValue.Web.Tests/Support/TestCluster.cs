using System.Diagnostics;

namespace ImagingValue.Web.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of a test's own (<c>scripts/test-postgres.sh start</c>), which the test may stop and start
/// again (<c>pause</c>, <c>resume</c>: same port, same data) to cut the database away from running services.
/// Removed on dispose.
/// </summary>
public sealed class TestCluster : IDisposable
{
    private TestCluster(string connectionString, string folder)
    {
        ConnectionString = connectionString;
        Folder = folder;
    }

    /// <summary>The cluster's connection string (database <c>postgres</c>, trusted on loopback).</summary>
    public string ConnectionString { get; }

    /// <summary>The cluster's folder under /tmp (data, log, options).</summary>
    public string Folder { get; }

    public static TestCluster Start()
    {
        var exports = Run("start").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0].Replace("export ", string.Empty, StringComparison.Ordinal), pair => pair[1].Trim('\''), StringComparer.Ordinal);
        return new TestCluster(exports["IV_TEST_POSTGRES"], exports["IV_TEST_POSTGRES_DIR"]);
    }

    /// <summary>Stops the server (fast shutdown: sessions ended, new connections refused); the data stays.</summary>
    public void Pause() => Run("pause", Folder);

    /// <summary>Starts the paused server again, on the same port; returns once it accepts connections.</summary>
    public void Resume() => Run("resume", Folder);

    public void Dispose() => Run("stop", Folder);

    private static string Run(params string[] args)
    {
        var info = new ProcessStartInfo(Script()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not run scripts/test-postgres.sh");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/test-postgres.sh {string.Join(' ', args)} did not finish");
        }

        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"scripts/test-postgres.sh {string.Join(' ', args)}: exit {process.ExitCode}: {errors.Result}");
    }

    /// <summary>The script in the repository the tests were built from (found above the test binaries).</summary>
    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "scripts", "test-postgres.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new InvalidOperationException("scripts/test-postgres.sh not found above " + AppContext.BaseDirectory);
    }
}
