using ImagingValue.Core.Data;

namespace ImagingValue.Core.Tests;

public class ArchitectureTests
{
    [Fact]
    public void Core_ReferencesNoInfrastructure()
    {
        string[] forbidden = ["Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Microsoft.Data.Sqlite", "Npgsql", "Hl7.Fhir", "YamlDotNet", "ScottPlot", "Sylvan", "System.CommandLine", "DocumentFormat.OpenXml"];
        var references = typeof(ImagingOrder).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, name => forbidden.Any(f => name.StartsWith(f, StringComparison.Ordinal)));
    }
}
