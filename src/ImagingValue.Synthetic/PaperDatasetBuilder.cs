using System.Globalization;

namespace ImagingValue.Synthetic;

/// <summary>
/// Builds the paper-calibrated dataset in memory. All counts are fixed; the seed only changes
/// who, when, which phrasing and in what order.
/// </summary>
internal sealed class PaperDatasetBuilder
{
    public static readonly DateOnly PeriodStart = new(2013, 7, 1);
    public static readonly DateOnly PeriodEnd = new(2017, 6, 30);
    public static readonly DateOnly FollowUpStart = new(2018, 7, 1);
    public static readonly DateOnly FollowUpEnd = new(2018, 9, 30);
    public static readonly DateOnly Icd10GoLive = new(2015, 10, 1);
    public static readonly DateOnly ExportDate = new(2018, 10, 15);

    public const int IncludedCount = 98;
    public const int FemaleIncluded = 64;
    public const int AgeSum = 4714;
    public const int SameDayLumbar = 65;
    public const int CancelledInPeriod = 15;

    private const char Text = 'T';
    private const char Condition = 'C';
    private const char Code = 'R';

    private readonly Random _rng;
    private readonly List<SynthPatient> _patients = [];
    private readonly List<SynthOrder> _orders = [];
    private readonly List<SynthCondition> _conditions = [];
    private readonly List<SynthReview> _reviews = [];
    private readonly Dictionary<string, Queue<IndicationPhrase>> _phraseQueues = [];
    private readonly Dictionary<SynthOrder, ReviewPlan> _plans = [];
    private readonly HashSet<SynthOrder> _sameDayLumbar = [];
    private int _tie;

    public PaperDatasetBuilder(int seed)
    {
        _rng = new Random(seed);
    }

    public IReadOnlyList<SynthOrder> Orders => _orders;

    public IReadOnlyList<SynthCondition> Conditions => _conditions;

    public IReadOnlyList<SynthReview> Reviews => _reviews;

    public IReadOnlyList<SynthPatient> Patients => _patients;

    /// <summary>The excluded split of the 224 in-period exams, by primary reason, and how the flags are raised.</summary>
    public static IReadOnlyList<(int Count, (string Flag, char Source)[] Flags)> ExclusionPlans { get; } =
    [
        (33, [(PaperLabels.Tumor, Text)]),
        (5, [(PaperLabels.Tumor, Text), (PaperLabels.OccultFracture, Text)]),
        (3, [(PaperLabels.Tumor, Text), (PaperLabels.Infection, Text)]),
        (9, [(PaperLabels.Tumor, Condition)]),
        (3, [(PaperLabels.Tumor, Condition), (PaperLabels.RecentTrauma, Text)]),
        (5, [(PaperLabels.Tumor, Code)]),
        (20, [(PaperLabels.Infection, Text)]),
        (3, [(PaperLabels.Infection, Condition)]),
        (3, [(PaperLabels.Infection, Code)]),
        (19, [(PaperLabels.InflammatoryArthritis, Text)]),
        (3, [(PaperLabels.InflammatoryArthritis, Text), (PaperLabels.RecentTrauma, Text)]),
        (3, [(PaperLabels.InflammatoryArthritis, Text), (PaperLabels.OccultFracture, Text)]),
        (4, [(PaperLabels.InflammatoryArthritis, Condition)]),
        (2, [(PaperLabels.InflammatoryArthritis, Code)]),
        (27, [(PaperLabels.RecentTrauma, Text)]),
        (14, [(PaperLabels.RecentTrauma, Text), (PaperLabels.OccultFracture, Text)]),
        (3, [(PaperLabels.RecentTrauma, Text), (PaperLabels.OccultFracture, Code)]),
        (4, [(PaperLabels.RecentTrauma, Condition)]),
        (4, [(PaperLabels.RecentTrauma, Code)]),
        (30, [(PaperLabels.OccultFracture, Text)]),
        (4, [(PaperLabels.OccultFracture, Condition)]),
        (3, [(PaperLabels.OccultFracture, Code)]),
        (20, []),
    ];

    public void Build()
    {
        var included = BuildIncludedInPeriod();
        var excluded = BuildExcludedInPeriod();
        AddLumbarMris(included, excluded);
        PlanAndWriteReviews(included);
        ReviewSomeExcluded(excluded);
        AddCancelledInPeriod(included.Concat(excluded).ToList());
        AddOutsidePeriod();
        AddPriorRadiographs();
        AddStandaloneNonTarget();
        AddBackgroundConditions();
        FillReports();
        AssignIdentifiers();
    }

    // ---------------------------------------------------------------- in-period cohort

    private List<SynthOrder> BuildIncludedInPeriod()
    {
        var sexes = Enumerable.Repeat('F', FemaleIncluded).Concat(Enumerable.Repeat('M', IncludedCount - FemaleIncluded)).ToList();
        Shuffle(sexes);
        var ages = MakeAges(IncludedCount, AgeSum);
        var orders = new List<SynthOrder>();
        for (var i = 0; i < IncludedCount; i++)
        {
            (DateTime Ordered, DateTime Performed) times = i switch
            {
                // Boundary exams: first and last day of the period, and one ordered before the period but performed inside it.
                0 => (At(new DateOnly(2013, 6, 26), 10, 12), At(PeriodStart, 8, 0)),
                1 => (At(new DateOnly(2017, 6, 21), 15, 41), At(PeriodEnd, 16, 45)),
                2 => (At(new DateOnly(2013, 6, 24), 9, 5), At(new DateOnly(2013, 7, 2), 13, 30)),
                _ => SampleTimes(PeriodStart, PeriodEnd, 2, 28, null, false),
            };
            var patient = NewPatient(sexes[i], 40);
            var order = NewTarget(patient, Pick(SyntheticCatalog.TargetNonContrast), ProviderFor(PaperLabels.Included), times);
            var phrase = NextPhrase(IndicationPhraseBank.WithLabels(PaperLabels.Included), patient.Sex, "inc");
            order.Indication = Decorate(phrase);
            AddPainReasonCodes(order);
            MarkIncluded(order, phrase);
            SetBirthDateForAge(patient, DateOnly.FromDateTime(order.OrderedAt), ages[i]);
            orders.Add(order);
        }

        ApplyAgeTraps(orders, ages);
        AddIncludedConditionTraps(orders);
        return orders;
    }

    private List<SynthOrder> BuildExcludedInPeriod()
    {
        var orders = new List<SynthOrder>();
        foreach (var (count, flags) in ExclusionPlans)
        {
            for (var i = 0; i < count; i++)
            {
                orders.Add(NewExcluded(flags, PeriodStart, PeriodEnd));
            }
        }

        return orders;
    }

