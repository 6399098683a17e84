using System.Text.Json;
using System.Text.Json.Serialization;
using ImagingValue.Core.Analytics;

namespace ImagingValue.Reports.Json;

/// <summary>Writes summary.json exactly as contracts section 3 shapes it (snake_case keys, numbers not strings).</summary>
public static class SummaryJson
{
    private static readonly JsonSerializerOptions _options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(AuditSummary summary) => JsonSerializer.Serialize(summary, _options);

    public static void Write(string path, AuditSummary summary)
    {
        OutputFolder.EnsureFor(path);

        File.WriteAllText(path, Serialize(summary) + "\n");
    }
}
