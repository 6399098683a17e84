using System.Text.Json;
using System.Text.Json.Serialization;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Monitoring;

namespace ImagingValue.Reports.Exports;

/// <summary>
/// Writes the JSON files people's scripts read: summary.json exactly as contracts section 3 shapes it, and
/// monitor.json — snake_case keys, numbers not strings; a value with no finite number (an unbounded interval) is written as a JSON string such as "Infinity".
/// </summary>
public static class SummaryJson
{
    private static readonly JsonSerializerOptions _options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(AuditSummary summary) => JsonSerializer.Serialize(summary, _options);

    public static void Write(string path, AuditSummary summary) => WriteFile(path, Serialize(summary));

    /// <summary>monitor.json: the monitoring results with the same conventions.</summary>
    public static void Write(string path, MonitorResult monitor) => WriteFile(path, JsonSerializer.Serialize(monitor, _options));

    private static void WriteFile(string path, string json)
    {
        OutputFolder.EnsureFor(path);
        File.WriteAllText(path, json + "\n");
    }
}
