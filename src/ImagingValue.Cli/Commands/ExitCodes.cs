namespace ImagingValue.Cli.Commands;

/// <summary>Exit codes (contracts section 1).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The run failed: bad data, failed checks.</summary>
    public const int Failed = 1;

    /// <summary>Wrong usage.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
