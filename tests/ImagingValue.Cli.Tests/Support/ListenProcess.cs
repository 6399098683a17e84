using System.Diagnostics;
using System.Globalization;

namespace ImagingValue.Cli.Tests.Support;

/// <summary><c>imaging-value listen</c> as its own process on a free loopback port, and Debian's <c>mllp_send</c> as its client.</summary>
public sealed class ListenProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _log = new();

    private ListenProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _ = process.StandardOutput.ReadToEndAsync();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(e.Data);
            }

            // As text, or as the Message of a JSON line (--log-format json).
            if (e.Data.StartsWith("listen: MLLP on", StringComparison.Ordinal) || e.Data.Contains("\"Message\":\"listen: MLLP on", StringComparison.Ordinal))
            {
                _ready.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<ListenProcess> StartAsync(string workspace, params string[] args)
    {
        var port = ServeProcess.FreePort();
        var listen = new ListenProcess(CliRunner.Start(Path.GetDirectoryName(workspace)!, ["listen", "--workspace", workspace, "--mllp", $"127.0.0.1:{port}", .. args]), port);
        var started = await Task.WhenAny(listen._ready.Task, listen._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != listen._ready.Task)
        {
            await listen.DisposeAsync();
            throw new InvalidOperationException("listen did not start: " + listen.Log);
        }

        return listen;
    }

    /// <summary>Stops with SIGTERM (as systemd does) and returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Kills with SIGKILL: no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>
    /// Sends a file of framed messages with <c>mllp_send</c> (Debian's python3-hl7, installed by ./test), which waits for
    /// each acknowledgement and prints it; returns its exit code and output.
    /// </summary>
    public static async Task<(int ExitCode, string Acknowledgements)> SendAsync(int port, string feedFile)
    {
        Assert.True(File.Exists("/usr/bin/mllp_send"), "mllp_send is missing: ./test installs Debian's python3-hl7 (apt-get install python3-hl7)");
        var info = new ProcessStartInfo("/usr/bin/mllp_send") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--file", feedFile, "--port", port.ToString(CultureInfo.InvariantCulture), "127.0.0.1" })
        {
            info.ArgumentList.Add(arg);
        }

        using var send = Process.Start(info)!;
        var output = send.StandardOutput.ReadToEndAsync();
        _ = send.StandardError.ReadToEndAsync();
        await send.WaitForExitAsync();
        return (send.ExitCode, await output);
    }
}
