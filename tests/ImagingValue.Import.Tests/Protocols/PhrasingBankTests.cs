using System.Globalization;
using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using ImagingValue.Protocols;

namespace ImagingValue.Import.Tests.Protocols;

/// <summary>
/// The built-in protocols on labelled order phrasings (TestData/&lt;protocol id&gt;-phrasings.tsv): each red flag in several
/// wordings, and the traps. lumbar-imaging-lbp: negation, other people, history versus now, durations around 6 weeks,
/// ages around 70, conditions recorded after the order, other spine regions. head-imaging-headache: negation, relatives'
/// histories, remote versus recent trauma, ages 49/50/51 for a new headache, a patient's worry, conditions recorded
/// after the order, sinus/orbit/neck exams and angiography.
/// The held-out banks (TestData/&lt;protocol id&gt;-heldout-phrasings.tsv) were written by someone who had not read the
/// vocabulary or the banks above, the way orders are typed in an EHR (shorthand, capitals, run-on text), and labelled
/// from the guideline, not from the code: they check the vocabulary on wordings its authors did not think of. Each
/// later round of held-out phrasings is a bank of its own (TestData/&lt;protocol id&gt;-heldout&lt;N&gt;-phrasings.tsv), so
/// that a failure names the round and its author's header says how it was written.
/// </summary>
public class PhrasingBankTests
{
    private static readonly DateTime OrderedAt = new(2024, 6, 15, 10, 0, 0);

    // The exam an order is for when its row names none.
    private static readonly Dictionary<string, string> DefaultProcedure = new(StringComparer.Ordinal)
    {
        ["lumbar-imaging-lbp"] = "MRI LUMBAR SPINE WO CONTRAST",
        ["head-imaging-headache"] = "MRI BRAIN WO CONTRAST",
    };

    private static readonly Dictionary<string, Screener> Screeners = DefaultProcedure.Keys.ToDictionary(id => id, id => ProtocolLoader.Load(id).Screener, StringComparer.Ordinal);

    public static TheoryData<string> Protocols() => [.. DefaultProcedure.Keys];

    public static TheoryData<string, int, string, string, string, string, string> Phrasings() => Bank(OwnBank);

    public static TheoryData<string, int, string, string, string, string, string> HeldOutPhrasings()
    {
        var data = new TheoryData<string, int, string, string, string, string, string>();
        foreach (var (protocol, bank) in HeldOutBanks())
        {
            foreach (var (number, cells) in Rows(protocol, bank))
            {
                // The bank is named with the line so that a failure says which round's phrasing it is.
                data.Add(protocol + bank, number, cells[0], cells[1], cells[2], cells[3], cells[4]);
            }
        }

        return data;
    }

    public static TheoryData<string, string> HeldOutBankFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var (protocol, bank) in HeldOutBanks())
        {
            data.Add(protocol, bank);
        }

        return data;
    }

    private const string OwnBank = "-phrasings.tsv";

    // Every round of held-out phrasings of every protocol: <protocol id>-heldout[N]-phrasings.tsv.
    private static IEnumerable<(string Protocol, string Bank)> HeldOutBanks() =>
        from protocol in DefaultProcedure.Keys
        from path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData"), protocol + "-heldout*-phrasings.tsv").Order(StringComparer.Ordinal)
        select (protocol, Path.GetFileName(path)[protocol.Length..]);

    private static TheoryData<string, int, string, string, string, string, string> Bank(string bank)
    {
        var data = new TheoryData<string, int, string, string, string, string, string>();
        foreach (var protocol in DefaultProcedure.Keys)
        {
            foreach (var (number, cells) in Rows(protocol, bank))
            {
                data.Add(protocol, number, cells[0], cells[1], cells[2], cells[3], cells[4]);
            }
        }

        return data;
    }

    private static IEnumerable<(int Number, string[] Cells)> Rows(string protocol, string bank = OwnBank)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", protocol + bank));
        return lines.Select((l, i) => (Line: l, Number: i + 1)).Where(x => x.Line.Length > 0 && !x.Line.StartsWith('#')).Skip(1)
            .Select(x => (x.Number, x.Line.Split('\t')));
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Phrasings_AtLeast150_AndEveryRedFlagAndTrapHasSome(string protocol)
    {
        var rows = Rows(protocol).Select(r => r.Cells[0]).ToList();
        Assert.True(rows.Count >= 150, $"{rows.Count} phrasings");
        foreach (var flag in ProtocolLoader.Load(protocol).Protocol.RedFlags)
        {
            Assert.True(rows.Count(r => r == flag.Id) >= 4, flag.Id);
        }

        Assert.True(rows.Count(r => r == "included") >= 50);
        Assert.True(rows.Count(r => r == "not_target") >= 10);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void HeldOutPhrasings_EveryProtocolHasABank(string protocol) =>
        Assert.Contains(HeldOutBanks(), b => b.Protocol == protocol);

    [Theory]
    [MemberData(nameof(HeldOutBankFiles))]
    public void HeldOutPhrasings_AtLeast100_AndEveryRedFlagHasSome(string protocol, string bank)
    {
        var rows = Rows(protocol, bank).Select(r => r.Cells[0]).ToList();
        Assert.True(rows.Count >= 100, $"{rows.Count} held-out phrasings");
        foreach (var flag in ProtocolLoader.Load(protocol).Protocol.RedFlags)
        {
            Assert.True(rows.Count(r => r == flag.Id) >= 4, flag.Id);
        }

        Assert.True(rows.Count(r => r == "included") >= 40);
    }

    [Theory]
    [MemberData(nameof(HeldOutPhrasings))]
    public void HeldOutPhrasing_GetsItsLabel(string bankFile, int line, string expect, string age, string condition, string procedure, string text) =>
        Phrasing_GetsItsLabel(DefaultProcedure.Keys.Single(p => bankFile.StartsWith(p + "-heldout", StringComparison.Ordinal)), line, expect, age, condition, procedure, text);

    [Theory]
    [MemberData(nameof(Phrasings))]
    public void Phrasing_GetsItsLabel(string protocol, int line, string expect, string age, string condition, string procedure, string text)
    {
        var born = age.Length > 0 ? DateOnly.FromDateTime(OrderedAt).AddYears(-int.Parse(age, CultureInfo.InvariantCulture)) : (DateOnly?)null;
        var name = procedure.Length > 0 ? procedure : DefaultProcedure[protocol];
        var order = new ImagingOrder("O1", "P1", null, OrderedAt, OrderedAt, null, name, text, [], null, null, null, born, OrderStatus.Completed);
        PatientCondition[] conditions = [];
        if (condition.Length > 0)
        {
            var parts = condition.Split('@');
            conditions = [new PatientCondition("P1", parts[0], "ICD-10-CM", null, DateOnly.Parse(parts[1], CultureInfo.InvariantCulture), null, "active", null)];
        }

        var decision = Screeners[protocol].Screen(order, conditions);
        var got = decision.Decision switch
        {
            Decision.Included => "included",
            Decision.NotTarget => "not_target",
            _ => decision.Reason!,
        };
        Assert.True(expect == got, $"{protocol} line {line} \"{text}\": expected {expect}, got {got}");
    }
}
