using System.Net;
using System.Net.Sockets;

namespace ImagingValue.Import.Hl7;

/// <summary>How the listener treats its connections.</summary>
/// <param name="IdleTimeout">A connection that sends nothing for this long is closed.</param>
public sealed record MllpOptions(TimeSpan IdleTimeout)
{
    public static MllpOptions Default { get; } = new(TimeSpan.FromMinutes(5));
}

/// <summary>
/// The live feed: an MLLP listener (<c>0x0B</c> message <c>0x1C 0x0D</c>) that acknowledges each message only after
/// it is stored. Messages of one connection are handled in order; connections are served at once, their messages
/// stored one at a time (the workspace has one writer). On shutdown it stops accepting, finishes the message in hand
/// and closes.
/// </summary>
public sealed class MllpListener(Hl7FeedHandler handler, MllpOptions options, Action<string> log) : IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    public void Dispose() => _writer.Dispose();

    /// <summary>Listens on <paramref name="endpoint"/> until <paramref name="stopping"/>; <paramref name="ready"/> gets the bound address.</summary>
    public async Task RunAsync(IPEndPoint endpoint, Action<IPEndPoint>? ready, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var listener = new TcpListener(endpoint);
        listener.Start();
        ready?.Invoke((IPEndPoint)listener.LocalEndpoint);
        var connections = new List<Task>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(ServeAsync(client, stopping));
            }
        }
        finally
        {
            listener.Stop();
            await Task.WhenAll(connections);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stopping)
    {
        using var _ = client;
        var peer = client.Client.RemoteEndPoint?.ToString() ?? "?";
        try
        {
            var stream = client.GetStream();
            var reader = new MllpFrameReader(stream, handler.MaxMessageBytes);
            while (!stopping.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                idle.CancelAfter(options.IdleTimeout);
                MllpFrame? frame;
                try
                {
                    frame = await reader.ReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    log($"listen: {peer}: idle for {options.IdleTimeout.TotalSeconds:0} s, closed");
                    return;
                }

                if (frame is null)
                {
                    return;
                }

                // Not cancelled by shutdown: the message in hand is stored and acknowledged before the listener stops.
                var handled = await HandleAsync(frame.Value);
                await stream.WriteAsync(MllpFrameReader.Frame(handled.Acknowledgement), CancellationToken.None);
                if (handled.Code != Hl7AckCode.Accept)
                {
                    log($"listen: {peer}: {(handled.Code == Hl7AckCode.Error ? "AE" : "AR")} {Clean(handled.ControlId)}: {handled.Problem}");
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            log($"listen: {peer}: connection ended ({ex.GetType().Name})");
        }
    }

    private async Task<Hl7Handled> HandleAsync(MllpFrame frame)
    {
        await _writer.WaitAsync(CancellationToken.None);
        try
        {
            return frame.Oversized is { } length
                ? await handler.RefuseOversizedAsync(frame.Bytes, length, CancellationToken.None)
                : await handler.HandleAsync(frame.Bytes, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The workspace could not store it (locked, disk full, gone): nothing was kept, so the sender must retry.
            // The type and SQLSTATE say what failed; the message would name the database's host and port.
            log($"listen: cannot store a message now: {ex.GetType().Name}{(ex is System.Data.Common.DbException { SqlState: { } state } ? $" (SQLSTATE {state})" : "")}");
            return handler.Reject(frame.Bytes, "the workspace cannot store the message now; send it again later");
        }
        finally
        {
            _writer.Release();
        }
    }

    private static string Clean(string value) => new([.. value.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
}

/// <summary>One MLLP frame's content; <see cref="Oversized"/> is the full length when only its start was kept.</summary>
public readonly record struct MllpFrame(ReadOnlyMemory<byte> Bytes, long? Oversized);

/// <summary>
/// Reads MLLP frames from a stream: bytes before a start block are skipped; a frame ends at <c>0x1C 0x0D</c>. A frame
/// over the size limit is not held: its first bytes are kept to answer it, the rest read and dropped.
/// </summary>
public sealed class MllpFrameReader(Stream stream, int maxMessageBytes)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>A frame for <paramref name="message"/>.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> message) => [Hl7Framing.StartBlock, .. message, Hl7Framing.EndBlock, Hl7Framing.CarriageReturn];

    /// <summary>The next frame, or null when the peer closed the connection between frames.</summary>
    public async Task<MllpFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        // Skip to the start block.
        while (true)
        {
            var at = Array.IndexOf(_buffer, Hl7Framing.StartBlock, _start, _end - _start);
            if (at >= 0)
            {
                _start = at + 1;
                break;
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }

        using var message = new MemoryStream();
        long length = 0;
        var previousWasEnd = false;
        while (true)
        {
            for (var i = _start; i < _end; i++)
            {
                var b = _buffer[i];
                if (previousWasEnd && b == Hl7Framing.CarriageReturn)
                {
                    Append(message, _start, i - 1 - _start, ref length);
                    _start = i + 1;
                    var bytes = message.ToArray();
                    return length > maxMessageBytes ? new MllpFrame(bytes, length) : new MllpFrame(bytes, null);
                }

                previousWasEnd = b == Hl7Framing.EndBlock;
            }

            Append(message, _start, _end - _start, ref length);
            _start = _end;
            if (!await FillAsync(cancellationToken))
            {
                throw new IOException("the connection closed inside a message");
            }
        }
    }

    // Keeps bytes up to the limit plus what an oversized frame's answer needs; counts the rest.
    private void Append(MemoryStream message, int offset, int count, ref long length)
    {
        if (count <= 0)
        {
            // The end block sat at the end of the previous read: drop it from what was kept.
            if (count < 0 && message.Length == length)
            {
                message.SetLength(message.Length - 1);
            }

            length += count;
            return;
        }

        var keep = (int)Math.Clamp(Math.Max(maxMessageBytes, Hl7FeedHandler.KeptBytesOfOversized) + 1 - message.Length, 0, count);
        message.Write(_buffer, offset, keep);
        length += count;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }
}
