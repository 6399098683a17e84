using System.Reflection;
using Microsoft.Extensions.Logging;

namespace ImagingValue.Web.Tests.Security;

/// <summary>
/// Every log line the product writes goes through a <c>[LoggerMessage]</c> method; values in them come from requests,
/// uploads and stored names, so their parameters are <c>LogValue</c> (cleaned and bounded), never raw strings.
/// </summary>
public sealed class LogValueRuleTests
{
    [Fact]
    public void LoggerMessageMethods_TakeNoRawStrings()
    {
        // The web host and every product assembly it or the CLI loads (Cds, Storage, Import, Reports, the CLI itself).
        Assembly[] assemblies = [typeof(ImagingValueHost).Assembly, typeof(ImagingValue.Cds.Wire.FeedbackReader).Assembly, Assembly.Load("imaging-value")];
        var methods = assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<LoggerMessageAttribute>() is not null)
            .ToList();

        var raw = methods
            .SelectMany(m => m.GetParameters().Where(p => p.ParameterType == typeof(string)).Select(p => $"{m.DeclaringType!.FullName}.{m.Name}({p.Name})"))
            .ToList();

        Assert.NotEmpty(methods);
        Assert.True(raw.Count == 0, "log parameters to make LogValue: " + string.Join(", ", raw));
    }
}
