using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImagingValue.Cds.Tests.Support;

/// <summary>
/// A FHIR server on a real loopback socket, for what an in-memory handler cannot show: a redirect the client must not
/// follow, an answer that never ends. Speaks just enough HTTP/1.1 (one request per connection).
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, CancellationToken, Task<byte[]>>? _answer;
    private readonly string? _redirectTo;
    private readonly bool _endless;
    private Task _accepting = Task.CompletedTask;
    private int _requests;

    private LoopbackServer(Func<string, CancellationToken, Task<byte[]>>? answer, string? redirectTo, bool endless)
    {
        _answer = answer;
        _redirectTo = redirectTo;
        _endless = endless;
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/fhir";

    /// <summary>Requests received so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <param name="answer">The 200 body for a request line.</param>
    /// <param name="redirectTo">Answer every request with 302 to this URL.</param>
    /// <param name="endless">Answer 200 with a JSON body that never ends.</param>
    public static Task<LoopbackServer> StartAsync(
        Func<string, CancellationToken, Task<byte[]>>? answer = null, string? redirectTo = null, bool endless = false)
    {
        var server = new LoopbackServer(answer, redirectTo, endless);
        server._listener.Start();
        server._accepting = server.AcceptAsync();
        return Task.FromResult(server);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(ServeAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped: a loop that comes back for the next client after Stop() is told "not listening" (InvalidOperationException).
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var requestLine = await ReadHeadAsync(stream, _stop.Token);
                Interlocked.Increment(ref _requests);
                if (_redirectTo is not null)
                {
                    await WriteAsync(stream, $"HTTP/1.1 302 Found\r\nLocation: {_redirectTo}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                }
                else if (_endless)
                {
                    await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nConnection: close\r\n\r\n{\"resourceType\":\"Bundle\",\"entry\":[");
                    var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
                    while (!_stop.IsCancellationRequested)
                    {
                        await stream.WriteAsync(chunk, _stop.Token);
                    }
                }
                else
                {
                    var body = await _answer!(requestLine, _stop.Token);
                    await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(body, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client went away (the service stopped reading), or the server stopped
            }
        }

        async Task WriteAsync(NetworkStream stream, string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token);
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return head.ToString().Split("\r\n")[0];
    }
}
