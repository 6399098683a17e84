using System.Globalization;
using ImagingValue.Synthetic;

namespace ImagingValue.Import.Tests.Synthetic;

/// <summary>Generates the dataset once per seed into temporary folders shared by the tests.</summary>
public sealed class PaperDatasetFixture : IDisposable
{
    public const int OtherSeed = 7;

    private readonly Dictionary<int, GeneratedDataset> _datasets = [];

    public PaperDatasetFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "iv-synth-" + Guid.NewGuid().ToString("N"));
        foreach (var seed in new[] { PaperDataset.DefaultSeed, OtherSeed })
        {
            var dir = Path.Combine(Root, seed.ToString(CultureInfo.InvariantCulture));
            var summary = PaperDataset.Write(dir, seed);
            _datasets[seed] = new GeneratedDataset(dir, summary);
        }
    }

    public string Root { get; }

    public GeneratedDataset Get(int seed) => _datasets[seed];

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

public sealed class GeneratedDataset
{
    public GeneratedDataset(string directory, PaperDatasetSummary summary)
    {
        Directory = directory;
        Summary = summary;
        Orders = CsvTestReader.Read(Path.Combine(directory, "orders.csv"));
        Conditions = CsvTestReader.Read(Path.Combine(directory, "conditions.csv"));
        Reports = CsvTestReader.Read(Path.Combine(directory, "reports.csv"));
        Reviews = CsvTestReader.Read(Path.Combine(directory, "reviews.csv"));
        Truth = CsvTestReader.Read(Path.Combine(directory, "truth.csv"));
        OrderById = Orders.Rows.ToDictionary(r => r["order_id"], StringComparer.Ordinal);
        TruthById = Truth.Rows.ToDictionary(r => r["order_id"], StringComparer.Ordinal);
    }

    public string Directory { get; }

    public PaperDatasetSummary Summary { get; }

    public (List<string> Header, List<Dictionary<string, string>> Rows, List<int> FieldCounts) Orders { get; }

    public (List<string> Header, List<Dictionary<string, string>> Rows, List<int> FieldCounts) Conditions { get; }

    public (List<string> Header, List<Dictionary<string, string>> Rows, List<int> FieldCounts) Reports { get; }

    public (List<string> Header, List<Dictionary<string, string>> Rows, List<int> FieldCounts) Reviews { get; }

    public (List<string> Header, List<Dictionary<string, string>> Rows, List<int> FieldCounts) Truth { get; }

    public Dictionary<string, Dictionary<string, string>> OrderById { get; }

    public Dictionary<string, Dictionary<string, string>> TruthById { get; }

    /// <summary>Completed target exams (truth included/excluded) performed inside [from, to].</summary>
    public List<Dictionary<string, string>> TargetsPerformed(DateOnly from, DateOnly to) =>
        Orders.Rows
            .Where(o => o["status"] == "completed" && o["performed_at"].Length > 0)
            .Where(o => TruthById[o["order_id"]]["decision"] is "included" or "excluded")
            .Where(o =>
            {
                var day = DateOnly.FromDateTime(ParseMinute(o["performed_at"]));
                return day >= from && day <= to;
            })
            .ToList();