    private SynthOrder NewExcluded((string Flag, char Source)[] flags, DateOnly from, DateOnly to, DateOnly? minOrdered = null)
    {
        var primary = flags.Length == 0 ? PaperLabels.NoQualifyingIndication : flags[0].Flag;
        var sex = _rng.NextDouble() < 0.55 ? 'F' : 'M';
        var textFlags = flags.Where(f => f.Source == Text).Select(f => f.Flag).ToArray();
        var emergency = flags.Any(f => f.Flag == PaperLabels.RecentTrauma && f.Source == Text) && _rng.NextDouble() < 0.6;
        var needsCodes = flags.Any(f => f.Source == Code);
        var min = needsCodes ? Max(Icd10GoLive, minOrdered ?? Icd10GoLive) : minOrdered;
        var times = SampleTimes(from, to, emergency ? 0 : 1, emergency ? 2 : 21, min, emergency);
        var age = primary switch
        {
            PaperLabels.Tumor => _rng.Next(42, 86),
            PaperLabels.OccultFracture => _rng.Next(30, 90),
            PaperLabels.InflammatoryArthritis => _rng.Next(22, 70),
            _ => _rng.Next(18, 88),
        };
        var patient = NewPatient(sex, age);
        var procedure = _rng.NextDouble() < (primary is PaperLabels.Tumor or PaperLabels.Infection ? 0.35 : 0.08)
            ? Pick(SyntheticCatalog.TargetContrast)
            : Pick(SyntheticCatalog.TargetNonContrast);
        var provider = ProviderFor(primary);
        var order = NewTarget(patient, procedure, provider, times);
        SetBirthDateForAge(patient, DateOnly.FromDateTime(order.OrderedAt), age);

        IndicationPhrase phrase;
        if (textFlags.Length > 0)
        {
            phrase = NextPhrase(IndicationPhraseBank.WithLabels(textFlags), sex, string.Join("+", textFlags));
        }
        else if (flags.Length == 0)
        {
            phrase = NextPhrase(IndicationPhraseBank.WithLabels(PaperLabels.NoQualifyingIndication), sex, "noq");
        }
        else
        {
            phrase = NextPhrase(IndicationPhraseBank.All.Where(p => p.IsIncluded && p.Trap is null).ToList(), sex, "plain");
        }

        order.Indication = Decorate(phrase);
        var orderDay = DateOnly.FromDateTime(order.OrderedAt);
        var notes = new List<string>();
        foreach (var (flag, source) in flags)
        {
            switch (source)
            {
                case Text:
                    notes.Add($"{flag} via indication");
                    break;
                case Code:
                    {
                        var entry = Pick(SyntheticCatalog.FlagCodes(flag).Where(c => c.Sex is null || c.Sex == sex).ToList());
                        if (order.ReasonCodes.Count == 0 && _rng.NextDouble() < 0.5)
                        {
                            order.ReasonCodes.Add(Pick(SyntheticCatalog.PainReasonCodes));
                        }

                        order.ReasonCodes.Add(entry.Code);
                        notes.Add($"{flag} via reason code {entry.Code}");
                        break;
                    }

                default:
                    notes.Add(AddFlagCondition(patient, flag, orderDay));
                    break;
            }
        }

        if (flags.Length == 0)
        {
            notes.Add("indication is not low back / tailbone / sacral pain; no red flag");
            if (orderDay >= Icd10GoLive && phrase.Text.Contains("hip", StringComparison.OrdinalIgnoreCase) && _rng.NextDouble() < 0.5)
            {
                order.ReasonCodes.Add(Pick(["M25.551", "M25.552", "M25.559"]));
            }
        }
        else if (!needsCodes && textFlags.Length < flags.Length)
        {
            AddPainReasonCodes(order);
        }

        order.Decision = "excluded";
        order.Reason = primary;
        order.Reasons.AddRange(flags.Length == 0 ? [PaperLabels.NoQualifyingIndication] : flags.Select(f => f.Flag));
        order.Note = string.Join("; ", notes);
        return order;
    }

    private string AddFlagCondition(SynthPatient patient, string flag, DateOnly orderDay)
    {
        var entry = Pick(SyntheticCatalog.FlagCodes(flag).Where(c => c.Sex is null || c.Sex == patient.Sex).ToList());
        DateOnly onset;
        DateOnly recorded;
        var status = "active";
        switch (flag)
        {
            case PaperLabels.Tumor:
                onset = orderDay.AddDays(-_rng.Next(300, 3000));
                recorded = onset.AddDays(_rng.Next(0, 60));
                if (_rng.NextDouble() < 0.2)
                {
                    // Onset before the order, entered on the problem list only afterwards: still known (onset on or before).
                    recorded = orderDay.AddDays(_rng.Next(5, 60));
                }

                if (entry.Code is "C50.911" or "C61" && _rng.NextDouble() < 0.4)
                {
                    status = "remission";
                }

                break;
            case PaperLabels.Infection:
                onset = orderDay.AddDays(-_rng.Next(30, 250));
                recorded = onset.AddDays(_rng.Next(0, 10));
                break;
            case PaperLabels.InflammatoryArthritis:
                onset = orderDay.AddDays(-_rng.Next(400, 4000));
                recorded = onset.AddDays(_rng.Next(0, 200));
                break;
            case PaperLabels.RecentTrauma:
                onset = orderDay.AddDays(-_rng.Next(3, 21));
                recorded = onset.AddDays(_rng.Next(0, 2));
                break;
            default:
                onset = orderDay.AddDays(-_rng.Next(10, 60));
                recorded = onset.AddDays(_rng.Next(0, 5));
                break;
        }

        var writeOnset = recorded > orderDay || _rng.NextDouble() < 0.7;
        _conditions.Add(new SynthCondition(patient, entry.Code, entry.Description, writeOnset ? onset : null, recorded, status, null));
        var known = writeOnset && onset < recorded ? $"onset {Iso(onset)}" : $"recorded {Iso(recorded)}";
        return $"{flag} via condition {entry.Code} ({known}, before the order)";
    }

