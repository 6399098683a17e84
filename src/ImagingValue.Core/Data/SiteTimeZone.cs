using ImagingValue.Core.Storage;

namespace ImagingValue.Core.Data;

/// <summary>
/// The site's time zone: canonical times are local times there, so an instant with an offset (FHIR, HL7 with
/// <c>+hhmm</c>) is converted to it on the way in. Set once with <c>init --time-zone</c>; UTC when never set.
/// </summary>
public static class SiteTimeZone
{
    /// <summary>The workspace setting's name.</summary>
    public const string SettingName = "time_zone";

    /// <summary>Finds an IANA zone by name; an unknown name is an error, never a silent UTC.</summary>
    public static bool TryFind(string name, out TimeZoneInfo zone, out string? error)
    {
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(name.Trim());
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            error = $"'{name}' is not a time zone this machine knows (an IANA name such as America/New_York or Europe/Berlin)";
            return false;
        }
    }

    /// <summary>The workspace's zone (UTC when none was set).</summary>
    /// <exception cref="FormatException">The stored name is not a zone this machine knows.</exception>
    public static async Task<TimeZoneInfo> OfAsync(IWorkspaceSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var name = await settings.GetAsync(SettingName, cancellationToken);
        if (name is null)
        {
            return TimeZoneInfo.Utc;
        }

        return TryFind(name, out var zone, out var error) ? zone : throw new FormatException($"workspace time zone: {error}");
    }
}
