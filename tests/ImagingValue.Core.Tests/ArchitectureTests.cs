using System.Xml.Linq;
using ImagingValue.Core.Data;

namespace ImagingValue.Core.Tests;

public class ArchitectureTests
{
    /// <summary>
    /// Which src project may reference which other src projects (ProjectReference in its .csproj), one line per project,
    /// names without the "ImagingValue." prefix. A new project adds its line; a new reference is added here on purpose.
    /// </summary>
    private static readonly Dictionary<string, string[]> _mayReference = new(StringComparer.Ordinal)
    {
        ["ClinicalText"] = [],
        ["Core"] = ["ClinicalText"],
        ["Import"] = ["Core"],
        ["Protocols"] = ["Core"],
        ["Storage"] = ["Core"],
        ["Reports"] = ["Core", "Import"],
        ["Cds"] = ["Core", "Protocols"],
        ["Web"] = ["Cds", "Import", "Reports", "Storage"],
        ["Synthetic"] = ["Import"],
        ["Cli"] = ["Core", "Import", "Protocols", "Storage", "Reports", "Web", "Synthetic"],
    };

    /// <summary>The only src project that may reach the synthetic generator, directly or through another project.</summary>
    private const string SyntheticUser = "Cli";

    [Fact]
    public void Core_ReferencesNoInfrastructure()
    {
        string[] forbidden = ["Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Microsoft.Data.Sqlite", "Npgsql", "Hl7.Fhir", "YamlDotNet", "ScottPlot", "Sylvan", "System.CommandLine", "DocumentFormat.OpenXml"];
        var references = typeof(ImagingOrder).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, name => forbidden.Any(f => name.StartsWith(f, StringComparison.Ordinal)));
    }

    [Fact]
    public void SrcProjects_ProjectReferences_AreThoseTheTableAllows()
    {
        var actual = SrcProjectReferences();
        var problems = new List<string>();
        foreach (var (project, references) in actual)
        {
            if (!_mayReference.TryGetValue(project, out var allowed))
            {
                problems.Add($"ImagingValue.{project} is not in the table of ArchitectureTests: add its line");
                continue;
            }

            problems.AddRange(references.Except(allowed, StringComparer.Ordinal)
                .Select(r => $"ImagingValue.{project} references ImagingValue.{r}, which the table does not allow"));
        }

        problems.AddRange(_mayReference.Keys.Except(actual.Keys, StringComparer.Ordinal)
            .Select(p => $"ImagingValue.{p} is in the table but there is no src/ImagingValue.{p}/ImagingValue.{p}.csproj"));

        Assert.True(actual.Count > 0, "no src/*/*.csproj found under " + RepositoryRoot());
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Synthetic_IsReachedOnlyByTheCli()
    {
        var references = SrcProjectReferences();
        var problems = new List<string>();
        foreach (var project in references.Keys.Where(p => p is not "Synthetic" and not SyntheticUser))
        {
            if (PathTo(references, project, "Synthetic") is { } path)
            {
                problems.Add($"ImagingValue.{project} reaches ImagingValue.Synthetic ({string.Join(" -> ", path)}): only ImagingValue.{SyntheticUser} and tests may");
            }
        }

        Assert.Contains("Synthetic", references.Keys);
        Assert.NotNull(PathTo(references, SyntheticUser, "Synthetic"));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>Each src project (name without "ImagingValue.") with the src projects its .csproj references.</summary>
    private static Dictionary<string, List<string>> SrcProjectReferences()
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var csproj in Directory.GetFiles(Path.Combine(RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories))
        {
            result[ShortName(csproj)] = XDocument.Load(csproj).Descendants("ProjectReference")
                .Select(r => ShortName(r.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToList();
        }

        return result;
    }

    /// <summary>A chain of references from <paramref name="from"/> to <paramref name="to"/>, or null (breadth first, so the shortest).</summary>
    private static List<string>? PathTo(Dictionary<string, List<string>> references, string from, string to)
    {
        var cameFrom = new Dictionary<string, string?>(StringComparer.Ordinal) { [from] = null };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var project))
        {
            if (project == to)
            {
                var path = new List<string>();
                for (string? p = project; p is not null; p = cameFrom[p])
                {
                    path.Insert(0, "ImagingValue." + p);
                }

                return path;
            }

            foreach (var next in references.GetValueOrDefault(project) ?? [])
            {
                if (cameFrom.TryAdd(next, project))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    private static string ShortName(string csprojPath)
    {
        var name = Path.GetFileNameWithoutExtension(csprojPath);
        return name.StartsWith("ImagingValue.", StringComparison.Ordinal) ? name["ImagingValue.".Length..] : name;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ImagingValue.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (ImagingValue.slnx) not found above " + AppContext.BaseDirectory);
    }
}
