using System.Globalization;
using ImagingValue.Import.Csv;

namespace ImagingValue.Synthetic;

/// <summary>
/// A large canonical orders.csv for load tests and benchmarks: realistic rows (the paper dataset's orderables,
/// providers and indication phrasings), streamed to disk so any size fits in constant memory.
/// </summary>
public static class LoadTestOrders
{
    public static long Write(string path, long rows, int seed = PaperDataset.DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var random = new Random(seed);
        var procedures = SyntheticCatalog.TargetNonContrast.Concat(SyntheticCatalog.TargetContrast).Concat(SyntheticCatalog.LumbarMri).Concat(SyntheticCatalog.PelvisMri)
            .Concat(SyntheticCatalog.SiJointXr).Concat(SyntheticCatalog.LumbosacralXr)
            .Append(SyntheticCatalog.SiJointMri).Append(SyntheticCatalog.SacrumCt).Append(SyntheticCatalog.SacrumXr).ToList();
        var phrases = IndicationPhraseBank.All;
        var start = new DateTime(2012, 1, 1, 7, 0, 0);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        using var writer = new CsvWriter(path);
        writer.WriteRow(PaperDataset.OrderColumns);
        var fields = new string[PaperDataset.OrderColumns.Count];
        for (long i = 1; i <= rows; i++)
        {
            var procedure = procedures[random.Next(procedures.Count)];
            var provider = SyntheticCatalog.Providers[random.Next(SyntheticCatalog.Providers.Count)];
            var orderedAt = start.AddMinutes(random.Next(0, 60 * 24 * 365 * 7));
            var patient = random.Next(1, (int)Math.Min(int.MaxValue, Math.Max(2, rows / 3)));
            var cancelled = random.Next(20) == 0;
            var birth = new DateOnly(1930, 1, 1).AddDays(patient % 25_000);
            fields[0] = "L" + i.ToString("D9", CultureInfo.InvariantCulture);
            fields[1] = "P" + patient.ToString("D8", CultureInfo.InvariantCulture);
            fields[2] = "A" + i.ToString("D9", CultureInfo.InvariantCulture);
            fields[3] = orderedAt.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
            fields[4] = cancelled ? string.Empty : orderedAt.AddDays(random.Next(0, 21)).AddMinutes(random.Next(0, 600)).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
            fields[5] = procedure.Code;
            fields[6] = procedure.Name;
            fields[7] = phrases[random.Next(phrases.Count)].Text;
            fields[8] = random.Next(4) == 0 ? "M54.50" : string.Empty;
            fields[9] = provider.Name;
            fields[10] = provider.Department;
            fields[11] = patient % 3 == 0 ? "M" : "F";
            fields[12] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            fields[13] = cancelled ? "cancelled" : "completed";
            fields[14] = Core.Storage.SyntheticData.Value;
            writer.WriteRow(fields);
        }

        return rows;
    }
}
