using System.Diagnostics;
using System.Globalization;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary><c>import --fhir</c> as a site runs it: a New York workspace, a Bulk Data folder, errors and the rejects file.</summary>
public sealed class FhirCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ImportFhir_InANewYorkWorkspace_StoresLocalTimes_NamesEachBadLine_AgainChangesNothing()
    {
        var workspace = _dir.File("ws");
        Assert.Equal(0, CliRunner.Run(_dir.Path, "init", "--workspace", workspace, "--time-zone", "America/New_York").ExitCode);
        var export = _dir.File("export");
        Directory.CreateDirectory(export);
        File.WriteAllText(Path.Combine(export, "ServiceRequest.000.ndjson"),
            """
            {"resourceType":"ServiceRequest","id":"sr1","status":"active","intent":"order","code":{"text":"MRI SACRUM WO"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-09-06T13:59:00-04:00"}
            {"resourceType":"ServiceRequest","id":"sr2","status":"active","intent":"order","code":{"text":"MRI SACRUM WO"},"authoredOn":"2016-09-06T13:59:00-04:00"}

            """);
        File.WriteAllText(Path.Combine(export, "Patient.000.ndjson"), """{"resourceType":"Patient","id":"p1","gender":"female"}""" + "\n");
        File.WriteAllText(Path.Combine(export, "Encounter.000.ndjson"), """{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"}}""" + "\n");

        var first = CliRunner.Run(_dir.Path, "import", "--workspace", workspace, "--fhir", export);
        var again = CliRunner.Run(_dir.Path, "import", "--workspace", workspace, "--fhir", export);

        Assert.Equal(1, first.ExitCode);
        Assert.Contains("ServiceRequest.000.ndjson:2: ServiceRequest/sr2: subject: missing (an order needs its Patient)", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("fhir: not used (skipped): 1 Encounter", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("fhir: orders: 1 new, 0 updated, 0 unchanged", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("fhir: orders: 0 new, 0 updated, 1 unchanged", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(
            ["ServiceRequest.000.ndjson:2: ServiceRequest/sr2: subject: missing (an order needs its Patient)"],
            File.ReadAllLines(Path.Combine(workspace, "rejects", "fhir.rejects.txt")));

        var output = _dir.File("out");
        Assert.Equal(0, CliRunner.Run(_dir.Path, "export", "--workspace", workspace, "--out", output).ExitCode);
        var order = Assert.Single(Csv.Read(Path.Combine(output, "orders.csv")));
        Assert.Equal(("sr1", "p1", "2016-09-06T13:59:00", "ordered", "F"), (order["order_id"], order["patient_id"], order["ordered_at"], order["status"], order["patient_sex"]));
    }

    [Fact]
    public async Task ImportFhir_StoppedWhileReading_SaysCancelled_NoTrace_WorkspaceAsItWas()
    {
        var workspace = _dir.File("ws");
        Assert.Equal(0, CliRunner.Run(_dir.Path, "init", "--workspace", workspace).ExitCode);
        var small = _dir.File("small.ndjson");
        File.WriteAllText(small, Patient + "\n" + Request("kept") + "\n");
        Assert.Equal(0, CliRunner.Run(_dir.Path, "import", "--workspace", workspace, "--fhir", small).ExitCode);
        Assert.Equal(0, CliRunner.Run(_dir.Path, "export", "--workspace", workspace, "--out", _dir.File("before")).ExitCode);
        // Far more than is read before the signal comes (seconds of parsing), so the import is stopped halfway.
        var big = _dir.File("big.ndjson");
        using (var writer = new StreamWriter(big))
        {
            writer.WriteLine(Patient);
            for (var i = 0; i < 100_000; i++)
            {
                writer.WriteLine(Request($"o{i}"));
            }
        }

        using var import = CliRunner.Start(_dir.Path, "import", "--workspace", workspace, "--fhir", big);
        var stderr = import.StandardError.ReadToEndAsync();
        // Under way once it has the file open, and a second later past the start of the command (the file is opened
        // before the command's signal handlers are set: a signal then ends it as the system does, 143 and no word);
        // then SIGTERM, which the CLI treats as Ctrl+C (SIGINT itself is ignored by a process started in the
        // background of a non-interactive shell, as a test run may be). 100,000 requests take far longer to read.
        Assert.True(SpinWait.SpinUntil(() => HasOpen(import, big), TimeSpan.FromSeconds(60)), "the import never opened the file");
        await Task.Delay(TimeSpan.FromSeconds(1));
        using (var kill = Process.Start("kill", ["-TERM", import.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await import.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((130, "imaging-value: cancelled"), (import.ExitCode, (await stderr).Trim())); // not 134 (abort) after "Unhandled exception" and a trace
        Assert.Equal(0, CliRunner.Run(_dir.Path, "export", "--workspace", workspace, "--out", _dir.File("after")).ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(_dir.File("before"), "orders.csv")), File.ReadAllText(Path.Combine(_dir.File("after"), "orders.csv")));
    }

    private const string Patient = """{"resourceType":"Patient","id":"p1","gender":"female"}""";

    private static string Request(string id) =>
        $$"""{"resourceType":"ServiceRequest","id":"{{id}}","status":"active","intent":"order","code":{"text":"MRI SACRUM WO"},"subject":{"reference":"Patient/p1"},"authoredOn":"2016-09-06T13:59:00-04:00"}""";

    /// <summary>Whether the process has <paramref name="path"/> open (Linux: its /proc/PID/fd links).</summary>
    private static bool HasOpen(Process process, string path)
    {
        try
        {
            return Directory.GetFiles($"/proc/{process.Id}/fd").Any(fd => new FileInfo(fd).LinkTarget == path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // a descriptor closed while listed, or the process gone
        }
    }
}
