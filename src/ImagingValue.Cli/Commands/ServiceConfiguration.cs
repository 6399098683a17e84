using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using ImagingValue.Web.Review;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace ImagingValue.Cli.Commands;

/// <summary>
/// The settings of the long-running commands (<c>serve</c>, <c>listen</c>) from three places, ASP.NET Core's usual
/// order: a JSON file (<c>appsettings.json</c> in the working directory, or <c>--config FILE</c>), overridden by
/// environment variables (<c>Serve__Urls</c>: section and key joined by two underscores), overridden by the command
/// line. Keys are those of <c>docs/deployment.md</c>. A key in our own sections that no option reads, or a value of the
/// wrong type, fails at start with the key and where it came from: a misspelt setting would otherwise be silently
/// ignored and its default used.
/// </summary>
internal sealed partial class ServiceConfiguration
{
    /// <summary>The section <c>Logging:Format</c> lives in (shared with ASP.NET Core's own logging settings).</summary>
    public const string LoggingFormatKey = "Logging:Format";

    // Our own sections, every key they may hold. ReviewWorkspace is bound by the review pages (ReviewWorkspaceOptions).
    private static readonly string[] OwnSections = ["Serve", "Listen", ReviewWorkspaceOptions.Section];

    private readonly IConfigurationRoot _root;
    private readonly IReadOnlyList<string> _sources;
    private readonly ParseResult _parse;
    private readonly string _section;

    private ServiceConfiguration(IConfigurationRoot root, IReadOnlyList<string> sources, ParseResult parse, string section, string? file)
    {
        _root = root;
        _sources = sources;
        _parse = parse;
        _section = section;
        File = file;
    }

    /// <summary>The JSON settings file read (full path), or null when there was none.</summary>
    public string? File { get; }

    /// <summary>The configuration (file then environment), for the host's own sections (Logging, Kestrel, ReviewWorkspace).</summary>
    public IConfiguration Root => _root;

    /// <summary>The <c>--config FILE</c> option every long-running command takes.</summary>
    public static Option<string?> ConfigOption() => new("--config")
    {
        Description = "A JSON settings file (default: appsettings.json in the working directory, when there is one); environment variables override it, options override both",
    };

    /// <summary>The <c>--log-format</c> option (<c>Logging:Format</c>).</summary>
    public static Option<string?> LogFormatOption() => new("--log-format")
    {
        Description = "text (default) or json: one JSON object per line",
    };