    private void AddIncludedConditionTraps(List<SynthOrder> included)
    {
        var pool = included.ToList();
        Shuffle(pool);
        var queue = new Queue<SynthOrder>(pool);
        SynthOrder NextWhere(Func<SynthOrder, bool> predicate)
        {
            for (var i = 0; i < queue.Count; i++)
            {
                var o = queue.Dequeue();
                if (predicate(o))
                {
                    return o;
                }

                queue.Enqueue(o);
            }

            return queue.Dequeue();
        }

        void Trap(SynthOrder order, string code, string description, DateOnly? onset, DateOnly recorded, string status, DateOnly? abatement, string note)
        {
            _conditions.Add(new SynthCondition(order.Patient, code, description, onset, recorded, status, abatement));
            order.Note += "; trap: " + note;
        }

        var male = NextWhere(o => o.Patient.Sex == 'M');
        var after = Day(male.OrderedAt).AddDays(_rng.Next(235, 250));
        Trap(male, "C61", "Malignant neoplasm of prostate", after, after, "active", null, "C61 first recorded ~8 months after the order");
        var female = NextWhere(o => o.Patient.Sex == 'F');
        after = Day(female.OrderedAt).AddDays(_rng.Next(240, 260));
        Trap(female, "C50.911", "Malignant neoplasm of unspecified site of right female breast", after, after.AddDays(3), "active", null,
            "C50.911 first known ~8 months after the order");
        for (var i = 0; i < 5; i++)
        {
            var o = NextWhere(x => x.Patient.Sex == 'F');
            var d = Day(o.OrderedAt).AddDays(-_rng.Next(200, 2500));
            Trap(o, "D25.9", "Leiomyoma of uterus, unspecified", d, d, "active", null, "benign fibroid D25.9");
        }

        for (var i = 0; i < 6; i++)
        {
            var o = NextWhere(_ => true);
            var d = Day(o.OrderedAt).AddDays(-_rng.Next(100, 2000));
            var (code, description) = i < 4
                ? ("Z80.3", "Family history of malignant neoplasm of breast")
                : ("Z80.0", "Family history of malignant neoplasm of digestive organs");
            Trap(o, code, description, null, d, "active", null, $"family history {code}");
        }

        for (var i = 0; i < 3; i++)
        {
            var o = NextWhere(_ => true);
            var d = Day(o.OrderedAt).AddDays(-_rng.Next(1000, 1200));
            Trap(o, "S32.2XXA", "Fracture of coccyx, initial encounter for closed fracture", d, d.AddDays(1), "resolved", d.AddDays(_rng.Next(80, 120)),
                "coccyx fracture S32.2XXA ~3 years before the order");
        }

        for (var i = 0; i < 6; i++)
        {
            var o = NextWhere(_ => true);
            var entry = Pick(SyntheticCatalog.ResolvedOld);
            var d = Day(o.OrderedAt).AddDays(-_rng.Next(300, 3000));
            Trap(o, entry.Code, entry.Description, d, d, "resolved", d.AddDays(_rng.Next(7, 30)), $"old resolved {entry.Code}");
        }
    }

    private void ApplyAgeTraps(List<SynthOrder> included, int[] ages)
    {
        // Birthday exactly on the order date, and birthdays between order and exam (age must be taken at ordered_at).
        SetBirthDate(included[3].Patient, DateOnly.FromDateTime(included[3].OrderedAt).AddYears(-ages[3]), included[3], ages[3]);
        var withGap = Enumerable.Range(4, IncludedCount - 4)
            .Where(i => (Day(included[i].PerformedAt!.Value).DayNumber - Day(included[i].OrderedAt).DayNumber) >= 3)
            .Take(4)
            .ToList();
        foreach (var i in withGap)
        {
            var orderDay = Day(included[i].OrderedAt);
            var gap = Day(included[i].PerformedAt!.Value).DayNumber - orderDay.DayNumber;
            var birth = orderDay.AddYears(-(ages[i] + 1)).AddDays(_rng.Next(1, gap + 1));
            SetBirthDate(included[i].Patient, birth, included[i], ages[i]);
        }

        // A leap-day birth with an unambiguous birthday.
        for (var i = 10; i < IncludedCount; i++)
        {
            var orderDay = Day(included[i].OrderedAt);
            var year = orderDay.Year - ages[i];
            if (DateTime.IsLeapYear(year) && orderDay.Month >= 4)
            {
                SetBirthDate(included[i].Patient, new DateOnly(year, 2, 29), included[i], ages[i]);
                break;
            }
        }
    }

    private static void SetBirthDate(SynthPatient patient, DateOnly birth, SynthOrder order, int age)
    {
        var orderDay = Day(order.OrderedAt);
        if (CompletedYears(birth, orderDay) == age && CompletedYearsLeapLenient(birth, orderDay) == age)
        {
            patient.BirthDate = birth;
        }
    }

    // ---------------------------------------------------------------- lumbar MRIs

    private void AddLumbarMris(List<SynthOrder> included, List<SynthOrder> excluded)
    {
        var idx = Enumerable.Range(0, included.Count).ToList();
        Shuffle(idx);
        var nonContrastLumbar = SyntheticCatalog.LumbarMri.Where(p => !p.Contrast).ToList();
        foreach (var i in idx.Take(SameDayLumbar))
        {
            var lumbar = AddSameDayLumbar(included[i], _rng.NextDouble() < 0.85 ? Pick(nonContrastLumbar) : Pick(SyntheticCatalog.LumbarMri));
            included[i].Note += "; same-day lumbar MRI";
            _sameDayLumbar.Add(included[i]);
            lumbar.Note = "lumbar spine MRI, same day as the sacrum MRI";
        }

        int[] offsets = [-1, 1, -2, 3, -30, -90, 14, -180, 200, -7, 60, -365];
        var others = idx.Skip(SameDayLumbar).Take(offsets.Length).ToList();
        for (var k = 0; k < others.Count; k++)
        {
            var target = included[others[k]];
            var performed = target.PerformedAt!.Value.AddDays(offsets[k]);
            if (Day(performed) == Day(target.PerformedAt!.Value))
            {
                continue;
            }

            var lumbar = NewOrder(target.Patient, Pick(nonContrastLumbar), target.Provider, false);
            lumbar.OrderedAt = performed.AddDays(-_rng.Next(1, 10)).Date.AddHours(_rng.Next(8, 17)).AddMinutes(_rng.Next(0, 60));
            lumbar.PerformedAt = performed;
            lumbar.Indication = Pick(SyntheticCatalog.LumbarIndications);
            lumbar.Note = $"lumbar spine MRI {offsets[k]} days from the sacrum MRI (not same day)";
            target.Note += "; lumbar MRI on a different day";
        }

        // Two included patients also had a same-day lumbar MRI order that was cancelled (never performed).
        foreach (var i in idx.Skip(SameDayLumbar + offsets.Length).Take(2))
        {
            var target = included[i];
            var lumbar = NewOrder(target.Patient, Pick(nonContrastLumbar), target.Provider, false);
            lumbar.OrderedAt = target.OrderedAt.AddMinutes(3);
            lumbar.Status = "cancelled";
            lumbar.Indication = target.Indication;
            lumbar.Note = "lumbar spine MRI ordered with the sacrum MRI, cancelled";
            target.Note += "; same-day lumbar MRI cancelled";
        }

        var ex = excluded.ToList();
        Shuffle(ex);
        foreach (var order in ex.Take(45))
        {
            var lumbar = AddSameDayLumbar(order, Pick(SyntheticCatalog.LumbarMri));
            lumbar.Note = "lumbar spine MRI, same day as an excluded sacrum MRI";
        }
    }

