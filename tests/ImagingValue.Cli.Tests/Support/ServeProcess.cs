using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImagingValue.Cli.Tests.Support;

/// <summary><c>imaging-value serve</c> as its own process on a free loopback port, stopped with SIGTERM as systemd would.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _server;
    private readonly Task<string> _errors;
    private readonly Task<string> _output;

    private ServeProcess(Process server, string baseUrl)
    {
        _server = server;
        BaseUrl = baseUrl;
        // Drain the server's console so its logging never blocks on a full pipe.
        _output = server.StandardOutput.ReadToEndAsync();
        _errors = server.StandardError.ReadToEndAsync();
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    /// <summary>All the server wrote to standard output (its log), once it has exited.</summary>
    public Task<string> Output => _output;

    /// <summary>Starts serve with <paramref name="args"/> plus <c>--urls</c>, and waits until discovery answers.</summary>
    public static async Task<ServeProcess> StartAsync(string workingDirectory, params string[] args)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var serve = new ServeProcess(CliRunner.Start(workingDirectory, ["serve", .. args, "--urls", baseUrl]), baseUrl);
        try
        {
            await serve.WaitUntilUpAsync();
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }

        return serve;
    }

    /// <summary>Stops the server gracefully (it writes the alerts it holds) and checks it exited cleanly.</summary>
    public async Task StopAsync()
    {
        if (_server.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _server.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, _server.ExitCode);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server.Dispose();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilUpAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_server.HasExited)
            {
                Assert.Fail($"serve exited: {await _errors}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("/cds-services", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        Assert.Fail("serve did not answer within 60 s");
    }
}
