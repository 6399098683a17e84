using ImagingValue.Core.Data;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Storage;

namespace ImagingValue.Core.Analytics;

/// <summary>
/// What an audit needs of every order of a workspace, not only of its target exams: how far the data reaches, which
/// department each ordering provider orders from, and which patients had a concurrent exam on the days asked about.
/// The target exams themselves are read with their decisions (<see cref="IScreeningRunStore.GetTargetOrdersAsync"/>);
/// these few figures are all the rest is read for, so ten million orders are never in memory at once.
/// </summary>
/// <remarks>
/// Collected in one pass over the order pages, with the same C# the analysis used on a list of every order, rather
/// than asked of the database with GROUP BY: a concurrent exam is decided by <see cref="ExamMatcher"/> (tokens of the
/// procedure name, exclusion terms), which SQL cannot repeat exactly, so the orders are read once anyway, and the
/// dates and provider counts come with that pass at no extra cost.
/// </remarks>
public sealed class OrderFacts
{
    private readonly Dictionary<ExamDefinition, HashSet<(string PatientId, DateOnly Day)>> _concurrent;

    private OrderFacts(DateOnly? dataThrough, DateOnly? lastExamDate, IReadOnlyDictionary<string, string> departmentOfProvider, Dictionary<ExamDefinition, HashSet<(string, DateOnly)>> concurrent)
    {
        DataThrough = dataThrough;
        LastExamDate = lastExamDate;
        DepartmentOfProvider = departmentOfProvider;
        _concurrent = concurrent;
    }

    /// <summary>The latest day the data knows about: any order, of any procedure, placed or performed; null with no order.</summary>
    public DateOnly? DataThrough { get; }

    /// <summary>The latest exam date (performed, else ordered) of any order; null with no order.</summary>
    public DateOnly? LastExamDate { get; }

    /// <summary>
    /// Per ordering provider (as recorded), the department it orders from most often (ties: the first by ordinal
    /// name), counting orders that record both.
    /// </summary>
    public IReadOnlyDictionary<string, string> DepartmentOfProvider { get; }

    /// <summary>
    /// True when the patient has a completed order of <paramref name="exam"/> performed (else ordered) on
    /// <paramref name="day"/>; only the exams and days given when the facts were collected are known.
    /// </summary>
    public bool HasExamOn(ExamDefinition exam, string patientId, DateOnly day) =>
        _concurrent.TryGetValue(exam, out var days) ? days.Contains((patientId, day)) : throw new ArgumentException("an exam the facts were not collected for", nameof(exam));

    /// <summary>Reads every order a page at a time (pages decoded on the pool, a few at once) and keeps only the facts.</summary>
    /// <param name="exams">The concurrent exams to look for (<see cref="Protocol.ConcurrentExams"/>).</param>
    /// <param name="days">The patients and days they are looked for on (the included exams').</param>
    public static async Task<OrderFacts> CollectAsync(IClinicalDataStore data, IEnumerable<ExamDefinition> exams, IReadOnlySet<(string PatientId, DateOnly Day)> days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var total = new Collector(exams, days);
        var pending = new Queue<Task<Collector>>();
        await foreach (var page in data.ReadOrderPagesAsync(cancellationToken).ConfigureAwait(false))
        {
            // The store reads the next page while the pool decodes this one; four in flight bound the memory.
            pending.Enqueue(Task.Run(() => new Collector(total).Add(page.Decode()), cancellationToken));
            if (pending.Count >= 4)
            {
                total.Merge(await pending.Dequeue().ConfigureAwait(false));
            }
        }

        while (pending.Count > 0)
        {
            total.Merge(await pending.Dequeue().ConfigureAwait(false));
        }

        return total.ToFacts();
    }

    /// <summary>The same facts of orders already in memory.</summary>
    public static OrderFacts Of(IEnumerable<ImagingOrder> orders, IEnumerable<ExamDefinition> exams, IReadOnlySet<(string PatientId, DateOnly Day)> days)
    {
        ArgumentNullException.ThrowIfNull(orders);
        return new Collector(exams, days).Add(orders).ToFacts();
    }