    public static DateTime ParseMinute(string value) =>
        DateTime.ParseExact(value, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string value) =>
        DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed class PaperDatasetTests(PaperDatasetFixture fixture) : IClassFixture<PaperDatasetFixture>
{
    private static readonly DateOnly PeriodStart = new(2013, 7, 1);
    private static readonly DateOnly PeriodEnd = new(2017, 6, 30);
    private static readonly DateOnly FollowUpStart = new(2018, 7, 1);
    private static readonly DateOnly FollowUpEnd = new(2018, 9, 30);

    public static TheoryData<int> Seeds => new() { PaperDataset.DefaultSeed, PaperDatasetFixture.OtherSeed };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_TruthInPeriod_MatchesPaperCohort(int seed)
    {
        var data = fixture.Get(seed);
        var targets = data.TargetsPerformed(PeriodStart, PeriodEnd);
        var truth = targets.Select(o => data.TruthById[o["order_id"]]).ToList();

        Assert.Equal(322, targets.Count);
        Assert.Equal(98, truth.Count(t => t["decision"] == "included"));
        Assert.Equal(224, truth.Count(t => t["decision"] == "excluded"));
        var split = truth.Where(t => t["decision"] == "excluded").GroupBy(t => t["reason"]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(58, split["tumor"]);
        Assert.Equal(26, split["infection"]);
        Assert.Equal(31, split["inflammatory_arthritis"]);
        Assert.Equal(52, split["recent_trauma"]);
        Assert.Equal(37, split["occult_fracture"]);
        Assert.Equal(20, split["no_qualifying_indication"]);
        Assert.Equal(322, targets.Select(o => o["patient_id"]).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_ExcludedReasons_PrimaryIsFirstInProtocolOrderAndAboutFifteenPercentHaveTwo(int seed)
    {
        var data = fixture.Get(seed);
        var order = new[] { "tumor", "infection", "inflammatory_arthritis", "recent_trauma", "occult_fracture" };
        var excluded = data.TargetsPerformed(PeriodStart, PeriodEnd)
            .Select(o => data.TruthById[o["order_id"]])
            .Where(t => t["decision"] == "excluded")
            .ToList();
        foreach (var t in excluded)
        {
            var reasons = t["reasons"].Split(';');
            Assert.Equal(t["reason"], reasons[0]);
            if (t["reason"] != "no_qualifying_indication")
            {
                var positions = reasons.Select(r => Array.IndexOf(order, r)).ToList();
                Assert.All(positions, p => Assert.True(p >= 0));
                Assert.Equal(positions.OrderBy(p => p), positions);
            }
        }

        var multi = excluded.Count(t => t["reasons"].Contains(';', StringComparison.Ordinal));
        Assert.InRange(multi, 30, 40);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_IncludedDemographics_SexSplitAndAgeSumFromBirthDates(int seed)
    {
        var data = fixture.Get(seed);
        var included = Included(data);

        Assert.Equal(64, included.Count(o => o["patient_sex"] == "F"));
        Assert.Equal(34, included.Count(o => o["patient_sex"] == "M"));
        var ages = included.Select(o => CompletedYears(
            GeneratedDataset.ParseDate(o["patient_birth_date"]),
            DateOnly.FromDateTime(GeneratedDataset.ParseMinute(o["ordered_at"])))).ToList();
        Assert.Equal(4714, ages.Sum());
        Assert.All(ages, a => Assert.InRange(a, 18, 100));
        Assert.Equal(48.1, Math.Round(ages.Average(), 1));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_SameDayLumbarMri_SixtyFiveIncludedExams(int seed)
    {
        var data = fixture.Get(seed);
        var lumbar = data.Orders.Rows
            .Where(o => o["status"] == "completed" && o["performed_at"].Length > 0)
            .Where(o => o["procedure_code"] is "72148" or "72149" or "72158")
            .Select(o => (Patient: o["patient_id"], Day: DateOnly.FromDateTime(GeneratedDataset.ParseMinute(o["performed_at"]))))
            .ToHashSet();

        var count = Included(data).Count(o =>
            lumbar.Contains((o["patient_id"], DateOnly.FromDateTime(GeneratedDataset.ParseMinute(o["performed_at"])))));

        Assert.Equal(65, count);
        var otherLumbarPatients = Included(data).Select(o => o["patient_id"]).Intersect(lumbar.Select(l => l.Patient)).Count();
        Assert.True(otherLumbarPatients > 65, "some included patients should have lumbar MRIs on other days");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_Reviews_OneRowPerOrderAndReviewer(int seed)
    {
        var data = fixture.Get(seed);
        var keys = data.Reviews.Rows.Select(r => (r["order_id"], r["reviewer"])).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_FinalReviews_MatchPaperFindings(int seed)
    {
        var data = fixture.Get(seed);
        var byOrder = data.Reviews.Rows.GroupBy(r => r["order_id"]).ToDictionary(g => g.Key, g => g.ToList());
        var finals = Included(data).Select(o => Final(byOrder[o["order_id"]])).ToList();

        Assert.Equal(98, finals.Count);
        Assert.Equal(2, finals.Count(r => r["major_finding"] == "yes"));
        Assert.Equal(43, finals.Count(r => r["minor_finding"] == "yes"));
        Assert.Equal(85, finals.Count(r => r["incidental_finding"] == "yes"));
        Assert.Equal(0, finals.Count(r => r["management_change"] == "major"));
        Assert.Equal(12, finals.Count(r => r["management_change"] == "minor"));
        Assert.Equal(86, finals.Count(r => r["management_change"] == "none"));

        // The rule matters: taking each exam's first review instead of the final one gives other numbers.
        var firsts = Included(data).Select(o => byOrder[o["order_id"]].OrderBy(r => r["reviewed_at"], StringComparer.Ordinal).First()).ToList();
        Assert.Equal(1, firsts.Count(r => r["major_finding"] == "yes"));
        var latest = Included(data).Select(o => byOrder[o["order_id"]].OrderBy(r => r["reviewed_at"], StringComparer.Ordinal).Last()).ToList();
        Assert.NotEqual(
            finals.Select(r => (r["minor_finding"], r["incidental_finding"])),
            latest.Select(r => (r["minor_finding"], r["incidental_finding"])));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_FollowUpWindow_OneIncludedExam(int seed)
    {
        var data = fixture.Get(seed);
        var targets = data.TargetsPerformed(FollowUpStart, FollowUpEnd);
        var truth = targets.Select(o => data.TruthById[o["order_id"]]).ToList();

        Assert.Equal(1, truth.Count(t => t["decision"] == "included"));
        Assert.InRange(truth.Count(t => t["decision"] == "excluded"), 2, 3);
        var included = targets.Single(o => data.TruthById[o["order_id"]]["decision"] == "included");
        var review = Final(data.Reviews.Rows.Where(r => r["order_id"] == included["order_id"]).ToList());
        Assert.Equal(("no", "no", "no", "none"),
            (review["major_finding"], review["minor_finding"], review["incidental_finding"], review["management_change"]));
        var cancelled = data.Orders.Rows.Count(o => o["status"] == "cancelled"
            && data.TruthById[o["order_id"]]["decision"] == "cancelled"
            && InRange(o["ordered_at"], FollowUpStart, FollowUpEnd));
        Assert.Equal(1, cancelled);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_CancelledAndOutsidePeriodOrders_Present(int seed)
    {
        var data = fixture.Get(seed);
        var cancelled = data.Orders.Rows.Where(o => data.TruthById[o["order_id"]]["decision"] == "cancelled").ToList();
        Assert.Equal(15, cancelled.Count(o => InRange(o["ordered_at"], PeriodStart, PeriodEnd)));
        Assert.All(cancelled, o => Assert.Equal(("cancelled", ""), (o["status"], o["performed_at"])));
        Assert.Contains(data.Orders.Rows, o => o["status"] == "scheduled");
        Assert.NotEmpty(data.TargetsPerformed(new DateOnly(2012, 1, 1), PeriodStart.AddDays(-1)));
        Assert.InRange(
            data.TargetsPerformed(PeriodEnd.AddDays(1), new DateOnly(2018, 6, 30)).Count(o => data.TruthById[o["order_id"]]["decision"] == "included"),
            20, 30);
        Assert.Contains(data.Orders.Rows, o => o["procedure_name"] == "MRI SACROILIAC JOINTS WO CONTRAST" && data.TruthById[o["order_id"]]["decision"] == "not_target");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_IncludedExams_AreNonContrast(int seed)
    {
        var data = fixture.Get(seed);
        Assert.All(Included(data), o => Assert.DoesNotContain("W WO", o["procedure_name"], StringComparison.Ordinal));
        Assert.All(Included(data), o => Assert.DoesNotContain("WO+W", o["procedure_name"], StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_Files_HaveContractColumnsAndCompleteRows(int seed)
    {
        var data = fixture.Get(seed);
        Assert.Equal(PaperDataset.OrderColumns, data.Orders.Header);
        Assert.Equal(PaperDataset.ConditionColumns, data.Conditions.Header);
        Assert.Equal(PaperDataset.ReportColumns, data.Reports.Header);
        Assert.Equal(PaperDataset.ReviewColumns, data.Reviews.Header);
        Assert.Equal(PaperDataset.TruthColumns, data.Truth.Header);
        // The 14 canonical columns and the synthetic mark (an extra column every generated order carries).
        Assert.All(data.Orders.FieldCounts, c => Assert.Equal(15, c));
        Assert.Equal(PaperDataset.SyntheticColumn, data.Orders.Header[^1]);
        Assert.All(data.Orders.Rows, r => Assert.Equal("true", r[PaperDataset.SyntheticColumn]));
        Assert.All(data.Conditions.FieldCounts, c => Assert.Equal(8, c));
        Assert.All(data.Reports.FieldCounts, c => Assert.Equal(4, c));
        Assert.All(data.Reviews.FieldCounts, c => Assert.Equal(9, c));
        Assert.All(data.Truth.FieldCounts, c => Assert.Equal(5, c));

        Assert.Equal(data.Summary.Orders, data.Orders.Rows.Count);
        Assert.Equal(data.Summary.Conditions, data.Conditions.Rows.Count);
        Assert.Equal(data.Summary.Reports, data.Reports.Rows.Count);
        Assert.Equal(data.Summary.Reviews, data.Reviews.Rows.Count);
        Assert.Equal(data.Orders.Rows.Count, data.Truth.Rows.Count);

        var bytes = File.ReadAllBytes(Path.Combine(data.Directory, "orders.csv"));
        Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "no BOM");
        Assert.DoesNotContain((byte)'\r', bytes);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_Values_AreWellFormed(int seed)
    {
        var data = fixture.Get(seed);
        foreach (var o in data.Orders.Rows)
        {
            var ordered = GeneratedDataset.ParseMinute(o["ordered_at"]);
            Assert.Matches("^O[0-9]{6}$", o["order_id"]);
            Assert.Matches("^P[0-9]{5}$", o["patient_id"]);
            Assert.Contains(o["status"], new[] { "completed", "cancelled", "scheduled" });
            Assert.Contains(o["patient_sex"], new[] { "F", "M" });
            Assert.Equal(o["status"] == "completed", o["performed_at"].Length > 0);
            if (o["performed_at"].Length > 0)
            {
                Assert.True(GeneratedDataset.ParseMinute(o["performed_at"]) > ordered);
            }
        }

        Assert.All(data.Reviews.Rows, r => Assert.Contains(r["review_role"], new[] { "primary", "second", "adjudicator" }));
        Assert.All(data.Conditions.Rows, c => Assert.Contains(c["clinical_status"], new[] { "active", "resolved", "inactive", "remission" }));
        Assert.All(data.Reports.Rows, r => Assert.Contains("IMPRESSION:", r["report_text"], StringComparison.Ordinal));
        var completed = data.Orders.Rows.Count(o => o["status"] == "completed");
        Assert.Equal(completed, data.Reports.Rows.Select(r => r["order_id"]).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_AccessionsAndPatients_AreConsistent(int seed)
    {
        var data = fixture.Get(seed);
        var accessions = data.Orders.Rows.Select(o => o["accession"]).Where(a => a.Length > 0).ToList();
        Assert.Equal(accessions.Count, accessions.Distinct().Count());
        foreach (var group in data.Orders.Rows.GroupBy(o => o["patient_id"]))
        {
            Assert.Single(group.Select(o => (o["patient_sex"], o["patient_birth_date"])).Distinct());
        }

        var patients = data.Orders.Rows.Select(o => o["patient_id"]).ToHashSet();
        Assert.All(data.Conditions.Rows, c => Assert.Contains(c["patient_id"], patients));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_Indications_AtLeast150Distinct(int seed)
    {
        var data = fixture.Get(seed);
        var distinct = data.Orders.Rows.Select(o => o["indication"]).Where(i => i.Length > 0).Distinct().Count();
        Assert.True(distinct >= 150, $"only {distinct} distinct indications");
        Assert.Equal(distinct, data.Summary.DistinctIndications);
        var includedDistinct = Included(data).Select(o => o["indication"]).Distinct().Count();
        Assert.True(includedDistinct >= 60, $"only {includedDistinct} distinct included indications");
    }

    [Fact]
    public void Write_SameSeed_ByteIdenticalFiles()
    {
        var dir = Path.Combine(fixture.Root, "again");
        PaperDataset.Write(dir);
        var first = fixture.Get(PaperDataset.DefaultSeed).Directory;
        foreach (var file in new[] { "orders.csv", "conditions.csv", "reports.csv", "reviews.csv", "truth.csv" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(dir, file)));
        }
    }

    [Fact]
    public void Write_DifferentSeed_DifferentFiles()
    {
        var a = File.ReadAllText(Path.Combine(fixture.Get(PaperDataset.DefaultSeed).Directory, "orders.csv"));
        var b = File.ReadAllText(Path.Combine(fixture.Get(PaperDatasetFixture.OtherSeed).Directory, "orders.csv"));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void PhraseBank_Labels_AreWellFormedAndPlentiful()
    {
        var all = IndicationPhraseBank.All;
        Assert.True(all.Count >= 200);
        Assert.Equal(all.Count, all.Select(p => p.Text).Distinct().Count());
        var valid = new[] { "included", "no_qualifying_indication", "tumor", "infection", "inflammatory_arthritis", "recent_trauma", "occult_fracture" };
        Assert.All(all, p => Assert.All(p.Labels, l => Assert.Contains(l, valid)));
        Assert.Contains(all, p => p.Text == "LBP, no trauma" && p.IsIncluded);
        Assert.Contains(all, p => p.Text == "LBP r/o sacroiliitis" && p.IsIncluded);
        Assert.Contains(all, p => p.Text == "fell 5 days ago, r/o occult sacral fx" && p.Labels.SequenceEqual(["recent_trauma", "occult_fracture"]));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_IncludedPatients_HaveConditionTrapsButNoKnownRedFlagCodes(int seed)
    {
        var data = fixture.Get(seed);
        string[] anyTime = ["Z85.3", "C50.911", "C79.51", "C61", "Z85.46", "C90.00", "M45.9", "M46.1", "M45.8"];
        string[] within365 = ["M46.26", "M46.46", "M46.28"];
        string[] within90 = ["M48.48XA", "M80.08XA"];
        string[] within28 = ["S32.2XXA", "S30.0XXA"];
        var byPatient = data.Conditions.Rows.GroupBy(c => c["patient_id"]).ToDictionary(g => g.Key, g => g.ToList());
        var traps = new HashSet<string>();
        foreach (var order in Included(data))
        {
            var orderDay = DateOnly.FromDateTime(GeneratedDataset.ParseMinute(order["ordered_at"]));
            foreach (var c in byPatient.GetValueOrDefault(order["patient_id"], []))
            {
                var known = new[] { c["onset_date"], c["recorded_date"] }.Where(v => v.Length > 0).Select(GeneratedDataset.ParseDate).Min();
                var days = orderDay.DayNumber - known.DayNumber;
                if (days < 0)
                {
                    traps.Add(c["code"] + " after");
                    continue;
                }

                traps.Add(c["code"]);
                Assert.DoesNotContain(c["code"], anyTime);
                Assert.False(within365.Contains(c["code"]) && days <= 365, c["code"]);
                Assert.False(within90.Contains(c["code"]) && days <= 90, c["code"]);
                Assert.False(within28.Contains(c["code"]) && days < 28, c["code"]);
            }
        }

        Assert.Contains("C61 after", traps);
        Assert.Contains("C50.911 after", traps);
        Assert.Contains("M46.1 after", traps);
        Assert.Contains("D25.9", traps);
        Assert.Contains("Z80.3", traps);
        Assert.Contains("S32.2XXA", traps);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_QuotedFields_RoundTrip(int seed)
    {
        var data = fixture.Get(seed);
        Assert.Contains(data.Orders.Rows, o => o["ordering_provider"].Contains(',', StringComparison.Ordinal));
        Assert.Contains(data.Orders.Rows, o => o["indication"].Contains(',', StringComparison.Ordinal));
        Assert.All(data.Reports.Rows, r => Assert.Contains('\n', r["report_text"]));
        Assert.Contains(data.Orders.Rows, o => o["ordering_department"] == "Physical Medicine & Rehab");
    }

    private static Dictionary<string, string> Final(List<Dictionary<string, string>> rows) =>
        rows.FirstOrDefault(r => r["review_role"] == "adjudicator")
        ?? rows.OrderBy(r => r["reviewed_at"], StringComparer.Ordinal).Last();

    private static List<Dictionary<string, string>> Included(GeneratedDataset data) =>
        data.TargetsPerformed(PeriodStart, PeriodEnd).Where(o => data.TruthById[o["order_id"]]["decision"] == "included").ToList();

    private static bool InRange(string minute, DateOnly from, DateOnly to)
    {
        var day = DateOnly.FromDateTime(GeneratedDataset.ParseMinute(minute));
        return day >= from && day <= to;
    }

    private static int CompletedYears(DateOnly birth, DateOnly at)
    {
        var age = at.Year - birth.Year;
        if (at.Month < birth.Month || (at.Month == birth.Month && at.Day < birth.Day))
        {
            age--;
        }

        return age;
    }
}
