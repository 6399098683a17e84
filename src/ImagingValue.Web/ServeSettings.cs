using System.ComponentModel.DataAnnotations;
using ImagingValue.Web.Cds;

namespace ImagingValue.Web;

/// <summary>
/// How <c>imaging-value serve</c> runs (contracts §4): plain values only, checked by <see cref="Validate"/> before the host
/// is built. The services the host uses (stores, clock, HTTP) are registered, not set here.
/// </summary>
public sealed class ServeSettings
{
    /// <summary>Where to listen, ';'-separated (<c>--urls</c>). <value>Default <c>http://127.0.0.1:5080</c>.</value></summary>
    [Required]
    [Display(Name = "--urls")]
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>
    /// The workspace folder (<c>--workspace</c>): its stores keep alerts and card outcomes, cards cite its latest audit,
    /// and the review workspace is served. <value>Default none: an in-memory alert log and no review workspace.</value>
    /// </summary>
    public string? Workspace { get; init; }

    /// <summary>
    /// The JSON settings file the host reads its own sections from (<c>Logging</c>, <c>Kestrel</c>, <c>ReviewWorkspace</c>),
    /// below environment variables (<c>serve --config</c>). <value>Default none: <c>appsettings.json</c> in the working
    /// directory when there is one, as ASP.NET Core reads it.</value>
    /// </summary>
    public string? ConfigurationFile { get; init; }

    /// <summary>Log lines as text (the console's default) or one JSON object per line (<c>--log-format</c>, <c>Logging:Format</c>).</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary>
    /// The PKCS#12 (.pfx) file with the certificate and key for the <c>https://</c> addresses of <see cref="Urls"/>
    /// (<c>--https-certificate</c>). <value>Default none: an https address then needs Kestrel's own certificate settings.</value>
    /// </summary>
    [Display(Name = "--https-certificate")]
    public string? HttpsCertificate { get; init; }

    /// <summary>The password of <see cref="HttpsCertificate"/> (<c>Serve__HttpsCertificatePassword</c>; never logged). <value>Default none.</value></summary>
    public string? HttpsCertificatePassword { get; init; }

    /// <summary>
    /// A PKCS#12 file (<c>--key-certificate</c>) whose certificate encrypts the sign-in and antiforgery keys at rest.
    /// <value>Default none: keys stored as made, with one warning at start.</value>
    /// </summary>
    public string? KeyCertificate { get; init; }

    /// <summary>
    /// The password of <see cref="KeyCertificate"/> (<c>Serve__KeyCertificatePassword</c>, or the older
    /// <c>IV_KEY_CERTIFICATE_PASSWORD</c>; never logged). <value>Default none.</value>
    /// </summary>
    public string? KeyCertificatePassword { get; init; }

    /// <summary>The CDS Hooks service's settings.</summary>
    [Required]
    public CdsSettings Cds { get; init; } = new();

    /// <summary>Every problem of these settings as one readable line each; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        problems.AddRange(SettingsValidation.Problems(this));
        problems.AddRange(SettingsValidation.Problems(Cds));
        foreach (var server in Cds.FhirServers)
        {
            if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                problems.Add($"--fhir-server '{server}' is not an https URL (the hook's token is never sent in clear)");
            }
        }

        if (HttpsCertificate is { } certificate && !File.Exists(certificate))
        {
            problems.Add($"--https-certificate {certificate}: no such file");
        }

        if (KeyCertificate is { } keyCertificate && !File.Exists(keyCertificate))
        {
            problems.Add($"--key-certificate {keyCertificate}: no such file");
        }

        if (Cds.PublicUrl is { } publicUrl && PublicUrlProblem(publicUrl) is { } problem)
        {
            problems.Add($"--public-url '{publicUrl.OriginalString}' {problem}");
        }

        if (Cds.Dev)
        {
            // Any address form Kestrel takes (http://*:5080 too) passes unless --dev: that one binds loopback only.
            foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.IsLoopback || uri.Host == "localhost"))
                {
                    problems.Add($"--dev accepts unsigned requests and binds to loopback only: '{url}' is not a loopback URL");
                }
            }
        }

        return problems;
    }

    /// <summary>Why <paramref name="url"/> cannot be the public URL (a token's <c>aud</c> is built from it), or null.</summary>
    private static string? PublicUrlProblem(Uri url) =>
        !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) ? "is not an absolute http or https URL"
        : url.Query.Length > 0 || url.Fragment.Length > 0 ? "has a query or fragment (a token's aud is this URL plus the endpoint's path)"
        : url.UserInfo.Length > 0 ? "has a user name or password"
        : null;
}

/// <summary>How log lines are written.</summary>
public enum LogFormat
{
    /// <summary>The console's text lines.</summary>
    Text,

    /// <summary>One JSON object per line (timestamp, level, category, message, its values), for a log collector.</summary>
    Json,
}

/// <summary>Data-annotation checks as readable lines.</summary>
internal static class SettingsValidation
{
    public static IEnumerable<string> Problems(object settings)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);
        // A setting the command line sets is named as the person typed it ([Display(Name = "--option")]).
        string Name(string member) =>
            settings.GetType().GetProperty(member)?.GetCustomAttributes(typeof(DisplayAttribute), false).OfType<DisplayAttribute>().FirstOrDefault()?.Name
            ?? $"{settings.GetType().Name}.{member}";
        return results.Select(r => $"{string.Join(", ", r.MemberNames.Select(Name))}: {r.ErrorMessage}");
    }
}
