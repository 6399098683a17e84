using System.Globalization;
using System.Text;

namespace ImagingValue.Import.Hl7;

/// <summary>The answer to a message: accepted, refused for its content (error), or refused for now (reject).</summary>
public enum Hl7AckCode
{
    /// <summary>Stored (AA; CA in enhanced mode).</summary>
    Accept,

    /// <summary>Content wrong, kept in the error store (AE; CE).</summary>
    Error,

    /// <summary>Could not be stored now: send again later (AR; CR).</summary>
    Reject,
}

/// <summary>
/// Builds the ACK for a message: MSH addressed back to the sender, MSA echoing MSH-10, and for an error an ERR segment
/// naming the segment and field. Original mode answers AA/AE/AR; a message asking for enhanced mode (MSH-15 or
/// MSH-16 given) gets the commit acknowledgement CA/CE/CR.
/// </summary>
public static class Hl7Acknowledgement
{
    public static byte[] Build(Hl7Message? message, Hl7AckCode code, Hl7Problem? problem, string controlId, DateTimeOffset now)
    {
        var d = Hl7Delimiters.Standard;
        var header = message?.Header;
        var enhanced = header?.Value(15) is not null || header?.Value(16) is not null;
        var codeText = (code, enhanced) switch
        {
            (Hl7AckCode.Accept, false) => "AA",
            (Hl7AckCode.Error, false) => "AE",
            (Hl7AckCode.Reject, false) => "AR",
            (Hl7AckCode.Accept, true) => "CA",
            (Hl7AckCode.Error, true) => "CE",
            _ => "CR",
        };
        string F(int field) => Hl7Escapes.Escape(header?.Value(field) ?? "", d);
        var trigger = header?.Value(9, 2) is { } t ? $"^{Hl7Escapes.Escape(t, d)}" : "";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"MSH|^~\\&|{F(5)}|{F(6)}|{F(3)}|{F(4)}|{now.UtcDateTime:yyyyMMddHHmmss}+0000||ACK{trigger}^ACK|{Hl7Escapes.Escape(controlId, d)}-ACK|{F(11)}|{F(12)}\r");
        text.Append(CultureInfo.InvariantCulture, $"MSA|{codeText}|{Hl7Escapes.Escape(controlId, d)}");
        if (problem is not null)
        {
            var reason = Hl7Escapes.Escape(Shorten(problem.ToString()), d);
            text.Append(CultureInfo.InvariantCulture, $"|{reason}\r");
            // ERR-2 error location (segment^sequence^field), ERR-3 the HL7 error code (table 0357), ERR-4 severity,
            // ERR-8 the words for a person.
            var errorCode = code == Hl7AckCode.Reject ? "207^Application internal error^HL70357" : problem.Code switch
            {
                Hl7Problem.SegmentSequenceError => "100^Segment sequence error^HL70357",
                Hl7Problem.RequiredFieldMissing => "101^Required field missing^HL70357",
                _ => "102^Data type error^HL70357",
            };
            var location = problem.Segment.Length == 0 ? "" : $"{Hl7Escapes.Escape(problem.Segment, d)}^1{(problem.Field is { } f ? $"^{f}" : "")}";
            text.Append(CultureInfo.InvariantCulture, $"ERR||{location}|{errorCode}|E||||{reason}");
        }

        text.Append('\r');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
