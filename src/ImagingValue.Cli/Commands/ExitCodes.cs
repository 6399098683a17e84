namespace ImagingValue.Cli.Commands;

/// <summary>Exit codes (contracts section 1).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The run failed: bad data, failed checks.</summary>
    public const int Failed = 1;

    /// <summary>Wrong usage.</summary>
    public const int Usage = 2;
}