    /// <summary>The included exams' patients and days: where concurrent exams are looked for.</summary>
    public static IReadOnlySet<(string PatientId, DateOnly Day)> DaysOf(IEnumerable<ImagingOrder> included) =>
        included.Select(o => (o.PatientId, o.ExamDate)).ToHashSet();

    /// <summary>Facts of some orders; collectors of several pages merge into one (every figure is a max, a count or a union).</summary>
    private sealed class Collector
    {
        private readonly (ExamDefinition Exam, ExamMatcher Matcher)[] _exams;
        private readonly IReadOnlySet<(string, DateOnly)> _days;
        private readonly Dictionary<(string Provider, string Department), int> _providerDepartments = [];
        private readonly Dictionary<ExamDefinition, HashSet<(string, DateOnly)>> _found;
        private DateOnly? _dataThrough;
        private DateOnly? _lastExam;

        public Collector(IEnumerable<ExamDefinition> exams, IReadOnlySet<(string, DateOnly)> days)
        {
            ArgumentNullException.ThrowIfNull(exams);
            ArgumentNullException.ThrowIfNull(days);
            _exams = [.. exams.Distinct(ReferenceEqualityComparer.Instance).Cast<ExamDefinition>().Select(e => (e, new ExamMatcher(e)))];
            _days = days;
            _found = _exams.ToDictionary(e => e.Exam, _ => new HashSet<(string, DateOnly)>(), ReferenceEqualityComparer.Instance as IEqualityComparer<ExamDefinition>);
        }

        /// <summary>An empty collector for one page, sharing <paramref name="shape"/>'s matchers (their caches are thread-safe).</summary>
        public Collector(Collector shape)
        {
            _exams = shape._exams;
            _days = shape._days;
            _found = _exams.ToDictionary(e => e.Exam, _ => new HashSet<(string, DateOnly)>(), ReferenceEqualityComparer.Instance as IEqualityComparer<ExamDefinition>);
        }

        public Collector Add(IEnumerable<ImagingOrder> orders)
        {
            foreach (var o in orders)
            {
                var exam = o.ExamDate;
                var ordered = DateOnly.FromDateTime(o.OrderedAt);
                var latest = ordered > exam ? ordered : exam;
                _dataThrough = _dataThrough is { } d && d >= latest ? d : latest;
                _lastExam = _lastExam is { } e && e >= exam ? e : exam;
                if (o.OrderingProvider is { } provider && o.OrderingDepartment is { } department)
                {
                    _providerDepartments[(provider, department)] = _providerDepartments.GetValueOrDefault((provider, department)) + 1;
                }

                if (o.IsCompleted && _exams.Length > 0 && _days.Contains((o.PatientId, exam)))
                {
                    foreach (var (definition, matcher) in _exams)
                    {
                        if (matcher.Matches(o.ProcedureCode, o.ProcedureName))
                        {
                            _found[definition].Add((o.PatientId, exam));
                        }
                    }
                }
            }

            return this;
        }

        public void Merge(Collector page)
        {
            _dataThrough = Max(_dataThrough, page._dataThrough);
            _lastExam = Max(_lastExam, page._lastExam);
            foreach (var (key, count) in page._providerDepartments)
            {
                _providerDepartments[key] = _providerDepartments.GetValueOrDefault(key) + count;
            }

            foreach (var (exam, found) in page._found)
            {
                _found[exam].UnionWith(found);
            }
        }

        public OrderFacts ToFacts()
        {
            // As AlertActivity chose from every order: the most orders, ties by ordinal name.
            var departmentOfProvider = _providerDepartments
                .GroupBy(kv => kv.Key.Provider, StringComparer.Ordinal)
                .ToDictionary(
                    g => g.Key,
                    g => g.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Department, StringComparer.Ordinal).First().Key.Department,
                    StringComparer.Ordinal);
            return new OrderFacts(_dataThrough, _lastExam, departmentOfProvider, _found);
        }

        private static DateOnly? Max(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a > b ? a : b;
    }
}
