using ImagingValue.Core.Storage;
using ImagingValue.Import.Hl7;

namespace ImagingValue.Cli.Pipeline;

/// <summary>
/// <c>import --hl7</c>: files of archived feed messages, each message taken exactly as the live listener takes it
/// (stored whole or refused whole and kept for <c>hl7 replay</c>).
/// </summary>
internal static class Hl7ImportRunner
{
    /// <returns>Whether every message was stored (none refused).</returns>
    public static async Task<bool> RunAsync(Hl7FeedHandler handler, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var clean = true;
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
            int fileStored = 0, fileDuplicates = 0, fileSkipped = 0, fileRefused = 0;
            foreach (var raw in Hl7Framing.Split(bytes))
            {
                var handled = await handler.HandleAsync(raw.Bytes, cancellationToken);
                switch (handled)
                {
                    case { Code: not Hl7AckCode.Accept }:
                        fileRefused++;
                        Console.Error.WriteLine($"{file}:{raw.Line}: {handled.ControlId}: {handled.Problem}");
                        break;
                    case { Outcome: FeedOutcome.Duplicate }:
                        fileDuplicates++;
                        break;
                    case { Skipped: not null }:
                        fileSkipped++;
                        break;
                    default:
                        fileStored++;
                        break;
                }
            }

            Console.Error.WriteLine(
                $"{file}: {fileStored} stored, {fileDuplicates} already stored, {fileSkipped} without orders or results, {fileRefused} refused" +
                (fileRefused > 0 ? " (kept: hl7 errors; fix and run hl7 replay)" : ""));
            clean &= fileRefused == 0;
        }

        return clean;
    }
}
