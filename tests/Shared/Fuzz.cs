using System.Diagnostics;
using System.Globalization;
using CsCheck;

namespace ImagingValue.Tests.Shared;

/// <summary>
/// Runs a property over generated inputs with a per-case guard on time and allocation: a blow-up (quadratic
/// parsing, an alias bomb, a field held whole) fails the case, ordinary slowness on a busy machine does not.
/// IV_FUZZ_ITERATIONS sets the cases per property (default small, for ./test); benchmarks/fuzz-long.sh raises it.
/// IV_FUZZ_LOG, when set, gets one line per property: name, cases, seconds, slowest case ms, most bytes of a case.
/// </summary>
internal static class PropertyFuzz
{
    /// <summary>Far above any case seen (slowest under 0.5 s on a loaded 2-core machine): only a runaway trips it.</summary>
    public static readonly TimeSpan MaxCaseTime = TimeSpan.FromSeconds(5);

    /// <summary>Allocated by one case on its thread; the inputs are at most a few hundred KB.</summary>
    public const long MaxCaseBytes = 256L * 1024 * 1024;

    public static int Iterations(int defaultCount) =>
        int.TryParse(Environment.GetEnvironmentVariable("IV_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : defaultCount;

    /// <summary>Checks <paramref name="property"/> on <paramref name="defaultCount"/> (or IV_FUZZ_ITERATIONS) generated cases.</summary>
    public static void Check<T>(string name, Gen<T> gen, Action<T> property, int defaultCount = 100)
    {
        var bounds = new Bounds(name, Iterations(defaultCount));
        gen.Sample(value =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            property(value);
            bounds.Case(watch.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before);
        }, iter: bounds.Cases, threads: 1);
        bounds.Log();
    }

    /// <summary>As <see cref="Check"/> for an async property; allocation is counted process-wide (an await may change thread).</summary>
    public static async Task CheckAsync<T>(string name, Gen<T> gen, Func<T, Task> property, int defaultCount = 100)
    {
        var bounds = new Bounds(name, Iterations(defaultCount));
        await gen.SampleAsync(async value =>
        {
            var before = GC.GetTotalAllocatedBytes();
            var watch = Stopwatch.StartNew();
            await property(value);
            bounds.Case(watch.Elapsed, GC.GetTotalAllocatedBytes() - before);
        }, iter: bounds.Cases, threads: 1);
        bounds.Log();
    }

    private sealed class Bounds(string name, int cases)
    {
        private readonly Stopwatch _total = Stopwatch.StartNew();
        private TimeSpan _slowest;
        private long _mostBytes;

        public int Cases => cases;

        public void Case(TimeSpan elapsed, long bytes)
        {
            _slowest = elapsed > _slowest ? elapsed : _slowest;
            _mostBytes = Math.Max(_mostBytes, bytes);
            Assert.True(elapsed <= MaxCaseTime, $"{name}: one case took {elapsed.TotalMilliseconds:F0} ms (bound {MaxCaseTime.TotalMilliseconds:F0} ms)");
            Assert.True(bytes <= MaxCaseBytes, $"{name}: one case allocated {bytes:N0} bytes (bound {MaxCaseBytes:N0})");
        }

        public void Log()
        {
            if (Environment.GetEnvironmentVariable("IV_FUZZ_LOG") is { Length: > 0 } log)
            {
                File.AppendAllText(log, string.Create(CultureInfo.InvariantCulture,
                    $"{name}\t{cases}\t{_total.Elapsed.TotalSeconds:F2}\t{_slowest.TotalMilliseconds:F1}\t{_mostBytes}\n"));
            }
        }
    }

    /// <summary>Short texts a parser treats specially, and long ones.</summary>
    public static Gen<string> Snippet(string specials) => Gen.OneOf(
        Gen.String[Gen.Char[specials], 0, 40],
        Gen.String[0, 40],
        Gen.Int[1, 200_000].Select(n => new string('x', n)),
        Gen.Const("\uD800"), Gen.Const("\uFFFD"), Gen.Const("\0"));

    /// <summary>Applies 1–6 edits to <paramref name="text"/>: delete a span, insert a snippet, duplicate or drop a line.</summary>
    public static Gen<string> Mutated(string text, Gen<string> snippet) =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Int[0, 50], snippet)
            .Array[1, 6]
            .Select(edits => edits.Aggregate(text, (current, e) => Edit(current, e.Item1, e.Item2, e.Item3, e.Item4)));

    private static string Edit(string text, int kind, int where, int length, string snippet)
    {
        var at = text.Length == 0 ? 0 : where % (text.Length + 1);
        var lines = text.Split('\n').ToList();
        var line = where % lines.Count;
        switch (kind)
        {
            case 0:
                return text.Remove(at, Math.Min(length, text.Length - at));
            case 1:
                return text.Insert(at, snippet);
            case 2:
                lines.Insert(line, lines[line]);
                return string.Join('\n', lines);
            default:
                lines.RemoveAt(line);
                return string.Join('\n', lines);
        }
    }
}
