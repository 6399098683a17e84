using ImagingValue.Core.Storage;
using ImagingValue.Import.Hl7;

namespace ImagingValue.Cli.Pipeline;

/// <summary>What an HL7 file import did, message by message.</summary>
public sealed record Hl7ImportOutcome(int Stored, int Duplicates, int Skipped, int Refused)
{
    public bool Clean => Refused == 0;
}

/// <summary>
/// <c>import --hl7</c>: files of archived feed messages, each message taken exactly as the live listener takes it
/// (stored whole or refused whole and kept for <c>hl7 replay</c>).
/// </summary>
internal static class Hl7ImportRunner
{
    public static async Task<Hl7ImportOutcome> RunAsync(Hl7FeedHandler handler, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        int stored = 0, duplicates = 0, skipped = 0, refused = 0;
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
            (stored, duplicates, skipped, refused) = (stored + fileStored, duplicates + fileDuplicates, skipped + fileSkipped, refused + fileRefused);
        }

        return new Hl7ImportOutcome(stored, duplicates, skipped, refused);
    }
}