    /// <summary>
    /// Reads the file and the environment for the command whose settings are in <paramref name="section"/>
    /// (<c>Serve</c> or <c>Listen</c>) and checks every key of our own sections.
    /// </summary>
    /// <param name="environment">The environment variables; null for the process's own.</param>
    /// <exception cref="FormatException">The file is missing or not JSON, or a key is unknown; the message names it.</exception>
    public static ServiceConfiguration Load(ParseResult parse, string section, Option<string?> config, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var given = parse.GetValue(config);
        var file = given is not null ? Path.GetFullPath(given) : Path.GetFullPath("appsettings.json");
        if (given is not null && !System.IO.File.Exists(file))
        {
            throw new FormatException($"--config {given}: no such file");
        }

        var builder = new ConfigurationBuilder();
        var sources = new List<string>();
        var hasFile = System.IO.File.Exists(file);
        if (hasFile)
        {
            builder.AddJsonFile(file, optional: false, reloadOnChange: false);
            sources.Add(file);
        }

        if (environment is null)
        {
            builder.AddEnvironmentVariables();
        }
        else
        {
            // Same key mapping as the environment provider: '__' separates sections.
            builder.AddInMemoryCollection(environment.Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)));
        }

        sources.Add("environment variable");
        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (InvalidDataException ex)
        {
            // The JSON reader's own message names the line and position.
            throw new FormatException($"{file}: not a valid settings file: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        var configuration = new ServiceConfiguration(root, sources, parse, section, hasFile ? file : null);
        configuration.CheckKeys();
        return configuration;
    }

    /// <summary>
    /// The value of <paramref name="option"/>: from the command line when given there, else <paramref name="key"/> of
    /// this command's section, else the option's default.
    /// </summary>
    /// <exception cref="FormatException">The configured value is not of the option's type.</exception>
    public T? Get<T>(Option<T> option, string key) => Resolve(option, $"{_section}:{key}");

    /// <summary>As <see cref="Get{T}(Option{T}, string)"/> with a key outside this command's section (<c>Logging:Format</c>).</summary>
    public T? GetAt<T>(Option<T> option, string fullKey) => Resolve(option, fullKey);

    /// <summary>
    /// The configured list <c>Section:Key:0</c>, <c>:1</c>… of objects with <paramref name="fields"/>, each as the
    /// fields' values in order (a missing field fails with its key).
    /// </summary>
    public IReadOnlyList<string[]> GetObjects(string key, params string[] fields)
    {
        var list = new List<string[]>();
        foreach (var item in Children($"{_section}:{key}"))
        {
            list.Add(fields.Select(f => item[f] ?? throw new FormatException($"{item.Path}:{f} is missing ({Source(item.Path)}); every {key} entry needs {string.Join(" and ", fields)}")).ToArray());
        }

        return list;
    }

    /// <summary>Whether log lines are JSON: <c>--log-format</c>, else <c>Logging:Format</c>; text unless told.</summary>
    /// <exception cref="FormatException">The option is neither text nor json.</exception>
    public bool JsonLogs(Option<string?> logFormat) => GetAt(logFormat, LoggingFormatKey) switch
    {
        null or "text" => false,
        "json" => true,
        var other => throw new FormatException($"--log-format '{other}': must be text or json"),
    };

    /// <summary>Whether the command line gave <paramref name="option"/> (so it wins over any configured value).</summary>
    public bool OnCommandLine(Option option) => _parse.GetResult(option) is { Implicit: false };

    private T? Resolve<T>(Option<T> option, string key)
    {
        if (OnCommandLine(option))
        {
            return _parse.GetValue(option);
        }

        if (typeof(T) == typeof(string[]))
        {
            var items = Children(key).Select(c => c.Value ?? throw new FormatException($"{c.Path} must be a plain value ({Source(c.Path)})")).ToArray();
            if (items.Length == 0 && _root[key] is { } single)
            {
                throw new FormatException($"{key} = '{single}' ({Source(key)}): must be a list ({key}:0, {key}:1, …; in JSON an array)");
            }

            return items.Length > 0 ? (T)(object)items : _parse.GetValue(option);
        }

        if (_root[key] is not { } text)
        {
            return _parse.GetValue(option);
        }

        object? value = typeof(T) switch
        {
            var t when t == typeof(string) => text,
            var t when t == typeof(int) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null,
            var t when t == typeof(long) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null,
            var t when t == typeof(bool) => bool.TryParse(text, out var b) ? b : null,
            _ => throw new NotSupportedException($"a setting of type {typeof(T).Name}"),
        };
        return value is T typed
            ? typed
            : throw new FormatException($"{key} = '{text}' ({Source(key)}): not {(typeof(T) == typeof(bool) ? "true or false" : "a whole number")}");
    }

    private IEnumerable<IConfigurationSection> Children(string key) =>
        _root.GetSection(key).GetChildren()
            .OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue);

    /// <summary>Every key of our own sections must be one an option reads.</summary>
    private void CheckKeys()
    {
        foreach (var (key, _) in _root.AsEnumerable())
        {
            var section = key.Split(':')[0];
            if (OwnSections.Contains(section, StringComparer.OrdinalIgnoreCase) && _root[key] is not null && !KnownKey().IsMatch(key))
            {
                throw new FormatException($"unknown setting {key} ({Source(key)}); the settings are listed in docs/deployment.md");
            }

            // The review pages bind their section themselves, where a wrong type would end in a stack trace.
            if (WholeNumberKey().IsMatch(key) && !int.TryParse(_root[key], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                throw new FormatException($"{key} = '{_root[key]}' ({Source(key)}): not a whole number");
            }
        }

        if (_root[LoggingFormatKey] is { } format && format is not ("text" or "json"))
        {
            throw new FormatException($"{LoggingFormatKey} = '{format}' ({Source(LoggingFormatKey)}): must be text or json");
        }
    }

    /// <summary>Where <paramref name="key"/>'s value comes from: the file, or the environment variable's name.</summary>
    private string Source(string key)
    {
        for (var i = _root.Providers.Count() - 1; i >= 0; i--)
        {
            var provider = _root.Providers.ElementAt(i);
            if (provider.TryGet(key, out _))
            {
                return provider is JsonConfigurationProvider ? $"in {_sources[i]}" : $"environment variable {key.Replace(":", "__", StringComparison.Ordinal)}";
            }
        }

        return "not set";
    }

    // The keys docs/deployment.md lists; lists are Key:N, issuers Key:N:Field (an empty JSON list is the bare key with
    // an empty value). Configuration keys are case-insensitive.
    [GeneratedRegex("""
        ^(Serve:(Workspace|Urls|Dev|CompatExtensionSystemActions|PublicUrl|DeadlineMs|MaxRequestBytes|MaxResponseBytes|HttpsCertificate|HttpsCertificatePassword|KeyCertificate|KeyCertificatePassword)
        |Serve:(FhirServers|Protocols|Issuers)
        |Serve:(FhirServers|Protocols):\d+
        |Serve:Issuers:\d+:(Issuer|JwksFile)
        |Listen:(Workspace|Mllp|MaxMessageBytes|IdleTimeoutSeconds)
        |ReviewWorkspace:(MaxFailedSignIns|LockoutMinutes|Protocol|PageSize))$
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex KnownKey();

    [GeneratedRegex("^ReviewWorkspace:(MaxFailedSignIns|LockoutMinutes|PageSize)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WholeNumberKey();
}
