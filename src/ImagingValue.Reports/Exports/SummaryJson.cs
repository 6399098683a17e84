using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
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
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WriteNoDataAsNull } },
    };

    /// <summary>
    /// A window the data does not cover writes its observed figures as null, not left out, so a script reads
    /// "no data" where it would otherwise read a number; every other null is still left out.
    /// </summary>
    private static void WriteNoDataAsNull(JsonTypeInfo info)
    {
        if (info.Type == typeof(FollowUpSummary))
        {
            string[] noData = ["observed", "change_pct", "avoided_exams", "savings"];
            foreach (var property in info.Properties.Where(p => noData.Contains(p.Name, StringComparer.Ordinal)))
            {
                property.ShouldSerialize = (owner, value) => value is not null || !((FollowUpSummary)owner).Covered;
            }
        }
        else if (info.Type == typeof(YearCount))
        {
            foreach (var property in info.Properties.Where(p => p.Name == "included"))
            {
                property.ShouldSerialize = static (_, _) => true;
            }
        }
    }

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
