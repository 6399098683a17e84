using System.Net;
using System.Net.Sockets;
using System.Text;
using ImagingValue.Core.Storage;
using ImagingValue.Import.Hl7;
using ImagingValue.Import.Tests.Support;

namespace ImagingValue.Import.Tests.Hl7;

/// <summary>The feed handler and the MLLP listener on a real workspace: what is acknowledged, stored and kept.</summary>
public class Hl7FeedHandlerTests
{
    private const string Msh = "MSH|^~\\&|RIS|HOSP|IV|QI|20160307141000||ORM^O01|C1|P|2.5";
    private const string Order = "\rPID|1||MRN1^^^HOSP^MR\rORC|NW|PL1\rOBR|1|PL1||72195^MRI SACRUM WO\r";

    private static Hl7FeedHandler Handler(IFeedStore store, int maxBytes = Hl7FeedHandler.DefaultMaxMessageBytes) =>
        new(store, TimeZoneInfo.Utc, TimeProvider.System) { MaxMessageBytes = maxBytes };

    private static string Text(byte[] ack) => Encoding.UTF8.GetString(ack);

    [Fact]
    public async Task AValidMessage_IsStoredAndAnsweredAA_AgainAA_StoredOnce()
    {
        using var ws = new TempWorkspace();
        var handler = Handler(ws.Store.Feeds);

        var first = await handler.HandleAsync(Encoding.ASCII.GetBytes(Msh + Order), CancellationToken.None);
        var again = await handler.HandleAsync(Encoding.ASCII.GetBytes(Msh + Order), CancellationToken.None);

        Assert.StartsWith("MSH|^~\\&|IV|QI|RIS|HOSP|", Text(first.Acknowledgement), StringComparison.Ordinal);
        Assert.Contains("\rMSA|AA|C1\r", Text(first.Acknowledgement), StringComparison.Ordinal);
        Assert.Equal((FeedOutcome.Stored, FeedOutcome.Duplicate), (first.Outcome, again.Outcome));
        Assert.Contains("\rMSA|AA|C1\r", Text(again.Acknowledgement), StringComparison.Ordinal);
        Assert.Equal(1, await ws.Store.Feeds.CountStoredAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EnhancedMode_GetsTheCommitAcknowledgement()
    {
        using var ws = new TempWorkspace();
        var handler = Handler(ws.Store.Feeds);

        var accepted = await handler.HandleAsync(Encoding.ASCII.GetBytes(Msh + "|||AL|NE" + Order), CancellationToken.None);
        var refused = await handler.HandleAsync(Encoding.ASCII.GetBytes(Msh.Replace("C1", "C2", StringComparison.Ordinal) + "|||AL|NE\rPID|1||MRN1\r"), CancellationToken.None);

        Assert.Contains("\rMSA|CA|C1\r", Text(accepted.Acknowledgement), StringComparison.Ordinal);
        Assert.Contains("\rMSA|CE|C2|", Text(refused.Acknowledgement), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATenMegabyteObx_IsAnsweredAE_AndOnlyItsStartKept()
    {
        using var ws = new TempWorkspace();
        var handler = Handler(ws.Store.Feeds);
        var huge = Encoding.ASCII.GetBytes(Msh + "\rPID|1||MRN1\rOBR|1|PL1||72195^MRI\rOBX|1|TX|||" + new string('x', 10 * 1024 * 1024) + "\r");

        var handled = await handler.HandleAsync(huge, CancellationToken.None);

        Assert.Equal(Hl7AckCode.Error, handled.Code);
        Assert.Contains("\rMSA|AE|C1|", Text(handled.Acknowledgement), StringComparison.Ordinal);
        Assert.Contains("over the limit of 4,194,304", handled.Problem!.Message, StringComparison.Ordinal);
        var kept = Assert.Single(await ws.Store.Feeds.GetRefusedAsync("C1", CancellationToken.None));
        Assert.Equal(Hl7FeedHandler.KeptBytesOfOversized, kept.Raw.Length);
        Assert.Empty(await ws.Store.Data.GetOrdersAsync(CancellationToken.None));
    }

    [Fact]
    public async Task BinaryJunk_IsAnsweredAE_AndKeptOnceUnderItsHash()
    {
        using var ws = new TempWorkspace();
        var handler = Handler(ws.Store.Feeds);
        var junk = new byte[2048];
        new Random(3).NextBytes(junk);

        var first = await handler.HandleAsync(junk, CancellationToken.None);
        await handler.HandleAsync(junk, CancellationToken.None);

        Assert.Equal(Hl7AckCode.Error, first.Code);
        Assert.Contains("MSA|AE||", Text(first.Acknowledgement), StringComparison.Ordinal);
        Assert.StartsWith("unreadable-", Assert.Single(await ws.Store.Feeds.GetRefusedAsync(null, CancellationToken.None)).ControlId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listener_AnswersAR_WhenTheWorkspaceCannotStore_AndHandlesFramesSplitAcrossReads()
    {
        using var listener = new MllpListener(Handler(new UnavailableStore()), MllpOptions.Default, _ => { });
        using var stop = new CancellationTokenSource();
        var bound = new TaskCompletionSource<IPEndPoint>();
        var running = listener.RunAsync(new IPEndPoint(IPAddress.Loopback, 0), e => bound.SetResult(e), stop.Token);
        using var client = new TcpClient();
        await client.ConnectAsync(await bound.Task);
        var stream = client.GetStream();
        var frame = MllpFrameReader.Frame(Encoding.ASCII.GetBytes(Msh + Order));

        // Junk before the start block is skipped; the frame arrives in three writes, the end block split from its CR.
        await stream.WriteAsync("noise"u8.ToArray());
        await stream.WriteAsync(frame.AsMemory(0, 20));
        await stream.WriteAsync(frame.AsMemory(20, frame.Length - 21));
        await Task.Delay(50);
        await stream.WriteAsync(frame.AsMemory(frame.Length - 1));
        var answer = await new MllpFrameReader(stream, 1 << 20).ReadAsync(CancellationToken.None);

        Assert.Contains("\rMSA|AR|C1|the workspace cannot store the message now; send it again later\r", Encoding.UTF8.GetString(answer!.Value.Bytes.Span), StringComparison.Ordinal);
        Assert.Contains("ERR|||207^Application internal error^HL70357|E", Encoding.UTF8.GetString(answer.Value.Bytes.Span), StringComparison.Ordinal);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task FrameReader_AnOversizedFrame_IsNotHeldWhole()
    {
        var body = new byte[3 * 1024 * 1024];
        Array.Fill(body, (byte)'x');
        using var stream = new MemoryStream(MllpFrameReader.Frame(body));

        var frame = await new MllpFrameReader(stream, 1024 * 1024).ReadAsync(CancellationToken.None);

        Assert.Equal(body.Length, frame!.Value.Oversized);
        Assert.True(frame.Value.Bytes.Length <= (1024 * 1024) + 1);
    }

    /// <summary>A workspace that cannot take a write now (locked, disk full).</summary>
    private sealed class UnavailableStore : IFeedStore
    {
        public Task<FeedOutcome> ApplyAsync(FeedMessage message, CancellationToken cancellationToken) => throw new IOException("disk full");

        public Task RecordRefusedAsync(string sender, string controlId, string messageType, DateTimeOffset receivedAt, string reason, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken) => throw new IOException("disk full");

        public Task<IReadOnlyList<RefusedFeedMessage>> GetRefusedAsync(string? controlId, CancellationToken cancellationToken) => throw new IOException("disk full");

        public Task<long> CountStoredAsync(CancellationToken cancellationToken) => throw new IOException("disk full");
    }
}