    private SynthOrder AddSameDayLumbar(SynthOrder target, Procedure procedure)
    {
        var lumbar = NewOrder(target.Patient, procedure, target.Provider, false);
        lumbar.OrderedAt = target.OrderedAt.AddMinutes(_rng.Next(1, 6));
        var performed = target.PerformedAt!.Value;
        lumbar.PerformedAt = performed.Hour >= 20 ? performed.AddMinutes(-50) : performed.AddMinutes(45);
        lumbar.Indication = _rng.NextDouble() < 0.5 ? target.Indication : Pick(SyntheticCatalog.LumbarIndications);
        return lumbar;
    }

    // ---------------------------------------------------------------- reviews

    private void PlanAndWriteReviews(List<SynthOrder> included)
    {
        var idx = Enumerable.Range(0, included.Count).ToList();
        Shuffle(idx);
        var plans = included.Select(_ => new ReviewPlan()).ToArray();
        plans[idx[0]].Major = ReportComposer.MajorItems[0];
        plans[idx[1]].Major = ReportComposer.MajorItems[1];

        var minorSet = Enumerable.Range(0, included.Count).ToList();
        Shuffle(minorSet);
        foreach (var i in minorSet.Take(43))
        {
            var items = ReportComposer.MinorItems.ToList();
            Shuffle(items);
            plans[i].Minor.AddRange(items.Take(_rng.NextDouble() < 0.25 ? 2 : 1));
        }

        var incidentalSet = Enumerable.Range(0, included.Count).ToList();
        Shuffle(incidentalSet);
        foreach (var i in incidentalSet.Take(85))
        {
            var sex = included[i].Patient.Sex;
            var items = ReportComposer.IncidentalItems.Where(f => f.Sex is null || f.Sex == sex).ToList();
            Shuffle(items);
            if (_sameDayLumbar.Contains(included[i]) && _rng.NextDouble() < 0.7)
            {
                items.Remove(ReportComposer.IncidentalItems[0]);
                items.Insert(0, ReportComposer.IncidentalItems[0]);
            }

            plans[i].Incidental.AddRange(items.Take(_rng.NextDouble() < 0.3 ? 2 : 1));
        }

        var minorMgmt = Enumerable.Range(0, included.Count).Where(i => plans[i].Major is null && plans[i].Minor.Count > 0).ToList();
        Shuffle(minorMgmt);
        foreach (var i in minorMgmt.Take(8))
        {
            plans[i].Management = "minor";
            plans[i].ManagementNote = plans[i].Minor[0].Kind switch
            {
                "tarlov" => "neurosurgery referral for Tarlov cyst",
                "facet" => "referred for facet injection",
                _ => "surgical referral for degenerative disease",
            };
        }

        var incidentalMgmt = Enumerable.Range(0, included.Count)
            .Where(i => plans[i].Major is null && plans[i].Minor.Count == 0 && plans[i].Incidental.Count > 0).ToList();
        Shuffle(incidentalMgmt);
        foreach (var i in incidentalMgmt.Take(4))
        {
            plans[i].Management = "minor";
            plans[i].ManagementNote = plans[i].Incidental[0].Kind switch
            {
                "ovarian_cyst" => "pelvic ultrasound ordered",
                "renal_lesion" => "renal ultrasound ordered",
                "lymph_nodes" => "CT abdomen/pelvis ordered",
                "fibroids" => "gynecology referral",
                _ => "dedicated lumbar spine MRI ordered",
            };
        }

        for (var i = 0; i < included.Count; i++)
        {
            _plans[included[i]] = plans[i];
        }

        // Review rows: most exams one primary review; some a later second review that changes the answer;
        // some adjudicated (one with the adjudicator's row dated before a late second review); majors read by two MSK attendings.
        for (var k = 0; k < included.Count; k++)
        {
            var i = idx[k];
            var order = included[i];
            var plan = plans[i];
            var t = At(RandomDate(new DateOnly(2017, 10, 2), new DateOnly(2018, 5, 31)), _rng.Next(8, 18), _rng.Next(0, 60));
            // Exams that get a second reader take a resident first, so no reviewer reads one exam twice
            // (reviews.csv has one row per order and reviewer).
            var resident = _rng.NextDouble() < 0.7;
            var primaryReviewer = resident || k < 17 ? Pick(SyntheticCatalog.Residents) : Pick(SyntheticCatalog.Fellows);
            if (k < 2)
            {
                var first = k == 0 ? Perturb(plan, flipMajor: true) : plan;
                AddReview(order, primaryReviewer, first, "primary", t);
                AddReview(order, SyntheticCatalog.MskAttendings[0], plan, "second", t.AddDays(_rng.Next(3, 20)));
                AddReview(order, SyntheticCatalog.MskAttendings[1], plan, "adjudicator", t.AddDays(_rng.Next(21, 40)));
                order.Note += "; major finding confirmed by two MSK radiologists";
            }
            else if (k < 12)
            {
                AddReview(order, primaryReviewer, Perturb(plan, false), "primary", t);
                AddReview(order, Pick(SyntheticCatalog.Fellows.Concat(SyntheticCatalog.MskAttendings).ToList()), plan, "second", t.AddDays(_rng.Next(2, 40)).AddMinutes(_rng.Next(1, 300)));
                order.Note += "; final review = later second review";
            }
            else if (k < 17)
            {
                var second = t.AddDays(_rng.Next(2, 20));
                AddReview(order, primaryReviewer, Perturb(plan, false), "primary", t);
                if (k == 16)
                {
                    AddReview(order, SyntheticCatalog.MskAttendings[0], plan, "adjudicator", second.AddDays(_rng.Next(2, 10)));
                    AddReview(order, SyntheticCatalog.Fellows[0], Perturb(plan, false), "second", second.AddDays(_rng.Next(15, 30)));
                    order.Note += "; final review = adjudicator (dated before a late second review)";
                }
                else
                {
                    AddReview(order, SyntheticCatalog.Fellows[0], Perturb(plan, false), "second", second);
                    AddReview(order, Pick(SyntheticCatalog.MskAttendings), plan, "adjudicator", second.AddDays(_rng.Next(2, 20)));
                    order.Note += "; final review = adjudicator";
                }
            }
            else
            {
                AddReview(order, primaryReviewer, plan, "primary", t);
            }
        }
    }

