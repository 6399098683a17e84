using System.Security.Cryptography;
using ImagingValue.Core.Storage;

namespace ImagingValue.Import.Hl7;

/// <summary>What became of one message, and the acknowledgement that says so.</summary>
/// <param name="Outcome">Stored or duplicate when accepted; null otherwise.</param>
/// <param name="Skipped">Why an accepted message held nothing for the workspace (an ADT message), or null.</param>
public sealed record Hl7Handled(Hl7AckCode Code, string ControlId, Hl7Problem? Problem, FeedOutcome? Outcome, string? Skipped, byte[] Acknowledgement);

/// <summary>
/// Takes one message from a feed (a file, the MLLP listener, a replay) to the workspace: parse, map, store in one
/// transaction, or keep it refused with its reason. The same path for all three, so a replayed message is treated
/// exactly as the live one would be.
/// </summary>
public sealed class Hl7FeedHandler(IFeedStore store, TimeZoneInfo siteZone, TimeProvider time)
{
    /// <summary>The largest message taken by default: a report with an embedded document fits, a runaway sender does not.</summary>
    public const int DefaultMaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>How much of an oversized message is kept in the error store (enough to see what it was).</summary>
    public const int KeptBytesOfOversized = 64 * 1024;

    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>Refuses a message too large to read, keeping its start; <paramref name="length"/> is its full size.</summary>
    public async Task<Hl7Handled> RefuseOversizedAsync(ReadOnlyMemory<byte> start, long length, CancellationToken cancellationToken)
    {
        var message = HeaderOf(start);
        var problem = new Hl7Problem("MSH", null, $"message of {length:N0} bytes is over the limit of {MaxMessageBytes:N0} (--max-message-bytes)");
        return await RefuseAsync(message, start[..Math.Min(start.Length, KeptBytesOfOversized)], problem, cancellationToken);
    }

    public async Task<Hl7Handled> HandleAsync(ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        if (raw.Length > MaxMessageBytes)
        {
            return await RefuseOversizedAsync(raw, raw.Length, cancellationToken);
        }

        if (!Hl7Message.TryParse(raw.Span, out var message, out var problem))
        {
            return await RefuseAsync(HeaderOf(raw), raw, problem!, cancellationToken);
        }

        var controlId = message!.ControlId;
        if (controlId is null)
        {
            return await RefuseAsync(message, raw, new Hl7Problem("MSH", 10, "no message control id", Hl7Problem.RequiredFieldMissing), cancellationToken);
        }

        if (!Hl7OrderMapper.TryMap(message, siteZone, out var mapping, out problem))
        {
            return await RefuseAsync(message, raw, problem!, cancellationToken);
        }

        var reports = mapping!.Reports.Select(r => (IReadOnlyList<string?>)[r.OrderId, r.Accession, r.Text, r.FinalizedAt]).ToList();
        var feedMessage = new FeedMessage(SenderOf(message), controlId, message.MessageType, time.GetUtcNow(), raw, mapping.Orders, reports);
        var outcome = await store.ApplyAsync(feedMessage, cancellationToken);
        return new Hl7Handled(Hl7AckCode.Accept, controlId, null, outcome, mapping.Skipped, Hl7Acknowledgement.Build(message, Hl7AckCode.Accept, null, controlId, time.GetUtcNow()));
    }

    /// <summary>The answer when the workspace cannot store a message now (AR): nothing is kept, the sender retries.</summary>
    public Hl7Handled Reject(ReadOnlyMemory<byte> raw, string reason)
    {
        var message = HeaderOf(raw);
        var controlId = message?.ControlId ?? "";
        var problem = new Hl7Problem("", null, reason);
        return new Hl7Handled(Hl7AckCode.Reject, controlId, problem, null, null, Hl7Acknowledgement.Build(message, Hl7AckCode.Reject, problem, controlId, time.GetUtcNow()));
    }

    private async Task<Hl7Handled> RefuseAsync(Hl7Message? message, ReadOnlyMemory<byte> raw, Hl7Problem problem, CancellationToken cancellationToken)
    {
        // A message whose header cannot be read has no control id to file it under: its content hash stands in, so
        // the same junk sent twice is kept once.
        var controlId = message?.ControlId ?? "unreadable-" + Convert.ToHexStringLower(SHA256.HashData(raw.Span))[..16];
        var sender = message is null ? "" : SenderOf(message);
        await store.RecordRefusedAsync(sender, controlId, message?.MessageType ?? "", time.GetUtcNow(), problem.ToString(), raw, cancellationToken);
        return new Hl7Handled(Hl7AckCode.Error, controlId, problem, null, null, Hl7Acknowledgement.Build(message, Hl7AckCode.Error, problem, message?.ControlId ?? "", time.GetUtcNow()));
    }

    // What can be read of a message that is refused anyway, to address the acknowledgement; null when nothing can.
    // Only the MSH line is read: the rest may be cut short or be what was wrong.
    private static Hl7Message? HeaderOf(ReadOnlyMemory<byte> raw)
    {
        var end = raw.Span.IndexOfAny((byte)'\r', (byte)'\n');
        return Hl7Message.TryParse(end < 0 ? raw.Span : raw.Span[..end], out var message, out _) ? message : null;
    }

    // MSH-3 and MSH-4, the sending application and facility: control ids are unique per sender, not across senders.
    private static string SenderOf(Hl7Message message) => $"{message.Header.Value(3) ?? ""}|{message.Header.Value(4) ?? ""}";
}
