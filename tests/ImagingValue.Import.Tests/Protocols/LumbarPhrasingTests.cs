using System.Globalization;
using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using ImagingValue.Protocols;

namespace ImagingValue.Import.Tests.Protocols;

/// <summary>
/// The built-in lumbar-imaging-lbp protocol on labelled order phrasings (TestData/lumbar-imaging-lbp-phrasings.tsv):
/// each red flag in several wordings, and the traps (negation, other people, history versus now, durations around 6
/// weeks, ages around 70, conditions recorded after the order, other spine regions).
/// </summary>
public class LumbarPhrasingTests
{
    private static readonly DateTime OrderedAt = new(2024, 6, 15, 10, 0, 0);
    private static readonly Screener Screener = ProtocolLoader.Load("lumbar-imaging-lbp").Screener;

    public static TheoryData<int, string, string, string, string, string> Phrasings()
    {
        var data = new TheoryData<int, string, string, string, string, string>();
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "lumbar-imaging-lbp-phrasings.tsv"));
        foreach (var (line, number) in lines.Select((l, i) => (l, i + 1)).Where(x => x.l.Length > 0 && !x.l.StartsWith('#')).Skip(1))
        {
            var cells = line.Split('\t');
            data.Add(number, cells[0], cells[1], cells[2], cells[3], cells[4]);
        }

        return data;
    }

    [Fact]
    public void Phrasings_AtLeast150_AndEveryRedFlagAndTrapHasSome()
    {
        var rows = Phrasings().Select(r => (string)r[1]).ToList();
        Assert.True(rows.Count >= 150, $"{rows.Count} phrasings");
        foreach (var flag in ProtocolLoader.Load("lumbar-imaging-lbp").Protocol.RedFlags)
        {
            Assert.True(rows.Count(r => r == flag.Id) >= 4, flag.Id);
        }

        Assert.True(rows.Count(r => r == "included") >= 50);
        Assert.True(rows.Count(r => r == "not_target") >= 10);
    }

    [Theory]
    [MemberData(nameof(Phrasings))]
    public void Phrasing_GetsItsLabel(int line, string expect, string age, string condition, string procedure, string text)
    {
        var born = age.Length > 0 ? DateOnly.FromDateTime(OrderedAt).AddYears(-int.Parse(age, CultureInfo.InvariantCulture)) : (DateOnly?)null;
        var name = procedure.Length > 0 ? procedure : "MRI LUMBAR SPINE WO CONTRAST";
        var order = new ImagingOrder("O1", "P1", null, OrderedAt, OrderedAt, null, name, text, [], null, null, null, born, OrderStatus.Completed);
        PatientCondition[] conditions = [];
        if (condition.Length > 0)
        {
            var parts = condition.Split('@');
            conditions = [new PatientCondition("P1", parts[0], "ICD-10-CM", null, DateOnly.Parse(parts[1], CultureInfo.InvariantCulture), null, "active", null)];
        }

        var decision = Screener.Screen(order, conditions);
        var got = decision.Decision switch
        {
            Decision.Included => "included",
            Decision.NotTarget => "not_target",
            _ => decision.Reason!,
        };
        Assert.True(expect == got, $"line {line} \"{text}\": expected {expect}, got {got}");
    }
}
