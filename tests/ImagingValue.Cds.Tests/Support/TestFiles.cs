using System.Text.Json.Nodes;

namespace ImagingValue.Cds.Tests.Support;

/// <summary>The CDS Hooks requests under TestData/.</summary>
internal static class TestFiles
{
    public const string CardCase = "order-select-card.json";
    public const string BreastCancerHistory = "order-select-history-breast-cancer.json";
    public const string LumbarSelected = "order-select-lumbar.json";
    public const string SignTwoDrafts = "order-sign-two-drafts.json";
    public const string Sandbox = "sandbox-pama-order-select.json";

    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    public static JsonObject ReadJson(string name) => (JsonObject)JsonNode.Parse(Read(name))!;
}
