using System.Diagnostics;
using System.Text.Json.Nodes;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary>
/// <c>./imaging-value publish --out DIR</c> makes a build that runs where no .NET is installed (issue 16, "Done when"):
/// one publish, then demo and serve run with no folder holding <c>dotnet</c> on PATH and no DOTNET_ROOT. Slow (a
/// self-contained Release build: minutes).
/// </summary>
public sealed class PublishTests
{
    [Fact]
    public async Task Publish_RunsDemoAndServeWithoutDotnet()
    {
        using var dir = new TempDirectory();
        var repository = RepositoryRoot();
        var published = dir.File("published");

        var publish = Run(repository, Path.Combine(repository, "imaging-value"), ["publish", "--out", published], Environment.GetEnvironmentVariable("PATH")!, TimeSpan.FromMinutes(20));
        Assert.True(publish.ExitCode == 0, publish.Stderr);
        Assert.True(File.Exists(Path.Combine(published, "README.md")));

        // Every folder with a dotnet in it is off PATH; the runtime must be the build's own.
        var path = string.Join(':', (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Where(d => d.Length > 0 && !File.Exists(Path.Combine(d, "dotnet"))));
        var executable = Path.Combine(published, "imaging-value");
        var demo = Run(dir.Path, executable, ["demo", "--out", "demo"], path, TimeSpan.FromMinutes(5));
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        Assert.Contains("findings:   2/98 major (2.0%, 95% CI 0.6%–7.1%), 43 minor, 85 incidental; management changed: 0 major, 12 minor", demo.Stdout, StringComparison.Ordinal);

        var url = $"http://127.0.0.1:{ServeProcess.FreePort()}";
        using var serve = Start(dir.Path, executable, ["serve", "--workspace", "demo/workspace", "--dev", "--urls", url], path);
        // Its log goes to standard output; drained so a full pipe never blocks it.
        _ = serve.StandardOutput.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
            var discovery = await DiscoveryAsync(http, serve);
            var ids = discovery["services"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToList();
            Assert.Contains("sacrum-mri-lbp-select", ids);
            Assert.Contains("sacrum-mri-lbp-sign", ids);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }

    private static async Task<JsonObject> DiscoveryAsync(HttpClient http, Process serve)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (serve.HasExited)
            {
                Assert.Fail("serve exited: " + await serve.StandardError.ReadToEndAsync());
            }

            try
            {
                return Assert.IsType<JsonObject>(JsonNode.Parse(await http.GetStringAsync(new Uri("/cds-services", UriKind.Relative))));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or not answering within the client's timeout.
                await Task.Delay(200);
            }
        }

        throw new TimeoutException("the published serve did not answer within 60 s");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ImagingValue.slnx")) && File.Exists(Path.Combine(folder.FullName, "imaging-value")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no repository above {AppContext.BaseDirectory}");
    }

    private static Process Start(string workingDirectory, string executable, string[] args, string path)
    {
        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PATH"] = path;
        info.Environment.Remove("DOTNET_ROOT");
        info.Environment.Remove("DOTNET_HOST_PATH");
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
    }

    private static CliRunner.Result Run(string workingDirectory, string executable, string[] args, string path, TimeSpan timeout)
    {
        using var process = Start(workingDirectory, executable, args, path);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', args)} did not finish in {timeout}");
        }

        return new CliRunner.Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