    private static ReviewPlan Perturb(ReviewPlan plan, bool flipMajor)
    {
        var copy = new ReviewPlan { Management = plan.Management, ManagementNote = plan.ManagementNote };
        if (flipMajor)
        {
            copy.Minor.AddRange(plan.Minor);
            copy.Incidental.AddRange(plan.Incidental);
            if (copy.Minor.Count == 0)
            {
                copy.Minor.Add(ReportComposer.MinorItems[0]);
            }

            return copy;
        }

        copy.Major = plan.Major;
        copy.Minor.AddRange(plan.Minor);
        if (plan.Incidental.Count > 0)
        {
            // The first reader missed the incidental finding(s).
            return copy;
        }

        copy.Incidental.AddRange(plan.Incidental);
        copy.Incidental.Add(ReportComposer.IncidentalItems[0]);
        return copy;
    }

    private void AddReview(SynthOrder order, string reviewer, ReviewPlan plan, string role, DateTime at)
    {
        var notes = new List<string>();
        if (plan.Major is not null)
        {
            notes.Add("major: " + plan.Major.Note);
        }

        notes.AddRange(plan.Minor.Select(m => "minor: " + m.Note));
        notes.AddRange(plan.Incidental.Select(m => "incidental: " + m.Note));
        if (plan.Management != "none")
        {
            notes.Add("management: " + plan.ManagementNote);
        }

        _reviews.Add(new SynthReview(order, reviewer, plan.Major is not null, plan.Minor.Count > 0, plan.Incidental.Count > 0,
            notes.Count == 0 ? "no findings" : string.Join("; ", notes), plan.Management, role, at));
    }

    private void ReviewSomeExcluded(List<SynthOrder> excluded)
    {
        var pick = excluded.Where(o => o.Reason is PaperLabels.Tumor or PaperLabels.InflammatoryArthritis or PaperLabels.OccultFracture).ToList();
        Shuffle(pick);
        foreach (var order in pick.Take(6))
        {
            var t = At(RandomDate(new DateOnly(2017, 10, 2), new DateOnly(2018, 3, 30)), _rng.Next(8, 18), _rng.Next(0, 60));
            _reviews.Add(new SynthReview(order, Pick(SyntheticCatalog.Residents), true, false, false,
                "reviewed before exclusion; major: finding related to the red flag", "major", "primary", t));
            order.Note += "; has a (not counted) review";
        }
    }

    // ---------------------------------------------------------------- cancelled, outside the period, other exams

    private void AddCancelledInPeriod(List<SynthOrder> cohort)
    {
        var reuse = cohort.Where(o => o.Decision == "included" && Day(o.OrderedAt) >= PeriodStart.AddDays(25)).ToList();
        Shuffle(reuse);
        for (var i = 0; i < CancelledInPeriod; i++)
        {
            SynthOrder order;
            if (i < 6)
            {
                // Cancelled and re-ordered: same patient, a few days before the exam that was done.
                var done = reuse[i];
                order = NewTarget(done.Patient, done.Procedure, done.Provider, (done.OrderedAt.AddDays(-_rng.Next(3, 20)), done.OrderedAt));
                if (Day(order.OrderedAt) < PeriodStart)
                {
                    order.OrderedAt = At(PeriodStart.AddDays(_rng.Next(2, 20)), 11, 0);
                }

                order.Indication = done.Indication;
                order.Note = "cancelled; re-ordered later";
            }
            else
            {
                var times = SampleTimes(PeriodStart.AddDays(30), PeriodEnd, 1, 10, null, false);
                var patient = NewPatient(_rng.NextDouble() < 0.6 ? 'F' : 'M', _rng.Next(20, 80));
                order = NewTarget(patient, Pick(SyntheticCatalog.TargetNonContrast), ProviderFor(PaperLabels.Included), times);
                order.Indication = Decorate(NextPhrase(IndicationPhraseBank.WithLabels(PaperLabels.Included), patient.Sex, "inc"));
                order.Note = "cancelled order";
            }

            order.PerformedAt = null;
            order.Status = "cancelled";
            order.Decision = "cancelled";
        }
    }

    private void AddOutsidePeriod()
    {
        var allPlans = ExclusionPlans.SelectMany(p => Enumerable.Repeat(p.Flags, p.Count)).ToList();
        var textOnly = allPlans.Where(f => f.Length > 0 && f.All(x => x.Source == Text)).ToList();
        var preCodeFree = allPlans.Where(f => f.All(x => x.Source != Code)).ToList();

        // Before the review period (ICD-10 was not yet in use, so no code-only red flags).
        AddIncludedOutside(new DateOnly(2012, 1, 2), new DateOnly(2013, 6, 29), 12, "before the review period");
        var boundary = AddIncludedOutside(new DateOnly(2013, 6, 30), new DateOnly(2013, 6, 30), 1, "performed the day before the period");
        boundary[0].OrderedAt = At(new DateOnly(2013, 6, 18), 14, 2);
        for (var i = 0; i < 23; i++)
        {
            NewExcluded(Pick(preCodeFree), new DateOnly(2012, 1, 2), new DateOnly(2013, 6, 30)).Note += "; before the review period";
        }

        // Between the period and the intervention.
        var late = AddIncludedOutside(new DateOnly(2017, 7, 5), new DateOnly(2017, 7, 5), 1, "ordered inside the period, performed after it");
        late[0].OrderedAt = At(new DateOnly(2017, 6, 26), 9, 48);
        AddIncludedOutside(new DateOnly(2017, 7, 1), new DateOnly(2018, 6, 28), 22, "after the review period, before the intervention");
        var justBefore = AddIncludedOutside(new DateOnly(2018, 6, 29), new DateOnly(2018, 6, 29), 1, "day before the intervention");
        justBefore[0].OrderedAt = At(new DateOnly(2018, 6, 20), 10, 30);
        for (var i = 0; i < 40; i++)
        {
            NewExcluded(Pick(allPlans), new DateOnly(2017, 7, 1), new DateOnly(2018, 6, 30)).Note += "; after the review period";
        }

        // Follow-up window: one included exam, three excluded with clear red flags, one cancelled order.
        var follow = AddIncludedOutside(new DateOnly(2018, 7, 10), new DateOnly(2018, 9, 20), 1, "follow-up window", plainOnly: true, minLag: 3, maxLag: 8);
        var plan = new ReviewPlan();
        _plans[follow[0]] = plan;
        AddReview(follow[0], SyntheticCatalog.Residents[0], plan, "primary", At(new DateOnly(2018, 10, 9), 14, 20));
        string[] followFlags = [PaperLabels.Tumor, PaperLabels.RecentTrauma, PaperLabels.InflammatoryArthritis];
        foreach (var flag in followFlags)
        {
            var flags = textOnly.First(f => f.Length == 1 && f[0].Flag == flag);
            NewExcluded(flags, new DateOnly(2018, 7, 12), new DateOnly(2018, 9, 25), new DateOnly(2018, 7, 2)).Note += "; follow-up window";
        }

        var cancelledPatient = NewPatient('F', _rng.Next(25, 70));
        var cancelled = NewTarget(cancelledPatient, Pick(SyntheticCatalog.TargetNonContrast), ProviderFor(PaperLabels.Included),
            SampleTimes(new DateOnly(2018, 8, 1), new DateOnly(2018, 9, 10), 1, 5, null, false));
        cancelled.Indication = Decorate(NextPhrase(IndicationPhraseBank.WithLabels(PaperLabels.Included), 'F', "inc"));
        cancelled.PerformedAt = null;
        cancelled.Status = "cancelled";
        cancelled.Decision = "cancelled";
        cancelled.Note = "cancelled order in the follow-up window";

        // After the follow-up window, and still-scheduled orders at export time.
        var after = AddIncludedOutside(new DateOnly(2018, 10, 5), new DateOnly(2018, 10, 5), 1, "after the follow-up window");
        after[0].OrderedAt = At(new DateOnly(2018, 10, 1), 10, 15);
        var scheduled = AddIncludedOutside(new DateOnly(2018, 10, 16), new DateOnly(2018, 10, 26), 3, "scheduled, not yet performed");
        foreach (var order in scheduled)
        {
            order.OrderedAt = At(new DateOnly(2018, 10, _rng.Next(8, 13)), _rng.Next(8, 17), _rng.Next(0, 60));
            order.PerformedAt = null;
            order.Status = "scheduled";
        }
    }

