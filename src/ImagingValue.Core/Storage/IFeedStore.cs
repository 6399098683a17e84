using ImagingValue.Core.Data;

namespace ImagingValue.Core.Storage;

/// <summary>
/// One message of an order and result feed (HL7 v2), as the workspace keeps it: where it came from, its bytes, and
/// the orders and reports it gives.
/// </summary>
/// <param name="Sender">The sending application and facility (MSH-3 and MSH-4), which with the control id names the message.</param>
/// <param name="ControlId">MSH-10.</param>
/// <param name="MessageType">MSH-9, e.g. <c>ORM^O01</c>.</param>
/// <param name="Reports">Report rows in <see cref="CanonicalTable.Reports"/> column order.</param>
public sealed record FeedMessage(
    string Sender,
    string ControlId,
    string MessageType,
    DateTimeOffset ReceivedAt,
    ReadOnlyMemory<byte> Raw,
    IReadOnlyList<OrderUpdate> Orders,
    IReadOnlyList<IReadOnlyList<string?>> Reports);

/// <summary>A message that was refused (its content is wrong), kept with the reason and its bytes for a replay.</summary>
public sealed record RefusedFeedMessage(long Id, string Sender, string ControlId, string MessageType, DateTimeOffset ReceivedAt, string Reason, ReadOnlyMemory<byte> Raw);

/// <summary>What applying a message did.</summary>
public enum FeedOutcome
{
    /// <summary>Its orders and reports are stored (or it held none: it is recorded all the same).</summary>
    Stored,

    /// <summary>The same sender's message with this control id was already stored: nothing changed.</summary>
    Duplicate,
}

/// <summary>Messages of a feed: each applied in one transaction, duplicates recognised, refused ones kept for replay.</summary>
public interface IFeedStore
{
    /// <summary>
    /// Applies <paramref name="message"/> in one transaction: each order update merged into the stored order
    /// (<see cref="OrderUpdate.ApplyTo"/>), reports upserted, the message recorded; any refused copy of it is removed.
    /// Returns <see cref="FeedOutcome.Duplicate"/> without changing anything when it was stored before.
    /// </summary>
    Task<FeedOutcome> ApplyAsync(FeedMessage message, CancellationToken cancellationToken);

    /// <summary>Keeps a refused message (replacing an earlier refusal of the same sender and control id).</summary>
    Task RecordRefusedAsync(string sender, string controlId, string messageType, DateTimeOffset receivedAt, string reason, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken);

    /// <summary>The refused messages, oldest first; only those with <paramref name="controlId"/> when given.</summary>
    Task<IReadOnlyList<RefusedFeedMessage>> GetRefusedAsync(string? controlId, CancellationToken cancellationToken);

    /// <summary>How many messages are stored, for status and tests.</summary>
    Task<long> CountStoredAsync(CancellationToken cancellationToken);
}
