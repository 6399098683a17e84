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
}