    private List<SynthOrder> AddIncludedOutside(DateOnly from, DateOnly to, int count, string note, bool plainOnly = false, int minLag = 2, int maxLag = 28)
    {
        var result = new List<SynthOrder>();
        for (var i = 0; i < count; i++)
        {
            var patient = NewPatient(_rng.NextDouble() < 0.65 ? 'F' : 'M', _rng.Next(21, 80));
            var order = NewTarget(patient, Pick(SyntheticCatalog.TargetNonContrast), ProviderFor(PaperLabels.Included),
                SampleTimes(from, to, minLag, maxLag, null, false));
            var pool = plainOnly
                ? IndicationPhraseBank.All.Where(p => p.IsIncluded && p.Trap is null).ToList()
                : IndicationPhraseBank.WithLabels(PaperLabels.Included);
            var phrase = NextPhrase(pool, patient.Sex, plainOnly ? "plain" : "inc");
            order.Indication = Decorate(phrase);
            AddPainReasonCodes(order);
            MarkIncluded(order, phrase);
            order.Note += "; " + note;
            SetBirthDateForAge(patient, Day(order.OrderedAt), Age(patient));
            result.Add(order);
        }

        return result;
    }

    private void AddPriorRadiographs()
    {
        foreach (var target in _orders.Where(o => o.IsTarget && o.PerformedAt is not null).ToList())
        {
            if (_rng.NextDouble() >= 0.45)
            {
                continue;
            }

            var procedure = _rng.Next(4) switch
            {
                0 => SyntheticCatalog.SacrumXr,
                1 => Pick(SyntheticCatalog.SiJointXr),
                _ => Pick(SyntheticCatalog.LumbosacralXr),
            };
            var xr = NewOrder(target.Patient, procedure, target.Provider, false);
            xr.OrderedAt = target.OrderedAt.AddDays(-_rng.Next(7, 120)).Date.AddHours(_rng.Next(8, 17)).AddMinutes(_rng.Next(0, 60));
            xr.PerformedAt = xr.OrderedAt.AddMinutes(_rng.Next(20, 180));
            xr.Indication = procedure == SyntheticCatalog.SacrumXr
                ? Pick(SyntheticCatalog.SacrumXrIndications)
                : procedure.Code is "72200" or "72202" ? Pick(SyntheticCatalog.SiXrIndications) : Pick(SyntheticCatalog.LumbosacralXrIndications);
            xr.Note = "radiograph before the sacrum MRI";
        }
    }

    private void AddStandaloneNonTarget()
    {
        void Add(int count, Func<Procedure> procedure, IReadOnlyList<string> indications, string department, bool sameDayAllowed)
        {
            for (var i = 0; i < count; i++)
            {
                var patient = NewPatient(_rng.NextDouble() < 0.55 ? 'F' : 'M', _rng.Next(18, 88));
                var proc = procedure();
                var provider = Pick(SyntheticCatalog.Providers.Where(p => p.Department == department || _rng.NextDouble() < 0.3).ToList());
                var order = NewOrder(patient, proc, provider, false);
                var times = SampleTimes(new DateOnly(2012, 1, 2), new DateOnly(2018, 10, 10), sameDayAllowed ? 0 : 1, 20, null, false);
                order.OrderedAt = times.Ordered;
                order.PerformedAt = times.Performed;
                order.Indication = Pick(indications);
                if (_rng.NextDouble() < 0.05)
                {
                    order.PerformedAt = null;
                    order.Status = "cancelled";
                }

                if (Day(order.OrderedAt) >= Icd10GoLive && _rng.NextDouble() < 0.3 && proc.Modality != "CT")
                {
                    order.ReasonCodes.Add(Pick(SyntheticCatalog.PainReasonCodes));
                }

                order.Note = proc.Name;
                SetBirthDateForAge(patient, Day(order.OrderedAt), Age(patient));
            }
        }

        Add(160, () => Pick(SyntheticCatalog.LumbarMri), SyntheticCatalog.LumbarIndications, SyntheticCatalog.FamilyMedicine, false);
        Add(45, () => SyntheticCatalog.SiJointMri, SyntheticCatalog.SiJointIndications, SyntheticCatalog.Rheumatology, false);
        Add(35, () => Pick(SyntheticCatalog.PelvisMri), SyntheticCatalog.PelvisIndications, SyntheticCatalog.FamilyMedicine, false);
        Add(25, () => SyntheticCatalog.SacrumCt, SyntheticCatalog.CtIndications, SyntheticCatalog.Emergency, true);
        Add(60, () => SyntheticCatalog.SacrumXr, SyntheticCatalog.SacrumXrIndications, SyntheticCatalog.FamilyMedicine, true);
        Add(35, () => Pick(SyntheticCatalog.SiJointXr), SyntheticCatalog.SiXrIndications, SyntheticCatalog.Rheumatology, true);
        Add(90, () => Pick(SyntheticCatalog.LumbosacralXr), SyntheticCatalog.LumbosacralXrIndications, SyntheticCatalog.FamilyMedicine, true);
    }

