using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ImagingValue.Cli.Commands;

/// <summary>
/// The log lines of a command that writes its own (listen), as text or as one JSON object per line with the fields of
/// ASP.NET Core's JSON console (Timestamp, EventId, LogLevel, Category, Message), so both processes of a site read alike.
/// The lines are the ones the command writes as text: no patient text is added.
/// </summary>
internal static class LogLines
{
    /// <summary>Writes each line to standard error, as it is or as a JSON object.</summary>
    public static Action<string> Writer(bool json, string category, TimeProvider time) =>
        json ? line => Console.Error.WriteLine(Json(time.GetUtcNow(), category, line)) : line => Console.Error.WriteLine(line);

    /// <summary>One line as a JSON object (no line breaks inside: the writer escapes them).</summary>
    public static string Json(DateTimeOffset at, string category, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("Timestamp", at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            writer.WriteNumber("EventId", 0);
            writer.WriteString("LogLevel", "Information");
            writer.WriteString("Category", category);
            writer.WriteString("Message", message);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
