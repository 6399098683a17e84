namespace ImagingValue.ClinicalText;

/// <summary>Reads the rule files compiled into this assembly (see the csproj's EmbeddedResource).</summary>
internal static class EmbeddedRules
{
    public static string Read(string fileName)
    {
        var name = "ImagingValue.ClinicalText.Rules." + fileName;
        using var stream = typeof(EmbeddedRules).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded rule file '{name}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