    private void AddBackgroundConditions()
    {
        var firstOrder = _orders.GroupBy(o => o.Patient).ToDictionary(g => g.Key, g => g.Min(o => Day(o.OrderedAt)));
        foreach (var patient in _patients)
        {
            var anchor = firstOrder.TryGetValue(patient, out var d) ? d : new DateOnly(2015, 1, 1);
            var n = _rng.Next(0, 5);
            var entries = SyntheticCatalog.Background.Where(c => c.Sex is null || c.Sex == patient.Sex).ToList();
            Shuffle(entries);
            foreach (var entry in entries.Take(n))
            {
                var recorded = anchor.AddDays(_rng.Next(-2500, 400));
                if (recorded > ExportDate)
                {
                    recorded = ExportDate.AddDays(-_rng.Next(1, 30));
                }

                var onset = _rng.NextDouble() < 0.5 ? (DateOnly?)recorded.AddDays(-_rng.Next(0, 400)) : null;
                _conditions.Add(new SynthCondition(patient, entry.Code, entry.Description, onset, recorded, _rng.NextDouble() < 0.1 ? "inactive" : "active", null));
            }

            if (_rng.NextDouble() < 0.15)
            {
                var entry = Pick(SyntheticCatalog.ResolvedOld);
                var recorded = anchor.AddDays(-_rng.Next(200, 3000));
                _conditions.Add(new SynthCondition(patient, entry.Code, entry.Description, recorded, recorded, "resolved", recorded.AddDays(_rng.Next(5, 30))));
            }
        }

        // Sacroiliitis diagnosed after the exam for the two major findings (known only after the order).
        foreach (var order in _plans.Where(p => p.Value.Major is not null).Select(p => p.Key).OrderBy(o => o.TieBreak))
        {
            var d = Day(order.PerformedAt!.Value).AddDays(_rng.Next(10, 30));
            _conditions.Add(new SynthCondition(order.Patient, "M46.1", "Sacroiliitis, not elsewhere classified", d, d, "active", null));
            order.Note += "; trap: M46.1 recorded after the order";
        }
    }

    private void FillReports()
    {
        foreach (var order in _orders.Where(o => o.PerformedAt is not null))
        {
            var variant = _rng.Next(0, 6);
            if (!order.IsTarget)
            {
                order.ReportText = ReportComposer.NonTarget(order, variant);
            }
            else if (_plans.TryGetValue(order, out var plan))
            {
                order.ReportText = ReportComposer.TargetIncluded(order, plan, variant);
            }
            else if (order.Decision == "excluded")
            {
                order.ReportText = ReportComposer.TargetExcluded(order, order.Reason, _rng.NextDouble() < 0.35);
            }
            else
            {
                order.ReportText = ReportComposer.TargetIncluded(order, RandomOutsidePlan(order.Patient.Sex), variant);
            }
        }
    }

    private ReviewPlan RandomOutsidePlan(char sex)
    {
        var plan = new ReviewPlan();
        if (_rng.NextDouble() < 0.4)
        {
            plan.Minor.Add(Pick(ReportComposer.MinorItems));
        }

        if (_rng.NextDouble() < 0.8)
        {
            plan.Incidental.Add(Pick(ReportComposer.IncidentalItems.Where(f => f.Sex is null || f.Sex == sex).ToList()));
        }

        return plan;
    }

    private void AssignIdentifiers()
    {
        var patients = _patients.ToList();
        Shuffle(patients);
        for (var i = 0; i < patients.Count; i++)
        {
            patients[i].Id = "P" + (i + 1).ToString("D5", CultureInfo.InvariantCulture);
        }

        var ordered = _orders.OrderBy(o => o.OrderedAt).ThenBy(o => o.TieBreak).ToList();
        var counters = new Dictionary<string, int>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var order = ordered[i];
            order.Id = "O" + (i + 1).ToString("D6", CultureInfo.InvariantCulture);
            var key = order.Procedure.Modality + order.OrderedAt.ToString("yy", CultureInfo.InvariantCulture);
            var next = counters.TryGetValue(key, out var c) ? c + _rng.Next(1, 30) : _rng.Next(100, 3000);
            counters[key] = next;
            order.Accession = key + next.ToString("D6", CultureInfo.InvariantCulture);
        }

        _orders.Clear();
        _orders.AddRange(ordered);
    }

    // ---------------------------------------------------------------- helpers

    private SynthOrder NewTarget(SynthPatient patient, Procedure procedure, Provider provider, (DateTime Ordered, DateTime Performed) times)
    {
        var order = NewOrder(patient, procedure, provider, true);
        order.OrderedAt = times.Ordered;
        order.PerformedAt = times.Performed;
        return order;
    }

    private SynthOrder NewOrder(SynthPatient patient, Procedure procedure, Provider provider, bool target)
    {
        var order = new SynthOrder(patient, procedure, provider) { IsTarget = target, TieBreak = _tie++ };
        _orders.Add(order);
        return order;
    }

    private SynthPatient NewPatient(char sex, int age)
    {
        var patient = new SynthPatient(sex, new DateOnly(2015, 1, 1).AddYears(-age)) { SortKey = _patients.Count };
        _patients.Add(patient);
        return patient;
    }

    private static int Age(SynthPatient patient) => CompletedYears(patient.BirthDate, new DateOnly(2015, 1, 1));

    private static void MarkIncluded(SynthOrder order, IndicationPhrase phrase)
    {
        order.Decision = "included";
        order.Note = phrase.Trap is null
            ? "qualifying indication, no red flag"
            : $"qualifying indication, no red flag (trap: {phrase.Trap})";
    }

    private void AddPainReasonCodes(SynthOrder order)
    {
        if (Day(order.OrderedAt) >= Icd10GoLive && _rng.NextDouble() < 0.6)
        {
            order.ReasonCodes.Add(Pick(SyntheticCatalog.PainReasonCodes));
            if (_rng.NextDouble() < 0.15)
            {
                var second = Pick(SyntheticCatalog.PainReasonCodes);
                if (!order.ReasonCodes.Contains(second))
                {
                    order.ReasonCodes.Add(second);
                }
            }
        }
    }

    private void SetBirthDateForAge(SynthPatient patient, DateOnly at, int age)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var birth = at.AddYears(-age).AddDays(-_rng.Next(1, 364));
            if (CompletedYears(birth, at) == age && CompletedYearsLeapLenient(birth, at) == age)
            {
                patient.BirthDate = birth;
                return;
            }
        }

        patient.BirthDate = at.AddYears(-age).AddDays(-100);
    }

    /// <summary>Completed years at <paramref name="at"/> (a 29 February birthday falls on 1 March in common years).</summary>
    public static int CompletedYears(DateOnly birth, DateOnly at)
    {
        var age = at.Year - birth.Year;
        if (at.Month < birth.Month || (at.Month == birth.Month && at.Day < birth.Day))
        {
            age--;
        }

        return age;
    }

    private static int CompletedYearsLeapLenient(DateOnly birth, DateOnly at)
    {
        var age = at.Year - birth.Year;
        return birth.AddYears(age) > at ? age - 1 : age;
    }

    private int[] MakeAges(int count, int sum)
    {
        var ages = new int[count];
        for (var i = 0; i < count; i++)
        {
            ages[i] = 21 + _rng.Next(0, 31) + _rng.Next(0, 25);
        }

        var diff = sum - ages.Sum();
        while (diff != 0)
        {
            var i = _rng.Next(count);
            if (diff > 0 && ages[i] < 84)
            {
                ages[i]++;
                diff--;
            }
            else if (diff < 0 && ages[i] > 19)
            {
                ages[i]--;
                diff++;
            }
        }

        return ages;
    }

    private (DateTime Ordered, DateTime Performed) SampleTimes(DateOnly from, DateOnly to, int minLag, int maxLag, DateOnly? minOrdered, bool emergency)
    {
        for (var attempt = 0; ; attempt++)
        {
            var performedDay = RandomDate(from, to);
            var lag = _rng.Next(minLag, maxLag + 1);
            var orderedDay = performedDay.AddDays(-lag);
            if (minOrdered is { } min && orderedDay < min && attempt < 1000)
            {
                continue;
            }

            var performed = At(performedDay, 0, 0).AddMinutes(7 * 60 + (15 * _rng.Next(0, 59)));
            DateTime ordered;
            if (lag == 0)
            {
                ordered = performed.AddMinutes(-_rng.Next(45, 300));
                if (Day(ordered) != performedDay)
                {
                    ordered = performedDay.ToDateTime(TimeOnly.MinValue).AddMinutes(_rng.Next(0, 30));
                }
            }
            else
            {
                ordered = emergency
                    ? At(orderedDay, _rng.Next(0, 24), _rng.Next(0, 60))
                    : At(orderedDay, _rng.Next(8, 18), _rng.Next(0, 60));
            }

            return (ordered, performed);
        }
    }

    private Provider ProviderFor(string reason)
    {
        var department = reason switch
        {
            PaperLabels.Tumor => Weighted((SyntheticCatalog.Oncology, 45), (SyntheticCatalog.FamilyMedicine, 25), (SyntheticCatalog.InternalMedicine, 20), (SyntheticCatalog.Orthopedics, 10)),
            PaperLabels.Infection => Weighted((SyntheticCatalog.InternalMedicine, 40), (SyntheticCatalog.Emergency, 30), (SyntheticCatalog.FamilyMedicine, 20), (SyntheticCatalog.Orthopedics, 10)),
            PaperLabels.InflammatoryArthritis => Weighted((SyntheticCatalog.Rheumatology, 60), (SyntheticCatalog.FamilyMedicine, 25), (SyntheticCatalog.InternalMedicine, 15)),
            PaperLabels.RecentTrauma => Weighted((SyntheticCatalog.Emergency, 45), (SyntheticCatalog.FamilyMedicine, 30), (SyntheticCatalog.Orthopedics, 25)),
            PaperLabels.OccultFracture => Weighted((SyntheticCatalog.Orthopedics, 35), (SyntheticCatalog.FamilyMedicine, 30), (SyntheticCatalog.InternalMedicine, 20), (SyntheticCatalog.Emergency, 15)),
            PaperLabels.NoQualifyingIndication => Weighted((SyntheticCatalog.FamilyMedicine, 40), (SyntheticCatalog.Orthopedics, 20), (SyntheticCatalog.Rehab, 20), (SyntheticCatalog.Pain, 10), (SyntheticCatalog.InternalMedicine, 10)),
            _ => Weighted((SyntheticCatalog.FamilyMedicine, 60), (SyntheticCatalog.InternalMedicine, 12), (SyntheticCatalog.Rehab, 10), (SyntheticCatalog.Orthopedics, 8), (SyntheticCatalog.Pain, 6), (SyntheticCatalog.Rheumatology, 4)),
        };
        return Pick(SyntheticCatalog.Providers.Where(p => p.Department == department).ToList());
    }

    private string Weighted(params (string Value, int Weight)[] options)
    {
        var roll = _rng.Next(options.Sum(o => o.Weight));
        foreach (var (value, weight) in options)
        {
            if (roll < weight)
            {
                return value;
            }

            roll -= weight;
        }

        return options[^1].Value;
    }

    private IndicationPhrase NextPhrase(IReadOnlyList<IndicationPhrase> pool, char sex, string key)
    {
        var fitting = pool.Where(p => p.FitsSex(sex)).ToList();
        if (fitting.Count == 0)
        {
            throw new InvalidOperationException($"No indication phrase for {key} and sex {sex}.");
        }

        var queueKey = key + "/" + sex;
        if (!_phraseQueues.TryGetValue(queueKey, out var queue) || queue.Count == 0)
        {
            Shuffle(fitting);
            queue = new Queue<IndicationPhrase>(fitting);
            _phraseQueues[queueKey] = queue;
        }

        return queue.Dequeue();
    }

    private static readonly string[] PainSuffixes =
        ["", "", "", "", ".", " x3mo", ", x 6 wks", ", failed PT", ", no relief w/ NSAIDs", ", worse w/ sitting", " - pls eval", ", persistent despite PT"];

    private static readonly string[] NeutralSuffixes = ["", "", "", "", ".", " - pls eval", ", please evaluate"];

    private string Decorate(IndicationPhrase phrase)
    {
        var text = phrase.Text;
        var plain = phrase.IsIncluded || phrase.IsNoQualifyingIndication;
        var dated = text.Any(char.IsDigit) || text.Contains("since", StringComparison.Ordinal) || text.Contains("ago", StringComparison.Ordinal)
            || text.Contains("yesterday", StringComparison.Ordinal) || text.Contains("week", StringComparison.Ordinal);
        if (!dated && phrase.Trap is null)
        {
            var suffixes = phrase.IsIncluded ? PainSuffixes : NeutralSuffixes;
            var suffix = suffixes[_rng.Next(suffixes.Length)];
            if (!(suffix.StartsWith(',') && text.EndsWith('.')))
            {
                text += suffix;
            }
        }

        var roll = _rng.NextDouble();
        if (plain && roll < 0.12)
        {
            text = text.ToLowerInvariant();
        }
        else if (roll < 0.3 && char.IsLower(text[0]))
        {
            text = char.ToUpperInvariant(text[0]) + text[1..];
        }

        return text;
    }

    private DateOnly RandomDate(DateOnly from, DateOnly to) => from.AddDays(_rng.Next(0, to.DayNumber - from.DayNumber + 1));

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private void Shuffle<T>(List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = _rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Day(DateTime value) => DateOnly.FromDateTime(value);

    private static DateTime At(DateOnly day, int hour, int minute) => day.ToDateTime(new TimeOnly(hour, minute));

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
